"""Brand voting under load: the portal's vote endpoint against a bare Django view, on one gunicorn.

    make bench-voting        (or: python -m bench.brand_voting [--clients 64] [--seconds 10])

Builds, in the bench database, two rounds in their voting window with 400 candidates each, starts
gunicorn on 127.0.0.1 (gthread workers, settings bench.voting_settings), gives every client a
confirmed voter's session and a CSRF token, and then lets the clients vote as fast as they can:
first against the floor (bench.voting_urls.floor: the same middleware and session, one INSERT),
then against the portal's endpoint (identity, two per-IP windows in Redis, the round's rule under
an advisory lock, the unique constraint, the live tally). It prints accepted votes per second,
the ratio to the floor, the median and 95th percentile latency, and lost votes: votes the server
acknowledged (201) minus votes stored — which must be 0. Loopback only; bounded in time.
"""

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from urllib.parse import urlencode

from bench.common import ROOT, bench_port, setup_django

CANDIDATES = 400


def _rounds():
    """Two rounds open for voting (one for the floor, one for the portal), 400 candidates each."""
    from django.utils import timezone

    from brands.models import Brand, Candidate, Round, Series
    from members.models import Committee, Level, User

    committee, _ = Committee.objects.get_or_create(
        region_code="999000",
        defaults={"name": "基准测试市政协", "short_name": "基准市政协", "level": Level.MUNICIPAL},
    )
    office, _ = User.objects.get_or_create(username="bench_brands", defaults={"name": "基准"})
    series, _ = Series.objects.get_or_create(committee=committee, name="基准系列")
    brands = list(Brand.objects.filter(committee=committee).order_by("pk")[:CANDIDATES])
    if len(brands) < CANDIDATES:
        Brand.objects.bulk_create(
            Brand(
                committee=committee,
                series=series,
                name=f"基准品牌{n:03d}",
                founded_year=2020,
                overview="基准",
            )
            for n in range(len(brands), CANDIDATES)
        )
        brands = list(Brand.objects.filter(committee=committee).order_by("pk")[:CANDIDATES])
    now, today = timezone.now(), timezone.localdate()
    rounds = []
    for label in ("floor", "portal"):
        round_ = Round.objects.create(
            committee=committee,
            year=today.year,
            title=f"基准{label}{uuid.uuid4().hex[:8]}",
            nomination_closes_on=today,
            check_closes_on=today,
            scoring_closes_on=today,
            voting_opens_at=now - timedelta(hours=1),
            voting_closes_at=now + timedelta(hours=2),
            deliberation_on=today + timedelta(days=1),
            publication_on=today + timedelta(days=1),
            state=Round.State.VOTING,
            candidates_per_day=CANDIDATES,
        )
        round_.series.set([series])
        Candidate.objects.bulk_create(
            Candidate(
                round=round_,
                brand=brand,
                number=n + 1,
                materials="基准",
                nominated_by=office,
                state=Candidate.State.ELIGIBLE,
            )
            for n, brand in enumerate(brands)
        )
        rounds.append(round_)
    return rounds


def _session(voter: str) -> str:
    from django.contrib.sessions.backends.db import SessionStore

    from brands.voting import SESSION_KEY

    store = SessionStore()
    store[SESSION_KEY] = {"kind": "phone", "voter": voter}
    store.create()
    return store.session_key


class Client(threading.Thread):
    """One voter's browser: keep-alive connection, session and CSRF cookies, votes in a loop."""

    def __init__(self, port, path, candidate_ids, session_key, stop_at):
        super().__init__(daemon=True)
        self.port, self.path, self.ids = port, path, candidate_ids
        self.session_key, self.stop_at = session_key, stop_at
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}

    def _connection(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def run(self):
        connection = self._connection()
        connection.request("GET", "/brands/", headers={"Cookie": f"sessionid={self.session_key}"})
        response = connection.getresponse()
        response.read()
        token = next(
            part.split("=", 1)[1]
            for header in response.headers.get_all("Set-Cookie") or []
            for part in header.split(";")
            if part.strip().startswith("csrftoken=")
        )
        headers = {
            "Cookie": f"sessionid={self.session_key}; csrftoken={token}",
            "X-CSRFToken": token,
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            "Referer": f"http://127.0.0.1:{self.port}/brands/",
        }
        for candidate in self.ids:
            if time.monotonic() >= self.stop_at:
                break
            body = urlencode({"candidate": candidate})
            start = time.perf_counter()
            try:
                connection.request("POST", self.path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = self._connection()
                status = 0
            self.latencies.append(time.perf_counter() - start)
            self.statuses[status] = self.statuses.get(status, 0) + 1
        connection.close()


def _load(port, path, round_, *, clients, seconds, tag):
    ids = list(round_.candidates.order_by("number").values_list("pk", flat=True))
    sessions = [_session(f"188{tag}{n:05d}") for n in range(clients)]  # a new voter per run
    stop_at = time.monotonic() + seconds
    threads = [
        Client(port, path, ids[n % 7 :] + ids[: n % 7], sessions[n], stop_at)
        for n in range(clients)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    latencies = sorted(x for t in threads for x in t.latencies)
    statuses: dict[int, int] = {}
    for thread in threads:
        for status, n in thread.statuses.items():
            statuses[status] = statuses.get(status, 0) + n
    return {
        "accepted": statuses.get(201, 0),
        "per_second": statuses.get(201, 0) / elapsed,
        "median_ms": 1000 * statistics.median(latencies) if latencies else 0,
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0,
        "statuses": statuses,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    setup_django()
    from brands.models import Vote

    floor_round, portal_round = _rounds()
    port = bench_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.voting_settings"}
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, our arguments
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "cppcc_portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        print(
            f"gunicorn {args.workers} workers × {args.threads} threads, {args.clients} clients, "
            f"{args.seconds:g} s per run, {os.cpu_count()} CPUs"
        )
        runs = (
            ("floor", f"/floor/{floor_round.pk}/vote/", floor_round),
            ("portal", f"/brands/rounds/{portal_round.pk}/vote/", portal_round),
        )
        for tag, (_name, path, round_) in enumerate(runs):  # warm-up: workers, connections
            _load(port, path, round_, clients=args.clients, seconds=2, tag=f"w{tag}")
        results = {}
        for tag, (name, path, round_) in enumerate(runs):
            before = Vote.objects.filter(round=round_).count()
            result = _load(
                port, path, round_, clients=args.clients, seconds=args.seconds, tag=f"m{tag}"
            )
            stored = Vote.objects.filter(round=round_).count() - before
            result["lost"] = result["accepted"] - stored
            results[name] = result
            print(
                f"{name:<7} accepted {result['accepted']:>7}  {result['per_second']:>8.1f} votes/s"
                f"  median {result['median_ms']:>7.1f} ms  p95 {result['p95_ms']:>7.1f} ms"
                f"  stored {stored:>7}  lost {result['lost']}  statuses {result['statuses']}"
            )
        ratio = results["portal"]["per_second"] / results["floor"]["per_second"]
        print(
            f"portal / floor throughput: {ratio:.2f} (target ≥ 0.5); lost votes: "
            f"{results['portal']['lost']} (must be 0)"
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    sys.exit(0 if results["portal"]["lost"] == 0 else 1)


if __name__ == "__main__":
    main()
