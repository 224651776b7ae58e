"""Who may act on a proposal (DOMAIN §2): the proposer, the proposal office, the review group,
the directors' meeting, a key proposal's supervisor, the assigned unit's staff."""

from core.roles import Role, has_role
from core.scoping import can_write
from proposals.models import Assignment, Proposal


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
