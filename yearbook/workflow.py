"""Computing the yearly statistics, and staff asking for a recomputation."""

import time

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError, NotAllowed
from core.scoping import can_read
from members.models import Committee
from yearbook.models import Snapshot
from yearbook.registry import ordered
from yearbook.rollup import POOLED, pooled_figures

FIRST_YEAR = 1990


def compute(committee: Committee, year: int) -> Snapshot:
    """Compute every section for the committee and year and store it (replacing the previous
    snapshot): idempotent, so a task that is run twice or re-run after a crash does no harm.
    A committee with committees below it also keeps the figures counted once over its tree
    (yearbook.rollup)."""
    started = time.monotonic()
    figures = {section.key: section.compute(committee, year) for section in ordered()}
    pooled = pooled_figures(committee, year)
    if pooled is not None:
        figures[POOLED] = pooled
    duration_ms = round(1000 * (time.monotonic() - started))
    snapshot, _created = Snapshot.objects.update_or_create(
        committee=committee,
        year=year,
        defaults={"figures": figures, "computed_at": timezone.now(), "duration_ms": duration_ms},
    )
    return snapshot


def may_view(user, committee_id: int) -> bool:
    return user.has_perm("yearbook.view_snapshot") and can_read(user, committee_id)


def request_recompute(user, committees, year: int) -> int:
    """Staff ask for the figures of these committees (that they may read) to be computed again;
    the work is queued for the Celery worker once the request's transaction commits."""
    from yearbook.tasks import compute_snapshot

    committees = list(committees)
    if not committees or not all(may_view(user, c.pk) for c in committees):
        raise NotAllowed(_("您无权重新计算该政协的统计数据。"))
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise DomainError(
            _("年度应在%(first)d年至今年之间。") % {"first": FIRST_YEAR}, field="year"
        )
    for committee in committees:
        compute_snapshot.delay_on_commit(committee.pk, year)
    return len(committees)
