"""The kernel's tables and bases: which apps' demo data `seed_demo` has loaded, the creation and
change times every record the API serves carries (`Stamped`), and the tombstones of deleted
records (`Deletion`), so that a client mirroring the API sees deletions too (core/sync.py)."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DemoSeed(models.Model):
    """An app's demo data, loaded once (`members/management/commands/seed_demo.py`): a later run
    skips the app, so whatever users changed since — edited, renamed, ended or deleted — stays."""

    committee_path = ""  # bookkeeping of the installation, not of a committee

    app = models.CharField(_("应用"), max_length=50)
    demo_mode = models.BooleanField(_("演示模式"))
    seeded_at = models.DateTimeField(_("载入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("演示数据载入记录")
        verbose_name_plural = _("演示数据载入记录")
        constraints = [
            models.UniqueConstraint(fields=["app", "demo_mode"], name="core_demo_seed_once")
        ]

    def __str__(self):
        return f"{self.app} ({'demo' if self.demo_mode else 'directory'})"


class Stamped(models.Model):
    """When a record was created and last changed. `updated_at` is set by the database (a trigger
    installed after every migrate, core/sync.py) on every insert and update — `QuerySet.update()`
    and `save(update_fields=…)` included — so that `?updated_after=` misses no change. A model
    whose rows have an author names its field in `owner_field` (their tombstones are theirs)."""

    owner_field: str | None = None

    # The database's defaults too: rows written in SQL (bulk loads) get their times as well.
    created_at = models.DateTimeField(
        _("创建时间"), default=timezone.now, db_default=Now(), editable=False, db_index=True
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_default=Now(), db_index=True)

    class Meta:
        abstract = True


class Deletion(models.Model):
    """A tombstone: a record the API served was deleted, or left the sight of its committee's
    staff (a proposal returned to its author's drafts) — `/api/v1/deletions/`. `updated_at` is
    when, so that a mirror reads these with the same `updated_after` as the lists."""

    committee_path = "committee"

    class Reason(models.TextChoices):
        DELETED = "deleted", _("已删除")
        RETURNED_TO_DRAFT = "returned_to_draft", _("退回提案人修改（草稿仅提案人可见）")

    model = models.CharField(_("数据类型"), max_length=60, db_index=True)
    object_id = models.BigIntegerField(_("记录编号"))
    committee = models.ForeignKey(
        "members.Committee",
        verbose_name=_("政协委员会"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        null=True,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        null=True,
        help_text=_("记录的创建人（其本人的删除记录对其可见）。"),
    )
    reason = models.CharField(
        _("原因"), max_length=20, choices=Reason.choices, default=Reason.DELETED
    )
    updated_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("删除记录")
        verbose_name_plural = _("删除记录")

    def __str__(self):
        return f"{self.model} #{self.object_id}"
