"""The kernel's one table: which apps' demo data `seed_demo` has loaded."""

from django.db import models
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
