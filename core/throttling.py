"""API rate limits: per token, per signed-in user, per address without credentials
(`settings.API_RATES`, each `count/period` such as "600/1m"); past the limit 429 with
`Retry-After`. Every API answer carries the IETF headers `RateLimit-Limit`, `RateLimit-Remaining`
and `RateLimit-Reset` (seconds until the window has room again), written by
cppcc_portal.middleware.ApiConditionalGetMiddleware.

A sliding window counted in Redis with two fixed windows (the current one, and the previous one
weighted by how much of it still overlaps the sliding window), in one round trip per request
whatever the rate: DRF's own throttle keeps a list of every request's time in the window and
reads and writes it whole, which at 1,200 a minute cost milliseconds per request. Refused
requests are not counted."""

import math
import re
import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from rest_framework import throttling

from core import redis_client

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


class ApiRateThrottle(throttling.BaseThrottle):
    """One window per token, per user or per address, whichever the caller is."""

    def allow_request(self, request, view):
        scope = caller_kind(request)
        limit, period = parse_rate(settings.API_RATES[scope])
        if scope == "token":
            ident = request.auth.pk
        elif scope == "user":
            ident = request.user.pk
        else:
            ident = get_client_ip_address(request) or ""
        now = time.time()
        window, into = divmod(now, period)
        current, previous = (
            redis_client.key("api-rate", scope, ident, period, int(w)) for w in (window, window - 1)
        )
        with redis_client.client().pipeline(transaction=False) as pipe:
            pipe.incr(current)
            pipe.expire(current, 2 * period)
            pipe.get(previous)
            count, _expiry, before = pipe.execute()
        before = int(before or 0)
        used = before * (period - into) / period + count
        if used <= limit:
            reset = period - into
        else:
            redis_client.client().decr(current)  # a refused request uses nothing
            reset = self.retry_after = max(
                1, math.ceil(_until_room(limit, period, into, before, count - 1))
            )
        request._request.rate_limit_headers = {
            "RateLimit-Limit": str(limit),
            "RateLimit-Remaining": str(max(0, limit - math.ceil(min(used, limit)))),
            "RateLimit-Reset": str(math.ceil(reset)),
            "RateLimit-Policy": f"{limit};w={period}",
        }
        return used <= limit

    def wait(self):
        """Whole seconds until one more request fits the window (at least 1)."""
        return getattr(self, "retry_after", 1)


def _until_room(limit: int, period: int, into: float, before: int, count: int) -> float:
    """Seconds until one more request fits: while the current window has room of its own, until
    the previous window's share has shrunk enough; otherwise into the next window, until the
    share of this one (`count`) has."""
    if count < limit:
        return period - into - (limit - count - 1) * period / before
    return period - into + period * (1 - (limit - 1) / count)
