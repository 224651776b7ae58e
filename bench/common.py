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


DEFAULT_PORT = 8713


def bench_port() -> int:
    """The one port a bench server listens on: `--port N`, else BENCH_PORT, else 8713 (never a
    random one: the caller decides what may listen on this machine)."""
    if "--port" in sys.argv:
        return int(sys.argv[sys.argv.index("--port") + 1])
    return int(os.environ.get("BENCH_PORT", DEFAULT_PORT))


def get(url: str, headers: dict | None = None) -> float:
    """One GET (must answer 200); its time in seconds."""
    import urllib.request

    start = time.perf_counter()
    with urllib.request.urlopen(
        urllib.request.Request(url, headers=headers or {}), timeout=60
    ) as r:
        r.read()
        if r.status != 200:
            raise RuntimeError(f"{url} answered {r.status}")
    return time.perf_counter() - start


def latency(url: str, headers: dict | None = None, *, runs: int = 15) -> float:
    """Median milliseconds of sequential GETs (after one warm-up)."""
    get(url, headers)
    return 1000 * statistics.median(get(url, headers) for _ in range(runs))


def throughput(url: str, headers: dict | None = None, *, requests=200, concurrency=4) -> float:
    """Requests per second of `concurrency` clients doing `requests` GETs in all."""
    from concurrent.futures import ThreadPoolExecutor

    get(url, headers)
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda _: get(url, headers), range(requests)))
    return requests / (time.perf_counter() - start)


def paired_throughput(
    floor_url: str, portal_url: str, headers: dict, *, rounds: int = 7
) -> tuple[float, float]:
    """Median requests per second of the floor and of the portal, measured in alternating
    rounds: the machine's speed drifts by a third between runs of a few seconds, and both sides
    of a ratio should see the same drift."""
    floors, portals = [], []
    for _ in range(rounds):
        floors.append(throughput(floor_url))
        portals.append(throughput(portal_url, headers))
    return statistics.median(floors), statistics.median(portals)


class Table:
    """The rows of issue 13's table: what, floor, portal, ratio, target — printed as measured
    and again together at the end."""

    HEADER = ("what", "floor", "portal", "ratio", "target", "met")

    def __init__(self):
        self.rows: list[tuple[str, ...]] = []

    def add(self, what, floor, portal, ratio, target, met: bool | None) -> None:
        row = (what, floor, portal, ratio, target, {True: "yes", False: "NO", None: "—"}[met])
        self.rows.append(row)
        print("  | ".join(row), flush=True)

    def print(self) -> None:
        print("\n| " + " | ".join(self.HEADER) + " |")
        print("|" + " --- |" * len(self.HEADER))
        for row in self.rows:
            print("| " + " | ".join(row) + " |")
