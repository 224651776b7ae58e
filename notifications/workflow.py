"""What a user does with their notifications."""

from django.db import transaction
from django.utils import timezone

from core.errors import NotFound
from core.history import stamp
from members.models import User
from notifications.models import Notification


def mark_read(user: User, notification_id: int) -> Notification:
    """Mark one of the user's own notifications read (someone else's answers 404)."""
    notification = (
        Notification.objects.select_related("reminder")
        .filter(pk=notification_id, recipient=user)
        .first()
    )
    if notification is None:
        raise NotFound
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at=None).update(read_at=timezone.now())
    return notification


def mark_all_read(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())


@transaction.atomic
def set_email_preference(user: User, receives_email: bool) -> None:
    """A user turns e-mail reminders on or off for themselves (recorded in the user's history)."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.receives_email == receives_email:
        return
    locked.receives_email = receives_email
    stamp(locked, user, "开启邮件提醒" if receives_email else "关闭邮件提醒")
    locked.save(update_fields=["receives_email"])
    user.receives_email = receives_email
