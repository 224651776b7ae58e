"""The portal speaks Chinese unless the user picked English with the language switch; the API
speaks the language its client asks for (Accept-Language)."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

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
