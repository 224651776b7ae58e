"""Shared by the benchmarks: a database of their own (<name>_bench on the same server), Django
set up on it, and timing that reports the median of several runs with its query count."""

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


BENCH_QUEUE = "bench"


def setup_django(suffix: str = "_bench") -> None:
    """Point DATABASE_URL at <database>_bench (created if missing), migrate, set Django up.
    `suffix=""` uses the database named by DATABASE_URL itself (a scratch database)."""
    os.environ.setdefault("DEBUG", "1")
    # Tasks a benchmark enqueues (e-mail after a reminder scan) go to a queue of their own, so a
    # running portal's worker never takes them; bench scripts empty it when they end.
    os.environ["CELERY_QUEUE"] = BENCH_QUEUE
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cppcc_portal.settings")
    from cppcc_portal import embedded

    url = urlsplit(os.environ.get("DATABASE_URL") or embedded.database_url())
    bench_name = url.path.strip("/") + suffix
    import psycopg2

    admin = psycopg2.connect(urlunsplit(url._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [bench_name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{bench_name}"')
    admin.close()
    os.environ["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{bench_name}"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def measure(label: str, function, *, runs: int = 7) -> dict:
    """Run `function` `runs` times; print and return the median time and the query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()  # warm-up: caches, connection, plans
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            function()
            times.append(time.perf_counter() - start)
        queries = len(captured)
    result = {
        "label": label,
        "median_ms": round(1000 * statistics.median(times), 1),
        "min_ms": round(1000 * min(times), 1),
        "queries": queries,
    }
    print(
        f"{label:<55} median {result['median_ms']:>8} ms   min {result['min_ms']:>8} ms   "
        f"{queries} queries"
    )
    return result


def purge_bench_queue() -> None:
    import redis
    from django.conf import settings

    redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(BENCH_QUEUE)
