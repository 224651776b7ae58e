"""Who may manage a workstation: staff of its committee with the workstation permissions, the
district office's API client, and the station's own liaisons (活动 and 进站 only); who assesses
it, and who awards it (its committee's staff or the municipal committee's, 市政协授牌)."""

from core.scoping import can_write
from workstations.models import Workstation


def can_manage(user, workstation: Workstation, *, perm: str = "workstations.change_workstation"):
    if not can_write(user, workstation.committee_id):
        return False
    if user.has_perm(perm):
        return True
    return workstation.liaisons.filter(pk=user.pk).exists()


def can_assess(user, workstation: Workstation) -> bool:
    return can_write(user, workstation.committee_id) and user.has_perm(
        "workstations.add_assessment"
    )


def can_award(user, workstation: Workstation) -> bool:
    return user.has_perm("workstations.add_assessment") and (
        can_write(user, workstation.committee_id)
        or can_write(user, workstation.committee.parent_id)
    )
