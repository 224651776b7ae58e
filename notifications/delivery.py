"""E-mail delivery of notifications whose recipients want e-mail.

Rows are claimed with `SELECT … FOR UPDATE SKIP LOCKED`, so two workers never send the same
notification; a notification is marked sent in the transaction that sent it. (If a worker dies
between the mail server accepting a message and the commit, that message is sent again by the
next run: e-mail is delivered at least once.)
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications import registry
from notifications.models import Notification

logger = logging.getLogger(__name__)


def send_pending(batch_size: int = 100) -> int:
    """Send every pending e-mail; return how many were sent."""
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                Notification.objects.filter(email=Notification.Email.PENDING)
                .select_related("reminder", "recipient")
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("id")[:batch_size]
            )
            if not batch:
                return sent
            sent += _send(batch)


def _send(batch: list[Notification]) -> int:
    sent = 0
    now = timezone.now()
    with translation.override(settings.LANGUAGE_CODE), get_connection() as mail:
        for notification in batch:
            try:
                message(notification, connection=mail).send()
            except OSError:
                logger.exception("could not e-mail notification %s", notification.pk)
                notification.email = Notification.Email.FAILED
            else:
                notification.email = Notification.Email.SENT
                notification.emailed_at = now
                sent += 1
    Notification.objects.bulk_update(batch, ["email", "emailed_at"])
    return sent


def message(notification: Notification, *, connection=None) -> EmailMessage:
    reminder = notification.reminder
    link = f"{settings.PORTAL_BASE_URL.rstrip('/')}{reminder.url}" if reminder.url else ""
    body = "\n\n".join(
        part
        for part in [
            _("%(name)s，您好：") % {"name": notification.recipient},
            reminder.text,
            link,
            _("（本邮件由政协工作平台自动发送。不再接收邮件提醒，请在“我的通知”页面关闭。）"),
        ]
        if part
    )
    return EmailMessage(
        subject=_("【政协工作平台】%(label)s") % {"label": registry.label(reminder.kind)},
        body=body,
        to=[notification.recipient.email],
        connection=connection,
    )
