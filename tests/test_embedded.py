"""The embedded PostgreSQL and Redis: started once, then found and reused by every process."""

import os
import subprocess
import sys

import pytest
import redis
from django.conf import settings
from django.db import connection

embedded_only = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL") or os.environ.get("REDIS_URL")),
    reason="DATABASE_URL / REDIS_URL point at real servers",
)


def test_settings_use_a_real_postgresql_and_redis(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")
    assert redis.Redis.from_url(settings.REDIS_URL).ping()


@embedded_only
def test_a_second_process_reuses_the_running_servers():
    code = (
        "from cppcc_portal import embedded as e; "
        "print(e.database_url()); print(e.redis_url()); print(sorted(e.started_here))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    database_url, redis_url, started = result.stdout.strip().splitlines()
    assert database_url == settings.DATABASE_URL
    assert redis_url == settings.REDIS_URL
    assert started == "[]"


@embedded_only
def test_status_command():
    result = subprocess.run(
        [sys.executable, "-m", "cppcc_portal.embedded", "status"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "postgres: running" in result.stdout and "redis: running" in result.stdout
