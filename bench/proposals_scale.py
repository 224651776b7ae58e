"""Proposals at scale (issue 13's table): 1,000,000 proposals across 17 committees (a municipal
committee and its 16 districts), 800,000 assignments, 500,000 replies and their ratings; each
figure of the portal beside its floor built here — a bare Django view returning the same rows
with .values() and JsonResponse (bench.proposals_urls), one hand-written SQL statement computing
every figure — with the ratio and the target. The reminder scan's row is bench.background_work's.

    make bench-proposals   (or: .venv/bin/python -m bench.proposals_scale [--rebuild]
                            [--rows N] [--port P] [--only figures,admin,http])

BENCH_PROPOSALS=N sets a smaller scale while developing (the data is rebuilt when the count
differs). The server listens on 127.0.0.1 at --port, BENCH_PORT or 8713 (bench.common). Data
is generated in SQL (INSERT … SELECT generate_series): about six minutes for a million rows on
two shared cores, most of it the text search column the database fills as for any insert and
the foreign-key checks at commit.
"""

import os
import subprocess
import sys
import time
from datetime import date
from urllib.parse import quote

from bench.common import (
    Table,
    bench_port,
    get,
    latency,
    measure,
    paired_throughput,
    setup_django,
)

# The scale: --rows N, or BENCH_PROPOSALS=N (a smaller one while developing), else a million.
ROWS = int(
    sys.argv[sys.argv.index("--rows") + 1]
    if "--rows" in sys.argv
    else os.environ.get("BENCH_PROPOSALS", 1_000_000)
)
COMMITTEES, UNITS, SEATS = 17, 40, 300

BUILD_SQL = """
INSERT INTO proposals_proposal (
    committee_id, session_id, timing, kind, lead_id, body_kind, body_name, category_id, title,
    reason, analysis, suggestions, research_basis, disclose, disclosure_note, state, number,
    disposition, created_by_id, created_at, submitted_at, filed_at, rehandled, is_key,
    is_excellent, public)
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
       CASE WHEN g %% 10 >= 2 THEN timestamp '2023-02-10' END, false, g %% 97 = 0, g %% 89 = 0,
       -- public (双公开): replied or closed, and its reply publishable (see REPLY_SQL)
       g %% 10 >= 5 AND (g / %(committees)s) %% 20 <> 0
FROM generate_series(0, %(rows)s - 1) AS g
JOIN bench_committees AS c ON c.position = g %% %(committees)s;
"""

ASSIGN_SQL = """
INSERT INTO proposals_assignment (proposal_id, unit_id, role, status, assigned_on,
                                  acknowledge_by, due_on, replied_on, reassign_reason, opinion)
SELECT p.id, c.first_unit + (p.id %% %(units)s), 'lead',
       CASE WHEN p.state IN ('replied', 'closed') THEN 'replied' ELSE 'accepted' END,
       date '2023-02-20' + (p.id %% 600)::int, date '2023-02-27' + (p.id %% 600)::int,
       date '2023-05-20' + (p.id %% 600)::int,
       CASE WHEN p.state IN ('replied', 'closed') THEN date '2023-04-01' + (p.id %% 700)::int END,
       '', ''
FROM proposals_proposal AS p JOIN bench_committees AS c ON c.committee_id = p.committee_id
WHERE p.state IN ('handling', 'replied', 'closed');
"""

# One reply per replied assignment (one proposal's in twenty not publishable, with the reason),
# and the proposers' ratings of the closed proposals' replies: the public pages and the figures
# have something to show.
REPLY_SQL = """
INSERT INTO proposals_reply (assignment_id, result, text, signatory, replied_on, publishable,
                             not_publishable_reason, is_rehandling, letter, letter_name)
SELECT a.id, (ARRAY['A', 'B', 'C'])[1 + a.id %% 3],
       '经研究，现答复如下：一、关于加强统筹的建议，我单位已会同有关部门制定工作方案；'
       || '二、关于完善政策的建议，将在年内出台配套措施。感谢对我们工作的关心和支持。',
       '张主任', a.replied_on, p.number %% 20 <> 0,
       CASE WHEN p.number %% 20 = 0 THEN '涉及内部工作安排' ELSE '' END, false, '', ''
FROM proposals_assignment AS a JOIN proposals_proposal AS p ON p.id = a.proposal_id
WHERE a.status = 'replied';
"""

FEEDBACK_SQL = """
INSERT INTO proposals_feedback (reply_id, rating, comment, by_id, at)
SELECT r.id,
       CASE WHEN r.id %% 10 < 7 THEN 'satisfied' WHEN r.id %% 10 < 9 THEN 'basic'
            ELSE 'dissatisfied' END,
       '', %(user)s, now()
FROM proposals_reply AS r
JOIN proposals_assignment AS a ON a.id = r.assignment_id
JOIN proposals_proposal AS p ON p.id = a.proposal_id
WHERE p.state = 'closed';
"""

