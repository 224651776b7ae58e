"""API rate limits: per token, per signed-in user, per address without credentials
(`settings.API_RATES`, each `count/period` such as "600/1m"). A sliding window in the cache
(Redis); past the limit 429 with `Retry-After`. Every API answer carries the IETF headers
`RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds until the window has
room again), written by cppcc_portal.middleware.ApiConditionalGetMiddleware."""

import re

from axes.helpers import get_client_ip_address
from django.conf import settings
from rest_framework import throttling

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """`<count>/<n><s|m|h|d>`, e.g. "10/10m" → (10, 600) (DRF's own parser reads only the unit)."""
    count, period = rate.split("/")
    match = re.fullmatch(r"(\d*)([smhd])", period)
    if match is None:
        raise ValueError(f"a rate is count/period such as 600/1m, not {rate!r}")
    number, unit = match.groups()
    return int(count), int(number or 1) * _UNITS[unit]


def caller_kind(request) -> str:
    """token (an API token, district or personal), user (a session) or anon."""
    if getattr(request, "auth", None) is not None and hasattr(request.auth, "key_hash"):
        return "token"
    user = getattr(request, "user", None)
    return "user" if user is not None and user.is_authenticated else "anon"


class ApiRateThrottle(throttling.SimpleRateThrottle):
    """One window per token, per user or per address, whichever the caller is."""

    cache_format = "api-rate:%(scope)s:%(ident)s"

    def __init__(self):
        pass  # the rate depends on the caller: read in allow_request

    def parse_rate(self, rate):
        return parse_rate(rate)

    def get_cache_key(self, request, view):
        if self.scope == "token":
            ident = request.auth.pk
        elif self.scope == "user":
            ident = request.user.pk
        else:
            ident = get_client_ip_address(request) or ""
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view):
        self.scope = caller_kind(request)
        self.rate = settings.API_RATES[self.scope]
        self.num_requests, self.duration = self.parse_rate(self.rate)
        allowed = super().allow_request(request, view)
        reset = self.wait() if not allowed else self._reset()
        request._request.rate_limit_headers = {
            "RateLimit-Limit": str(self.num_requests),
            "RateLimit-Remaining": str(max(0, self.num_requests - len(self.history))),
            "RateLimit-Reset": str(int(reset)),
            "RateLimit-Policy": f"{self.num_requests};w={self.duration}",
        }
        return allowed

    def _reset(self) -> float:
        if not self.history:
            return 0
        return max(0, self.duration - (self.now - self.history[-1]))

    def wait(self):
        """Whole seconds until the oldest request of the window leaves it (at least 1)."""
        return max(1, int(self._reset()) + 1)
