"""Reminders (what was due, decided once per object, kind and threshold) and the notifications
that deliver each reminder to its recipients, in the portal and by e-mail."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Stamped
from members.models import Committee


class Reminder(models.Model):
    """One reminder of `kind` about one object at one threshold (e.g. "7 working days left").

    The unique constraint is what makes a scan safe to repeat: a reminder that exists is never
    issued again, whichever worker or re-run tries."""

    committee_path = "committee"

    kind = models.CharField(_("提醒类型"), max_length=60)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("对象类型"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    subject = GenericForeignKey("content_type", "object_id")
    threshold = models.CharField(_("节点"), max_length=30, blank=True)
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("政协委员会"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    params = models.JSONField(_("内容参数"), default=dict)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("发出时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "threshold"],
                name="reminder_once_per_threshold",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        from notifications.registry import render

        return render(self.kind, self.params)


class Notification(Stamped):
    """A reminder delivered to one user: read or not, e-mailed or not."""

    committee_path = "reminder__committee"

    class Email(models.TextChoices):
        NOT_WANTED = "not_wanted", _("不发送")
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    reminder = models.ForeignKey(
        Reminder, verbose_name=_("提醒"), on_delete=models.CASCADE, related_name="notifications"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    email = models.CharField(
        _("邮件"), max_length=12, choices=Email.choices, default=Email.NOT_WANTED
    )
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["reminder", "recipient"], name="notified_once"),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["id"], condition=Q(email="pending"), name="notification_email_pending"
            ),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.reminder}"
