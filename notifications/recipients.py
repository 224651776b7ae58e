"""Who receives a reminder: active users found by role and committee, by handling unit, or as the
login of a member's seat. Each returns a mapping so that a scan resolves a whole batch at once."""

from collections import defaultdict

from core.roles import Role
from members.models import Seat, User


def role_holders(role: str, committee_ids) -> dict[int, list[int]]:
    """committee id → ids of the active users holding `role` in that committee."""
    holders = defaultdict(list)
    rows = User.objects.filter(
        is_active=True, groups__name=role, committee__in=set(committee_ids)
    ).values_list("committee", "pk")
    for committee_id, user_id in rows.order_by("pk"):
        holders[committee_id].append(user_id)
    return holders


def unit_staff(unit_ids=None) -> dict[int, list[int]]:
    """handling unit id → ids of its active staff (all units when `unit_ids` is None)."""
    staff = defaultdict(list)
    users = User.objects.filter(is_active=True, groups__name=Role.HANDLING_UNIT).exclude(
        handling_unit=None
    )
    if unit_ids is not None:
        users = users.filter(handling_unit__in=set(unit_ids))
    for unit_id, user_id in users.values_list("handling_unit", "pk").order_by("pk"):
        staff[unit_id].append(user_id)
    return staff


def seat_users(seat_ids) -> dict[int, int]:
    """seat id → the active login of the seat's person (seats without one are left out)."""
    return dict(
        Seat.objects.filter(pk__in=set(seat_ids), person__user__is_active=True).values_list(
            "pk", "person__user"
        )
    )
