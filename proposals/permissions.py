"""Who may act on a proposal (DOMAIN §2): the proposer, the proposal office, the review group,
the directors' meeting, a key proposal's supervisor, the assigned unit's staff; and which of the
staff's acts a user may take on a proposal now (`acts_for`: its page offers only those)."""

from collections.abc import Callable

from core.roles import Role, has_role
from core.scoping import can_write
from members.privacy import can_see_personal_data
from proposals.models import Assignment, Feedback, Proposal, State
from proposals.selectors import rating_window_until

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


# The acts staff take on a proposal page (the admin's actions of the same names): which role
# takes each, and in which states. proposals.workflow checks the same again when it runs.
REVIEW_ROLES = {
    State.SUBMITTED: Role.PROPOSAL_OFFICE,
    State.SECOND_REVIEW: Role.REVIEW_GROUP,
    State.FINAL_REVIEW: Role.DIRECTORS_MEETING,
}
_ACTIVE = {State.FILED, State.HANDLING, State.REPLIED}
STAFF_ACTS: dict[str, tuple[set[str], Callable[[Proposal], bool]]] = {
    "pass_first_review": ({Role.PROPOSAL_OFFICE}, lambda p: p.state == State.SUBMITTED),
    "pass_second_review": ({Role.REVIEW_GROUP}, lambda p: p.state == State.SECOND_REVIEW),
    "file": ({Role.DIRECTORS_MEETING}, lambda p: p.state == State.FINAL_REVIEW),
    "not_file": ({Role.DIRECTORS_MEETING}, lambda p: p.state == State.FINAL_REVIEW),
    "send_back": (set(REVIEW_ROLES.values()), lambda p: p.state in REVIEW_ROLES),
    "assign": ({Role.PROPOSAL_OFFICE}, lambda p: p.state in {State.FILED, State.HANDLING}),
    "select_key": ({Role.DIRECTORS_MEETING}, lambda p: p.state in _ACTIVE and not p.is_key),
    "record_supervision": ({Role.PROPOSAL_OFFICE, Role.CHAIR_MEETING_MEMBER}, lambda p: p.is_key),
    "select_excellent": (
        {Role.DIRECTORS_MEETING},
        lambda p: p.state in {State.REPLIED, State.CLOSED} and not p.is_excellent,
    ),
    "order_rehandling": (
        {Role.PROPOSAL_OFFICE},
        lambda p: p.state == State.REPLIED and not p.rehandled and _rated_dissatisfied(p),
    ),
    "close": (
        {Role.PROPOSAL_OFFICE},
        lambda p: p.state == State.REPLIED and rating_window_until(p) is None,
    ),
}


def _rated_dissatisfied(proposal: Proposal) -> bool:
    return Feedback.objects.filter(
        reply__assignment__proposal=proposal, rating=Feedback.Rating.DISSATISFIED
    ).exists()


def may_take(user, act: str) -> bool:
    """Whether the user holds a role that takes `act` on some proposal (the change list's
    actions)."""
    roles, _state = STAFF_ACTS[act]
    return any(has_role(user, role) for role in roles)


def acts_for(user, proposal: Proposal) -> list[str]:
    """The acts the user may take on this proposal now (the buttons of its page)."""
    acts = []
    for act, (roles, in_state) in STAFF_ACTS.items():
        if not in_state(proposal):
            continue
        if act == "send_back":
            roles = {REVIEW_ROLES[proposal.state]}
        supervisor = act == "record_supervision" and proposal.supervisor_id == user.pk
        if supervisor or any(holds(user, role, proposal.committee_id) for role in roles):
            acts.append(act)
    return acts


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
