"""Who may act on a proposal (DOMAIN §2): the proposer, the proposal office, the review group,
the directors' meeting, a key proposal's supervisor, the assigned unit's staff."""

from core.roles import Role, has_role
from core.scoping import can_write
from members.privacy import can_see_personal_data
from proposals.models import Assignment, Proposal

OPEN = {
    Assignment.Status.ASSIGNED,
    Assignment.Status.ACCEPTED,
    Assignment.Status.REASSIGN_REQUESTED,
}


def is_proposer(user, proposal: Proposal) -> bool:
    """The lead member, or whoever entered the proposal for them (an office entering a paper
    proposal, a district office's system)."""
    if proposal.lead_id and proposal.lead.person.user_id == user.pk:
        return True
    return proposal.created_by_id == user.pk


def may_enter_for_others(user, committee_id: int) -> bool:
    return holds(user, Role.PROPOSAL_OFFICE, committee_id) or holds(
        user, Role.DISTRICT_OFFICE, committee_id
    )


def holds(user, role: str, committee_id: int) -> bool:
    """`role` in the committee (a proposal's own)."""
    return has_role(user, role) and can_write(user, committee_id)


def is_unit_staff(user, assignment: Assignment) -> bool:
    return user.is_superuser or (
        has_role(user, Role.HANDLING_UNIT) and user.handling_unit_id == assignment.unit_id
    )


def proposer_phone(user, assignment: Assignment, proposal: Proposal) -> str:
    """The lead member's phone, for those who may see it: staff allowed their personal data
    (members.privacy), and the staff of a unit while its assignment is open — the unit must
    consult the proposer before replying (办前协商, DOMAIN §3.3). Anyone else: ""."""
    if proposal.lead_id is None:
        return ""
    person = proposal.lead.person
    if is_unit_staff(user, assignment) and assignment.status in OPEN:
        return person.phone
    return person.phone if can_see_personal_data(user, person) else ""
