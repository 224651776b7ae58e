"""The portal speaks Chinese unless the user picked English with the language switch; the API
speaks the language its client asks for (Accept-Language). API answers carry ETags (304 on
If-None-Match) and the rate-limit headers."""

from django.conf import settings
from django.middleware.http import ConditionalGetMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from core.rest import is_api


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Like LocaleMiddleware, but only the language cookie set by the switch counts, never the
    browser's Accept-Language: staff on an English-language browser still get the Chinese UI.
    Under /api/ Accept-Language counts as LocaleMiddleware has it (an integrator's client asks
    for English); the responses vary on it either way."""

    def process_request(self, request):
        if is_api(request):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(chosen or settings.LANGUAGE_CODE)
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    """Under /api/: every GET answer carries an ETag (a hash of its body) and a request whose
    If-None-Match names it is answered 304 without a body; the answer varies on the caller's
    credentials. Also writes the rate-limit headers the throttle left on the request
    (core.throttling). Pages and streamed answers (exports) are left as they are."""

    def process_response(self, request, response):
        if not is_api(request):
            return response
        for name, value in getattr(request, "rate_limit_headers", {}).items():
            response[name] = value
        if request.method not in ("GET", "HEAD") or response.streaming:
            return response
        patch_vary_headers(response, ("Authorization", "Cookie"))
        patch_cache_control(response, private=True, no_cache=True)
        return super().process_response(request, response)
