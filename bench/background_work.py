"""The background work at scale: the reminder scan over 100,000 open assignments and the yearly
snapshot over 1,000,000 proposals, with the ratio to hand-written SQL for the heaviest figure.

    make bench-background   (or: .venv/bin/python -m bench.background_work)

Runs on the data of bench.proposals_scale (built first if missing), in <database>_bench.
Of its open assignments, 100,000 are kept open with deadlines from 30 days ago to 120 days
ahead (so every threshold occurs), the others are marked replied; each handling unit gets a
user and each committee a proposal office.
"""

import time

from bench import proposals_scale
from bench.common import Table, measure, purge_bench_queue, setup_django

OPEN = 100_000

# The overdue reminders (the unit's and, after 3 working days, the proposal office's), issued by
# hand: what the scan of "proposals.handling_overdue" does, as two plain SQL statements in one
# transaction (the notifications join the reminders this transaction created).
HAND_WRITTEN_OVERDUE = [
    """
    INSERT INTO notifications_reminder
        (kind, content_type_id, object_id, threshold, committee_id, params, url, created_at)
    SELECT 'proposals.handling_overdue', %(content_type)s, a.id, audience.threshold,
           p.committee_id,
           jsonb_build_object('number', p.number::text, 'title', p.title, 'unit', u.name,
                              'due', a.due_on::text),
           CASE audience.threshold WHEN 'unit' THEN '/proposals/unit/' || a.id || '/'
                ELSE '/admin/proposals/proposal/' || p.id || '/change/' END,
           now()
    FROM proposals_assignment a
    JOIN proposals_proposal p ON p.id = a.proposal_id
    JOIN members_handlingunit u ON u.id = a.unit_id
    JOIN (VALUES ('unit'), ('office')) AS audience (threshold)
      ON audience.threshold = 'unit' OR a.due_on <= %(escalate)s
    WHERE a.status IN ('assigned', 'accepted', 'reassign_requested') AND p.state = 'handling'
      AND a.due_on < %(today)s
    ON CONFLICT (kind, content_type_id, object_id, threshold) DO NOTHING
    """,
    """
    INSERT INTO notifications_notification (reminder_id, recipient_id, created_at, email)
    SELECT r.id, usr.id, now(),
           CASE WHEN usr.receives_email AND usr.email <> '' THEN 'pending' ELSE 'not_wanted' END
    FROM notifications_reminder r
    JOIN proposals_assignment a ON a.id = r.object_id
    JOIN proposals_proposal p ON p.id = a.proposal_id
    JOIN members_user usr ON usr.is_active
     AND ((r.threshold = 'unit' AND usr.handling_unit_id = a.unit_id)
          OR (r.threshold = 'office' AND usr.committee_id = p.committee_id))
    JOIN members_user_groups ug ON ug.user_id = usr.id
    JOIN auth_group g ON g.id = ug.group_id
     AND g.name = CASE r.threshold WHEN 'unit' THEN 'handling_unit' ELSE 'proposal_office' END
    WHERE r.kind = 'proposals.handling_overdue' AND r.created_at = now()
    """,
]


def prepare() -> None:
    from django.db import connection, transaction

    from core.roles import Role
    from members.models import HandlingUnit, User

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM proposals_assignment WHERE status = 'accepted' "
            "AND due_on >= current_date - 30"
        )
        if cursor.fetchone()[0] == OPEN:
            return
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE kept AS SELECT a.id FROM proposals_assignment a "
            "JOIN proposals_proposal p ON p.id = a.proposal_id "
            "WHERE a.status = 'accepted' AND p.state = 'handling' ORDER BY a.id LIMIT %s",
            [OPEN],
        )
        cursor.execute(
            "UPDATE proposals_assignment SET due_on = current_date + (id % 150)::int - 30 "
            "WHERE id IN (SELECT id FROM kept)"
        )
        cursor.execute(
            "UPDATE proposals_assignment SET status = 'replied', replied_on = due_on "
            "WHERE status = 'accepted' AND id NOT IN (SELECT id FROM kept)"
        )
        unit_role = Role.HANDLING_UNIT
        users = [
            User(
                username=f"bench-unit-{unit.pk}",
                name=unit.name,
                handling_unit=unit,
                email=f"unit{unit.pk}@example.org",
            )
            for unit in HandlingUnit.objects.all()
        ]
        users += [
            User(
                username=f"bench-office-{pk}",
                name="提案委办公室",
                committee_id=pk,
                email=f"office{pk}@example.org",
            )
            for pk in HandlingUnit.objects.values_list("committee", flat=True).distinct()
        ]
        User.objects.bulk_create(users, ignore_conflicts=True)
        from django.contrib.auth.models import Group

        for role, prefix in ((unit_role, "bench-unit-"), (Role.PROPOSAL_OFFICE, "bench-office-")):
            group = Group.objects.get(name=role)
            group.user_set.add(*User.objects.filter(username__startswith=prefix))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE proposals_assignment")
    print(f"prepared {OPEN} open assignments in {time.perf_counter() - start:.0f} s")


