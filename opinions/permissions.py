"""Who may act on public-opinion information (DOMAIN §2, §8): the submitter (the member of the
seat, or whoever entered the piece), a station's liaison for its station, and the receiving
office (the opinion office, or the district office's API client)."""

from core.roles import Role, has_role
from core.scoping import can_write
from opinions.models import Piece


def holds(user, role: str, committee_id: int) -> bool:
    return has_role(user, role) and can_write(user, committee_id)


def is_office(user, committee_id: int) -> bool:
    """The receiving office of the committee: screens, edits, reports and records outcomes."""
    return holds(user, Role.OPINION_OFFICE, committee_id) or holds(
        user, Role.DISTRICT_OFFICE, committee_id
    )


def is_submitter(user, piece: Piece) -> bool:
    if piece.seat_id and piece.seat.person.user_id == user.pk:
        return True
    return piece.created_by_id == user.pk


def is_liaison(user, workstation) -> bool:
    return workstation.liaisons.filter(pk=user.pk).exists()
