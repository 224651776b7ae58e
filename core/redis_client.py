"""The portal's own Redis connection (settings.REDIS_URL, one pool per process) for counters the
cache API cannot keep in one round trip: API rate windows, vote limits and live tallies. Keys
are named after the database (`key`), so that test runs and a demo sharing one Redis keep apart."""

from functools import cache

import redis
from django.conf import settings


def client() -> redis.Redis:
    return _client_for(settings.REDIS_URL)


@cache
def _client_for(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def key(*parts) -> str:
    """`<database>:<part>:<part>…`."""
    return ":".join(str(part) for part in (settings.DATABASES["default"]["NAME"], *parts))