# Every figure of proposals.stats.proposal_figures by hand, in one statement: the proposals
# scanned once (a CTE), their breakdowns by grouping sets, their assignments joined once to the
# replies and ratings.
HAND_WRITTEN = """
WITH p AS (
    SELECT p.id, p.kind, p.state, p.number, p.disposition, p.rehandled, p.is_key,
           p.is_excellent, c.name AS category, party.name AS party, sector.name AS sector
    FROM proposals_proposal p
    JOIN proposals_category c ON c.id = p.category_id
    LEFT JOIN members_seat s ON s.id = p.lead_id
    LEFT JOIN members_party party ON party.id = s.party_id
    LEFT JOIN members_sector sector ON sector.id = s.sector_id
    WHERE p.committee_id = %(committee)s AND p.submitted_at >= %(start)s
      AND p.submitted_at < %(end)s AND p.state <> 'withdrawn'
), totals AS (
    SELECT count(*) AS submitted,
           count(*) FILTER (WHERE number IS NOT NULL) AS filed,
           count(*) FILTER (WHERE state = 'not_filed') AS not_filed,
           count(*) FILTER (WHERE state = 'merged') AS merged,
           count(*) FILTER (WHERE state IN ('submitted', 'second_review', 'final_review'))
               AS in_review,
           count(*) FILTER (WHERE rehandled) AS rehandled,
           count(*) FILTER (WHERE is_key) AS key,
           count(*) FILTER (WHERE is_excellent) AS excellent,
           count(*) FILTER (WHERE state = 'closed') AS closed
    FROM p
), breakdowns AS (
    SELECT kind, category, party, sector, disposition, count(*) AS n,
           count(*) FILTER (WHERE state = 'not_filed') AS not_filed
    FROM p GROUP BY GROUPING SETS ((kind), (category), (party), (sector), (disposition))
), handling AS (
    SELECT count(DISTINCT a.id) FILTER (WHERE a.status = 'replied') AS replied,
           count(DISTINCT a.id) FILTER (WHERE a.status = 'replied' AND a.replied_on <= a.due_on)
               AS on_time,
           count(DISTINCT a.id) FILTER (WHERE a.status IN ('assigned', 'accepted',
               'reassign_requested') AND a.due_on < %(today)s) AS overdue,
           count(DISTINCT a.proposal_id) FILTER (WHERE a.status IN ('assigned', 'accepted',
               'reassign_requested') AND a.due_on < %(today)s) AS overdue_proposals,
           count(DISTINCT a.unit_id) AS units,
           count(r.id) FILTER (WHERE r.result = 'A') AS a,
           count(r.id) FILTER (WHERE r.result = 'B') AS b,
           count(r.id) FILTER (WHERE r.result = 'C') AS c,
           count(f.id) FILTER (WHERE f.rating = 'satisfied') AS satisfied,
           count(f.id) FILTER (WHERE f.rating = 'basic') AS basic,
           count(f.id) FILTER (WHERE f.rating = 'dissatisfied') AS dissatisfied
    FROM proposals_assignment a
    JOIN p ON p.id = a.proposal_id
    LEFT JOIN proposals_reply r ON r.assignment_id = a.id
    LEFT JOIN proposals_feedback f ON f.reply_id = r.id
    WHERE a.status <> 'withdrawn'
)
SELECT row_to_json(totals), (SELECT json_agg(breakdowns) FROM breakdowns), row_to_json(handling)
FROM totals, handling;
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
            cursor.execute(REPLY_SQL, params)
            cursor.execute(FEEDBACK_SQL, params)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"built {ROWS} proposals in {time.perf_counter() - start:.0f} s")


def _ms(value: float) -> str:
    return f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"


def jit_costs(table, run, label: str) -> None:
    """The same work with PostgreSQL's JIT on and off, on this connection."""
    from django.db import connection

    times = {}
    for setting in ("on", "off"):
        with connection.cursor() as cursor:
            cursor.execute(f"SET jit = {setting}")
        times[setting] = measure(f"{label}, jit {setting}", run, runs=5)["median_ms"]
    with connection.cursor() as cursor:
        cursor.execute("RESET jit")
    table.add(
        f"JIT cost: {label}",
        f"jit off {_ms(times['off'])}",
        f"jit on {_ms(times['on'])}",
        f"{times['on'] / times['off']:.2f}",
        "off if on costs more",
        None,
    )


def figures_rows(table, district) -> None:
    from django.db import connection

    from proposals.stats import proposal_figures

    params = {
        "committee": district.pk,
        "start": "2023-01-01",
        "end": "2024-01-01",
        "today": date.today(),
    }
    with connection.cursor() as cursor:
        hand = measure(
            "hand-written SQL, every figure",
            lambda: (cursor.execute(HAND_WRITTEN, params), cursor.fetchall()),
            runs=5,
        )
    ours = measure(
        "proposal_figures(district, year=2023)",
        lambda: proposal_figures(district, year=2023),
        runs=5,
    )
    ratio = ours["median_ms"] / hand["median_ms"]
    table.add(
        "yearly proposal figures of one district",
        f"one hand-written SQL statement, every figure: {_ms(hand['median_ms'])}",
        f"proposal_figures {_ms(ours['median_ms'])} ({ours['queries']} queries)",
        f"{ratio:.2f}×",
        "≤ 1.2× the SQL",
        ratio <= 1.2,
    )
    jit_costs(table, lambda: proposal_figures(district, year=2023), "proposal_figures")


