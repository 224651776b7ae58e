"""Reads of workstations, scoped to the user, with what their lists show."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from core.scoping import readable
from members.models import Seat
from workstations.models import Activity, Placement, Workstation


def workstations_for(user) -> QuerySet[Workstation]:
    return (
        readable(Workstation.objects.all(), user)
        .select_related("committee", "street", "sector")
        .annotate(member_count=Count("placements", filter=Q(placements__left_on__isnull=True)))
        .order_by("committee", "tier", "name")
    )


def placements_for(user) -> QuerySet[Placement]:
    return readable(Placement.objects.all(), user, via="workstation__committee").select_related(
        "workstation", "seat__person", "seat__committee"
    )


def activities_for(user) -> QuerySet[Activity]:
    return (
        readable(Activity.objects.all(), user, via="workstation__committee")
        .select_related("workstation")
        .prefetch_related(Prefetch("attendees", queryset=Seat.objects.select_related("person")))
    )


def member_workstations(person) -> QuerySet[Placement]:
    """A member's current placements, across all their seats."""
    return (
        Placement.objects.filter(seat__person=person, left_on__isnull=True)
        .select_related("workstation__committee", "workstation__street", "seat__committee")
        .order_by("workstation__name")
    )


def upcoming_activities(person, *, limit: int = 10) -> QuerySet[Activity]:
    """Coming activities of the workstations the member is placed in."""
    stations = Placement.objects.filter(seat__person=person, left_on__isnull=True).values(
        "workstation"
    )
    return (
        Activity.objects.filter(workstation__in=stations, held_on__gte=timezone.localdate())
        .select_related("workstation")
        .order_by("held_on")[:limit]
    )
