"""Which snapshots a user may read: those of committees they read, given the permission."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from core.scoping import readable
from members.models import Committee
from yearbook.models import Snapshot
from yearbook.rollup import Tree


def snapshots_for(user) -> QuerySet[Snapshot]:
    if not user.has_perm("yearbook.view_snapshot"):
        return Snapshot.objects.none()
    return readable(Snapshot.objects.select_related("committee"), user)


def committees_for(user) -> QuerySet[Committee]:
    """The committees whose statistics the user may read."""
    if not user.has_perm("yearbook.view_snapshot"):
        return Committee.objects.none()
    return readable(Committee.objects.all(), user, via="id")


def committee_for(user, committee_id: int) -> Committee:
    """The committee, if the user may read its statistics; 404 otherwise (also across districts)."""
    return get_object_or_404(committees_for(user), pk=committee_id)


def district_snapshots(user, committee: Committee, year: int) -> list[Snapshot]:
    """The snapshots of the committees directly below `committee` that the user reads."""
    return list(
        snapshots_for(user)
        .filter(committee__parent=committee, year=year)
        .order_by("committee__order", "committee__region_code")
    )


def tree(user, committee: Committee, year: int) -> Tree | None:
    """The roll-up of the committee's year over the committees below it that the user reads;
    None without a snapshot or without committees below it."""
    snapshot = snapshots_for(user).filter(committee=committee, year=year).first()
    if snapshot is None:
        return None
    below = list(
        snapshots_for(user)
        .filter(Q(committee__parent=committee) | Q(committee__parent__parent=committee), year=year)
        .order_by("committee__order", "committee__region_code")
    )
    return Tree(snapshot, below) if below else None