def admin_rows(table, admin) -> None:
    """The admin's proposal change list, in process (the test client) to count its queries."""
    from django.test import Client
    from django.test.utils import override_settings

    client = Client()
    client.force_login(admin)
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for label, query in (
            ("page 1", ""),
            ("page 2, state filter", "?p=1&state__exact=handling"),
        ):
            url = f"/admin/proposals/proposal/{query}"
            result = measure(f"admin proposal change list, {label}", lambda u=url: client.get(u))
            table.add(
                f"admin proposal change list, {label}",
                "—",
                f"{_ms(result['median_ms'])}, {result['queries']} queries",
                "—",
                "< 300 ms, constant queries",
                result["median_ms"] < 300,
            )


def http_rows(table, port: int, district, key: str) -> None:

    env = {
        **os.environ,
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "bench.proposals_settings",
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
        root = f"http://127.0.0.1:{port}"
        headers = {"Authorization": f"Token {key}"}
        for _ in range(150):
            try:
                get(f"{root}/api/v1/me/", headers)
                break
            except OSError:
                time.sleep(0.2)
        pairs = api_pairs(district)
        for what, floor_url, portal_url, target in pairs:
            floor, ours = paired_throughput(root + floor_url, root + portal_url, headers)
            floor_ms, ours_ms = latency(root + floor_url), latency(root + portal_url, headers)
            table.add(
                what,
                f"bare view: {floor:.0f} req/s, {_ms(floor_ms)}",
                f"{ours:.0f} req/s, {_ms(ours_ms)}",
                f"{ours / floor:.2f}",
                f"≥ {target}× the floor's throughput",
                ours / floor >= target,
            )
        for label, query in (("q=养老", "?q=养老"), ("no term", "")):
            floor_ms = latency(f"{root}/floor/public/{quote(query, safe='?=')}")
            ours_ms = latency(f"{root}/proposals/public/{quote(query, safe='?=')}")
            table.add(
                f"public search 提案公开, {label}",
                f"bare view: {_ms(floor_ms)}",
                _ms(ours_ms),
                f"{floor_ms / ours_ms:.2f}",
                "< 100 ms",
                ours_ms < 100,
            )
        first = latency(f"{root}/api/v1/assignments/?page_size=50", headers)
        deep = _deep_assignments_page(root, headers)
        table.add(
            "/api/v1/assignments/ page 1 / page 500",
            "—",
            f"{_ms(first)} / {deep}",
            "—",
            "cursor pages like proposals",
            None,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


def api_pairs(district) -> list[tuple[str, str, str, float]]:
    """(what, the floor's URL, the portal's URL, the target ratio) of the API rows: the list
    page of the district's proposals being handled, and the detail of one it replied to."""
    from proposals.models import Proposal

    one = (
        Proposal.objects.filter(committee=district, state="replied")
        .values_list("pk", flat=True)
        .first()
    )
    return [
        (
            "API proposal list page (50 rows, committee + state filter)",
            f"/floor/proposals/?committee={district.pk}&state=handling",
            f"/api/v1/proposals/?committee={district.pk}&state=handling&page_size=50",
            0.5,
        ),
        ("API proposal detail", f"/floor/proposals/{one}/", f"/api/v1/proposals/{one}/", 0.7),
    ]


def _deep_assignments_page(root: str, headers: dict) -> str:
    """Page 500 by number where the list pages by number; by cursor, the 500th page's link
    followed (its time alone)."""
    import json
    import urllib.request

    url = f"{root}/api/v1/assignments/?page_size=50&page=500"
    try:
        return _ms(latency(url, headers, runs=5))
    except urllib.error.HTTPError:
        pass  # paged by cursor: follow the links
    url = f"{root}/api/v1/assignments/?page_size=50"
    for _ in range(499):
        request = urllib.request.Request(url, headers=headers)
        with urllib.request.urlopen(request, timeout=60) as response:
            url = json.loads(response.read())["next"]
        if not url:
            return "fewer than 500 pages"
    return _ms(latency(url, headers, runs=5))


def main() -> None:
    setup_django()
    from members.models import Committee, Level, User
    from members.workflow import issue_api_token
    from proposals.models import Proposal

    if "--rebuild" in sys.argv or Proposal.objects.count() != ROWS:
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)
        build()
    district = Committee.objects.filter(level=Level.DISTRICT).order_by("pk").first()
    admin = User.objects.get(username="bench")
    _token, key = issue_api_token(committee=district, name=f"bench-{time.time()}", by=admin)
    print(f"{Proposal.objects.count()} proposals; measuring with {district}")
    table = Table()
    parts = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else "figures,admin,http"
    if "figures" in parts:
        figures_rows(table, district)
    if "admin" in parts:
        admin_rows(table, admin)
    if "http" in parts:
        http_rows(table, bench_port(), district, key)
    table.print()


if __name__ == "__main__":
    from cppcc_portal import embedded

    try:
        main()
    finally:
        embedded.stop(only_started_here=True)
