"""The scan through a real Celery worker and Redis: each reminder once — after a second scan,
two scans at once, or a worker killed mid-scan and the task run again — and e-mail once."""

import os
import signal
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection

from notifications.models import Notification, Reminder
from notifications.tasks import scan_reminders
from notifications.tests.conftest import overdue_assignments

OVERDUE = "proposals.handling_overdue"


def _wait_for(condition, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_scan_task_notifies_the_right_people_once_and_emails_those_who_want_it(
    celery_worker, xuhui, xuhui_office, unit_with_staff
):
    xuhui_office.email = "office@example.org"
    xuhui_office.save()
    overdue_assignments(xuhui, unit_with_staff, 3)
    issued = scan_reminders.delay(kinds=[OVERDUE]).get(timeout=60)
    assert issued == {OVERDUE: 6}  # per assignment: the unit's reminder and the office's
    assert sorted(
        Notification.objects.values_list("recipient__username", "reminder__threshold")
    ) == sorted([("mailed", "unit"), ("quiet", "unit")] * 3 + [("xh_office", "office")] * 3)
    _wait_for(lambda: not Notification.objects.filter(email="pending").exists())
    assert sorted(message.to[0] for message in mail.outbox) == (
        ["mailed@example.org"] * 3 + ["office@example.org"] * 3
    )
    assert all(m.subject == "【政协工作平台】办理已超期" for m in mail.outbox)
    assert all(f"{settings.PORTAL_BASE_URL}/" in m.body for m in mail.outbox)
    assert all("已超过办理期限2023-05-20，尚未答复。" in m.body for m in mail.outbox)
    assert Notification.objects.filter(email="not_wanted").count() == 3

    assert scan_reminders.delay(kinds=[OVERDUE]).get(timeout=60) == {OVERDUE: 0}
    time.sleep(0.5)
    assert Notification.objects.count() == 9 and len(mail.outbox) == 6


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_issue_each_reminder_once(
    celery_worker, xuhui, unit_with_staff, settings
):
    """The worker runs two scans side by side (two threads), batches interleaving."""
    settings.REMINDER_BATCH_SIZE = 7
    overdue_assignments(xuhui, unit_with_staff, 120)
    first, second = scan_reminders.delay(kinds=[OVERDUE]), scan_reminders.delay(kinds=[OVERDUE])
    issued = first.get(timeout=120)[OVERDUE] + second.get(timeout=120)[OVERDUE]
    assert issued == 120 == Reminder.objects.count()
    assert Notification.objects.count() == 240


def _worker(database_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "REMINDER_BATCH_SIZE": "20",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cppcc_portal",
            "worker",
            "--pool",
            "solo",
            "-Q",
            settings.CELERY_TASK_DEFAULT_QUEUE,
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "WARNING",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_scan_loses_nothing_and_duplicates_nothing(xuhui, unit_with_staff):
    total = 4000
    overdue_assignments(xuhui, unit_with_staff, total)
    url = urlsplit(settings.DATABASE_URL)
    database_url = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))

    worker = _worker(database_url)
    try:
        scan_reminders.delay(kinds=[OVERDUE])
        _wait_for(lambda: Reminder.objects.exists(), timeout=120)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    partial = Reminder.objects.count()
    assert 0 < partial < total, "the worker should have been killed mid-scan"
    assert Notification.objects.count() == 2 * partial  # each batch whole, or not at all

    worker = _worker(database_url)
    try:
        result = scan_reminders.delay(kinds=[OVERDUE]).get(timeout=300)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    assert result == {OVERDUE: total - partial}
    assert Reminder.objects.count() == total
    assert Notification.objects.count() == 2 * total


@pytest.mark.django_db
def test_a_large_scan_refreshes_the_statistics_of_what_it_filled(settings, xuhui, unit_with_staff):
    """The next scan's exclusion of issued reminders is planned from fresh counts."""
    from notifications import scan

    def estimated(table: str) -> float:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            return cursor.fetchone()[0]

    overdue_assignments(xuhui, unit_with_staff, 4)  # a reminder each, to the unit's two staff
    settings.REMINDER_ANALYZE_AFTER = 100
    assert scan.run(kinds=[OVERDUE]) == {OVERDUE: 4}
    counted = (estimated(Reminder._meta.db_table), estimated(Notification._meta.db_table))
    assert counted != (4, 8)  # below the threshold: not analysed
    Reminder.objects.all().delete()  # and their notifications: the same four are due again
    settings.REMINDER_ANALYZE_AFTER = 4
    assert scan.run(kinds=[OVERDUE]) == {OVERDUE: 4}
    assert (
        (estimated(Reminder._meta.db_table), estimated(Notification._meta.db_table))
        == (
            Reminder.objects.count(),
            Notification.objects.count(),
        )
        == (4, 8)
    )
