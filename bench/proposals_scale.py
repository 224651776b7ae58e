"""Proposals at scale: 1,000,000 proposals across 17 committees (a municipal committee and its
16 districts), then the API over HTTP, the statistics function and the overdue query.

    make bench-proposals   (or: .venv/bin/python -m bench.proposals_scale [--rebuild] [--rows N])

Data is generated in SQL (INSERT … SELECT generate_series), so a million rows take about a
minute; the text search column is filled by the database as for any insert.
"""

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from bench.common import measure, setup_django

ROWS = int(sys.argv[sys.argv.index("--rows") + 1]) if "--rows" in sys.argv else 1_000_000
COMMITTEES, UNITS, SEATS = 17, 40, 300

BUILD_SQL = """
INSERT INTO proposals_proposal (
    committee_id, session_id, timing, kind, lead_id, body_kind, body_name, category_id, title,
    reason, analysis, suggestions, research_basis, disclose, disclosure_note, state, number,
    disposition, created_by_id, created_at, submitted_at, filed_at, rehandled, is_key,
    is_excellent)
SELECT c.committee_id, c.session_id, 'plenary', 'individual',
       c.first_seat + (g %% %(seats)s), '', '', c.first_category + (g %% 6),
       '关于' || (ARRAY['社区养老服务','老旧小区加装电梯','中小学课后服务','社区卫生服务',
                       '商圈能级提升','人工智能产业','滨江公共空间','垃圾分类管理'])[1 + g %% 8]
              || '的建议（' || g || '）',
       '群众反映较多，需要统筹推进。', '现状分析。', '一是加强统筹；二是完善政策。', '开展了调研。',
       true, '',
       CASE WHEN g %% 10 = 0 THEN 'submitted' WHEN g %% 10 = 1 THEN 'not_filed'
            WHEN g %% 10 IN (2, 3, 4) THEN 'handling' WHEN g %% 10 = 5 THEN 'replied'
            ELSE 'closed' END,
       CASE WHEN g %% 10 >= 2 THEN (g / %(committees)s) END,
       CASE WHEN g %% 10 = 1 THEN 'opinion' ELSE '' END,
       %(user)s, now(), timestamp '2023-01-07' + (g %% 300) * interval '1 day',
       CASE WHEN g %% 10 >= 2 THEN timestamp '2023-02-10' END, false, g %% 97 = 0, g %% 89 = 0
FROM generate_series(0, %(rows)s - 1) AS g
JOIN bench_committees AS c ON c.position = g %% %(committees)s;
"""

ASSIGN_SQL = """
INSERT INTO proposals_assignment (proposal_id, unit_id, role, status, assigned_on,
                                  acknowledge_by, due_on, replied_on, reassign_reason)
SELECT p.id, c.first_unit + (p.id %% %(units)s), 'lead',
       CASE WHEN p.state IN ('replied', 'closed') THEN 'replied' ELSE 'accepted' END,
       date '2023-02-20' + (p.id %% 600)::int, date '2023-02-27' + (p.id %% 600)::int,
       date '2023-05-20' + (p.id %% 600)::int,
       CASE WHEN p.state IN ('replied', 'closed') THEN date '2023-04-01' + (p.id %% 700)::int END,
       ''
FROM proposals_proposal AS p JOIN bench_committees AS c ON c.committee_id = p.committee_id
WHERE p.state IN ('handling', 'replied', 'closed');
"""

HAND_WRITTEN = """
SELECT count(*) AS submitted,
       count(*) FILTER (WHERE p.number IS NOT NULL) AS filed,
       count(*) FILTER (WHERE p.state = 'not_filed') AS not_filed,
       (SELECT count(*) FILTER (WHERE a.status = 'replied' AND a.replied_on <= a.due_on)
          FROM proposals_assignment a JOIN proposals_proposal q ON q.id = a.proposal_id
         WHERE q.committee_id = %s AND q.submitted_at >= %s AND q.submitted_at < %s
           AND q.state <> 'withdrawn') AS on_time
FROM proposals_proposal p
WHERE p.committee_id = %s AND p.submitted_at >= %s AND p.submitted_at < %s
  AND p.state <> 'withdrawn';
"""