def scan_bench(table: Table) -> None:
    import datetime

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from notifications import scan
    from notifications.models import Notification, Reminder
    from proposals import deadlines
    from proposals.models import Assignment

    def clear():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE notifications_notification, notifications_reminder")

    def first_run(label, run, runs=3):
        times = []
        for _ in range(runs):
            clear()
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                run()
                times.append(time.perf_counter() - start)
        with connection.cursor() as cursor:
            # What autovacuum does soon after a first scan fills the tables: the re-runs are
            # planned on the reminders as they are, not on an empty table's estimates.
            cursor.execute("ANALYZE notifications_reminder, notifications_notification")
        print(
            f"{label:<55} median {1000 * sorted(times)[runs // 2]:>8.0f} ms   "
            f"{len(captured)} queries; {Reminder.objects.count()} reminders, "
            f"{Notification.objects.count()} notifications"
        )
        return sorted(times)[runs // 2]

    kinds = ["proposals.handling_due", "proposals.handling_overdue"]
    first_run(
        f"scan of both deadline kinds, first run ({OPEN} open)", lambda: scan.run(kinds=kinds)
    )
    measure("scan of both deadline kinds again (all sent)", lambda: scan.run(kinds=kinds), runs=3)
    ours = first_run(
        "scan of handling_overdue, first run",
        lambda: scan.run(kinds=["proposals.handling_overdue"]),
    )
    today = datetime.date.today()
    params = {
        "today": today,
        "escalate": deadlines.subtract_working_days(today, 3),
        "content_type": ContentType.objects.get_for_model(Assignment).pk,
    }

    def by_hand():
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in HAND_WRITTEN_OVERDUE:
                cursor.execute(statement, params)

    hand = first_run("hand-written SQL issuing the same overdue reminders", by_hand)
    hand_again = measure("hand-written SQL again (all issued)", by_hand, runs=3)["median_ms"]
    scan.run(kinds=["proposals.handling_overdue"])
    ours_again = measure(
        "scan of handling_overdue again (all issued)",
        lambda: scan.run(kinds=["proposals.handling_overdue"]),
        runs=3,
    )["median_ms"]
    first, again = ours / hand, ours_again / hand_again
    table.add(
        f"overdue reminder scan over {OPEN // 1000}k open assignments, first run / re-run",
        f"the same selection in SQL: {1000 * hand:.0f} ms / {hand_again:.0f} ms",
        f"{1000 * ours:.0f} ms / {ours_again:.0f} ms",
        f"{first:.1f}× / {again:.1f}×",
        "≤ 2×",
        first <= 2 and again <= 2,
    )


def snapshot_bench() -> None:
    import datetime

    from django.db import connection

    from members.models import Committee, Level
    from yearbook import workflow
    from yearbook.registry import ordered

    district = Committee.objects.filter(level=Level.DISTRICT).order_by("pk").first()
    for section in ordered():
        measure(
            f"section {section.key} (district, 2023)",
            lambda s=section: s.compute(district, 2023),
            runs=3,
        )
    measure(
        "snapshot, one district, 2023 (all sections, stored)",
        lambda: workflow.compute(district, 2023),
        runs=3,
    )
    params = {
        "committee": district.pk,
        "start": "2023-01-01",
        "end": "2024-01-01",
        "today": datetime.date.today(),
    }
    with connection.cursor() as cursor:
        hand = measure(
            "hand-written SQL: every proposal figure",
            lambda: (cursor.execute(proposals_scale.HAND_WRITTEN, params), cursor.fetchall()),
            runs=3,
        )
    ours = measure(
        "section proposals again (for the ratio)",
        lambda: ordered()[0].compute(district, 2023),
        runs=3,
    )
    print(
        f"ratio proposals section / hand-written SQL: {ours['median_ms'] / hand['median_ms']:.1f}"
    )
    start = time.perf_counter()
    for committee in Committee.objects.filter(proposals__isnull=False).distinct():
        workflow.compute(committee, 2023)
    print(
        f"snapshots of every committee, 2023, one after another: "
        f"{time.perf_counter() - start:.1f} s"
    )


def main() -> None:
    setup_django()
    from proposals.models import Proposal

    if Proposal.objects.count() != proposals_scale.ROWS:
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)
        proposals_scale.build()
    print(f"{Proposal.objects.count()} proposals")
    prepare()
    table = Table()
    try:
        scan_bench(table)
    finally:
        purge_bench_queue()
    snapshot_bench()
    table.print()


if __name__ == "__main__":
    main()
