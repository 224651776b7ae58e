"""Yearly statistics snapshots: one per committee and year, recomputed nightly."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Committee


class Snapshot(models.Model):
    """The figures of every section for one committee and calendar year, as computed at
    `computed_at` (sections keyed as in yearbook.registry)."""

    committee_path = "committee"

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("政协委员会"),
        on_delete=models.CASCADE,
        related_name="snapshots",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    figures = models.JSONField(_("统计数据"), default=dict)
    computed_at = models.DateTimeField(_("计算时间"))
    duration_ms = models.PositiveIntegerField(_("计算耗时（毫秒）"), default=0)

    class Meta:
        verbose_name = _("年度统计")
        verbose_name_plural = _("年度统计")
        ordering = ["-year", "committee__order", "committee__region_code"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="snapshot_per_year"),
        ]

    def __str__(self):
        return f"{self.committee} {self.year}"

    def value(self, section: str, key: str):
        return self.figures.get(section, {}).get(key)