def build() -> None:
    from datetime import date

    from django.db import connection, transaction

    from members.models import (
        Committee,
        HandlingUnit,
        Level,
        Person,
        PlenarySession,
        Seat,
        Term,
        User,
    )
    from proposals.models import Category

    start = time.perf_counter()
    with transaction.atomic():
        user = User.objects.create_superuser(
            "bench", "bench@example.org", "bench-password", name="基准"
        )
        city = Committee.objects.create(
            name="市政协（基准）", short_name="市政协", level=Level.MUNICIPAL, region_code="310000"
        )
        committees = [city] + [
            Committee.objects.create(
                name=f"第{i}区政协（基准）",
                short_name=f"第{i}区",
                level=Level.DISTRICT,
                region_code=f"3101{i:02d}",
                parent=city,
            )
            for i in range(1, COMMITTEES)
        ]
        rows = []
        for position, committee in enumerate(committees):
            term = Term.objects.create(committee=committee, number=14, starts_on=date(2022, 1, 1))
            session = PlenarySession.objects.create(
                term=term, number=2, opens_on=date(2023, 1, 5), closes_on=date(2023, 1, 8)
            )
            categories = Category.objects.bulk_create(
                [Category(committee=committee, name=f"类别{j}", order=j) for j in range(6)]
            )
            units = HandlingUnit.objects.bulk_create(
                [HandlingUnit(committee=committee, name=f"单位{j}") for j in range(UNITS)]
            )
            persons = Person.objects.bulk_create(
                [Person(name=f"委员{position}-{j}") for j in range(SEATS)]
            )
            seats = Seat.objects.bulk_create(
                [
                    Seat(person=p, committee=committee, term=term, started_on=date(2022, 1, 1))
                    for p in persons
                ]
            )
            rows.append(
                (position, committee.pk, session.pk, categories[0].pk, units[0].pk, seats[0].pk)
            )
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_committees")
            cursor.execute(
                "CREATE TABLE bench_committees (position int, committee_id bigint, "
                "session_id bigint, first_category bigint, first_unit bigint, "
                "first_seat bigint)"
            )
            cursor.executemany("INSERT INTO bench_committees VALUES (%s, %s, %s, %s, %s, %s)", rows)
            params = {
                "rows": ROWS,
                "committees": COMMITTEES,
                "seats": SEATS,
                "units": UNITS,
                "user": user.pk,
            }
            cursor.execute(BUILD_SQL, params)
            cursor.execute(ASSIGN_SQL, params)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"built {ROWS} proposals in {time.perf_counter() - start:.0f} s")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def load(url: str, headers: dict, *, requests: int = 400, concurrency: int = 8) -> dict:
    """A bounded load over HTTP: `requests` GETs by `concurrency` threads; latency and rate."""

    def one(_):
        request = urllib.request.Request(url, headers=headers)
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            assert response.status == 200
        return time.perf_counter() - start

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = sorted(pool.map(one, range(requests)))
    elapsed = time.perf_counter() - start
    result = {
        "p50_ms": round(1000 * statistics.median(latencies), 1),
        "p95_ms": round(1000 * latencies[int(0.95 * len(latencies)) - 1], 1),
        "max_ms": round(1000 * latencies[-1], 1),
        "req_per_s": round(requests / elapsed, 1),
    }
    print(
        f"HTTP {url.split('/api/v1')[1]:<52} {concurrency} clients: p50 {result['p50_ms']} ms, "
        f"p95 {result['p95_ms']} ms, max {result['max_ms']} ms, {result['req_per_s']} req/s"
    )
    return result


def main() -> None:
    setup_django()
    from django.db import connection

    from members.models import Committee, Level, User
    from members.workflow import issue_api_token
    from proposals.models import Proposal
    from proposals.selectors import with_overdue
    from proposals.stats import proposal_figures

    if "--rebuild" in sys.argv or Proposal.objects.count() < ROWS:
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)
        build()
    district = Committee.objects.filter(level=Level.DISTRICT).order_by("pk").first()
    admin = User.objects.get(username="bench")
    _token, key = issue_api_token(committee=district, name=f"bench-{time.time()}", by=admin)
    print(f"{Proposal.objects.count()} proposals; measuring with {district}")

    measure(
        "proposal_figures(district, year=2023)",
        lambda: proposal_figures(district, year=2023),
        runs=5,
    )
    bounds = ("2023-01-01", "2024-01-01")
    with connection.cursor() as cursor:
        hand = measure(
            "hand-written SQL (submitted, filed, not filed, on time)",
            lambda: (
                cursor.execute(HAND_WRITTEN, [district.pk, *bounds, district.pk, *bounds]),
                cursor.fetchall(),
            ),
            runs=5,
        )
    ours = measure(
        "proposal_figures again (for the ratio)",
        lambda: proposal_figures(district, year=2023),
        runs=5,
    )
    print(
        f"ratio statistics function / hand-written SQL: {ours['median_ms'] / hand['median_ms']:.1f}"
    )
    measure(
        "overdue proposals now, one district (count)",
        lambda: (
            with_overdue(Proposal.objects.filter(committee=district)).filter(overdue=True).count()
        ),
        runs=5,
    )
    measure(
        "overdue proposals now, all committees (count)",
        lambda: with_overdue(Proposal.objects.all()).filter(overdue=True).count(),
        runs=3,
    )

    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "API_RATE_TOKEN": "1000000/1m",  # the API is measured, not its rate limit
    }
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cppcc_portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}/api/v1"
        headers = {"Authorization": f"Token {key}"}
        probe = urllib.request.Request(f"{base}/me/", headers=headers)
        for _ in range(100):
            try:
                urllib.request.urlopen(probe, timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        one = (
            Proposal.objects.filter(committee=district, state="handling")
            .values_list("pk", flat=True)
            .first()
        )
        load(f"{base}/proposals/?state=handling&page_size=50", headers)
        category = (
            Proposal.objects.filter(committee=district).values_list("category", flat=True).first()
        )
        load(f"{base}/proposals/?overdue=true&category={category}&page_size=50", headers)
        load(f"{base}/proposals/{one}/", headers)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    from cppcc_portal import embedded

    try:
        main()
    finally:
        embedded.stop(only_started_here=True)
