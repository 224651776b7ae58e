"""The reminder scan: ask every registered kind what is due, issue each reminder once.

Batches are committed one by one. A reminder and its notifications are written in the same
transaction, and the reminder insert skips any (kind, object, threshold) that already exists
(`ON CONFLICT DO NOTHING` on the unique constraint). So a second scan, two scans at once, or a
scan re-run after its worker was killed mid-way issue nothing twice and lose nothing: the batch
that was cut off rolled back and is issued by the next run.

E-mails are sent by a task queued after each batch commits. If the task queue is down, the scan
goes on (the reminders stand, their e-mails stay pending in the database) and the next scan queues
the sending again.
"""

import json
import logging
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from core.errors import Unavailable
from members.models import User
from notifications.models import Notification, Reminder
from notifications.registry import KINDS, Due, ReminderKind

logger = logging.getLogger(__name__)


def run(today: date | None = None, kinds: Iterable[str] | None = None) -> dict[str, int]:
    """Scan the given kinds (all by default); return how many reminders each issued."""
    today = today or timezone.localdate()
    if Notification.objects.filter(email=Notification.Email.PENDING).exists():
        queue_emails()  # left pending by an earlier scan that could not queue them
    issued = {}
    for code in kinds or sorted(code for code, kind in KINDS.items() if kind.scan):
        kind = KINDS[code]
        if kind.scan is None:
            continue  # an event kind: issued by its act, not found by a scan
        issued[code] = sum(
            issue(kind, batch) for batch in _batches(kind.scan(today), settings.REMINDER_BATCH_SIZE)
        )
        logger.debug("reminder scan %s: %d issued", code, issued[code])
    if sum(issued.values()) >= settings.REMINDER_ANALYZE_AFTER:
        _analyze()
    return issued


def _analyze() -> None:
    """Fresh statistics of the tables a large scan filled: the next scan's exclusion of issued
    reminders was planned from counts taken before them (autovacuum comes later)."""
    with connection.cursor() as cursor:
        for model in (Reminder, Notification):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _batches(items: Iterable[Due], size: int) -> Iterator[list[Due]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


@transaction.atomic
def issue(kind: ReminderKind, batch: list[Due]) -> int:
    content_type = ContentType.objects.get_for_model(kind.model)
    issued = set(
        Reminder.objects.filter(
            kind=kind.code,
            content_type=content_type,
            object_id__in={due.object_id for due in batch},
        ).values_list("object_id", "threshold")
    )
    # Skipping what was issued before keeps a re-run cheap; the insert below still decides.
    batch = [due for due in batch if (due.object_id, due.threshold) not in issued]
    wanted = {user_id for due in batch for user_id in due.recipients}
    users = {
        pk: (receives_email and bool(email))
        for pk, receives_email, email in User.objects.filter(
            pk__in=wanted, is_active=True
        ).values_list("pk", "receives_email", "email")
    }
    batch = [due for due in batch if any(user_id in users for user_id in due.recipients)]
    if not batch:
        return 0
    created = _insert_reminders(kind, content_type, batch)
    by_key = {(due.object_id, due.threshold): due for due in batch}
    notifications = [
        (
            reminder_id,
            user_id,
            Notification.Email.PENDING if users[user_id] else Notification.Email.NOT_WANTED,
        )
        for reminder_id, object_id, threshold in created
        for user_id in dict.fromkeys(by_key[(object_id, threshold)].recipients)
        if user_id in users
    ]
    _insert_notifications(notifications)
    if any(email == Notification.Email.PENDING for _r, _u, email in notifications):
        transaction.on_commit(queue_emails)  # one publish per batch
    return len(created)


def _insert_notifications(rows: list[tuple[int, int, str]]) -> None:
    """The batch's notifications (reminder, recipient, e-mail state) in one INSERT of three
    arrays: no model instance per row."""
    if not rows:
        return
    reminders, recipients, emails = (list(column) for column in zip(*rows, strict=True))
    table = Notification._meta.db_table
    sql = (
        f"INSERT INTO {table} (reminder_id, recipient_id, email, created_at) "  # noqa: S608 - table name from the model
        "SELECT reminder, recipient, email, %s "
        "FROM unnest(%s::bigint[], %s::bigint[], %s::text[]) AS row (reminder, recipient, email)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), reminders, recipients, emails])


def queue_emails() -> bool:
    """Ask the worker to send the pending e-mails; False (logged) when the queue is down."""
    from notifications.tasks import send_emails

    try:
        send_emails.delay()
    except Unavailable:
        logger.warning("task queue unavailable: pending e-mails wait for the next reminder scan")
        return False
    return True


def _insert_reminders(
    kind: ReminderKind, content_type: ContentType, batch: list[Due]
) -> list[tuple[int, int, str]]:
    """Insert the batch's reminders that do not exist yet; (id, object id, threshold) of each."""
    now = timezone.now()
    rows, params = [], []
    for due in batch:
        rows.append("(%s, %s, %s, %s, %s, %s::jsonb, %s, %s)")
        params += [
            kind.code,
            content_type.pk,
            due.object_id,
            due.threshold,
            due.committee_id,
            json.dumps(due.params, ensure_ascii=False, default=str),
            due.url,
            now,
        ]
    table = Reminder._meta.db_table
    sql = (
        f"INSERT INTO {table} (kind, content_type_id, object_id, threshold, committee_id, "  # noqa: S608 - table name from the model
        f"params, url, created_at) VALUES {', '.join(rows)} "
        "ON CONFLICT (kind, content_type_id, object_id, threshold) DO NOTHING "
        "RETURNING id, object_id, threshold"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
