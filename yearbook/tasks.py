"""Celery tasks of the yearly statistics: beat runs compute_all nightly for the current year
and on 1 January for the year just ended (settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.utils import timezone

from members.models import Committee
from yearbook import workflow


@shared_task
def compute_all(year: int | None = None, years_ago: int = 0) -> int:
    """Queue one computation per committee; return how many were queued."""
    year = year or timezone.localdate().year - years_ago
    committee_ids = list(Committee.objects.values_list("pk", flat=True))
    for pk in committee_ids:
        compute_snapshot.delay(pk, year)
    return len(committee_ids)


@shared_task
def compute_snapshot(committee_id: int, year: int) -> int:
    """Compute (or recompute) one committee's snapshot; return the snapshot's id."""
    committee = Committee.objects.filter(pk=committee_id).first()
    if committee is None:  # deleted since the task was queued
        return 0
    return workflow.compute(committee, year).pk
