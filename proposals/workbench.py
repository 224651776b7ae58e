"""The proposal queues of the staff workbench: each review's proposals for its role, the office's
filed proposals to assign, reassignment requests, overdue handling and replies to close, and a
supervising leader's key proposals."""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.roles import Role, has_role
from core.scoping import writable
from core.workbench import Stage, counts, list_url, queue
from proposals.models import Assignment, Proposal, State
from proposals.selectors import overdue_assignments

OFFICE, REVIEW, DIRECTORS = Role.PROPOSAL_OFFICE, Role.REVIEW_GROUP, Role.DIRECTORS_MEETING


@queue(_("提案"))
def proposal_queue(user) -> list[Stage]:
    roles = {role for role in (OFFICE, REVIEW, DIRECTORS) if has_role(user, role)}
    supervises = Proposal.objects.filter(supervisor=user, is_key=True)
    if not roles and not supervises.exists():
        return []
    by_state = {
        state: (role, label)
        for state, role, label in (
            (State.SUBMITTED, OFFICE, _("待初审")),
            (State.SECOND_REVIEW, REVIEW, _("待复审")),
            (State.FINAL_REVIEW, DIRECTORS, _("待定审")),
            (State.FILED, OFFICE, _("已立案待交办")),
            (State.REPLIED, OFFICE, _("已答复待办结")),
        )
        if role in roles
    }
    stages_q = {state.value: Q(state=state) for state in by_state}
    if OFFICE in roles:
        stages_q["overdue"] = Q(Exists(overdue_assignments().filter(proposal=OuterRef("pk"))))
    mine = writable(Proposal.objects.all(), user).order_by()
    found = counts(mine, **stages_q)
    stages = [
        Stage(str(label), found[state.value], list_url(Proposal, state__exact=state.value))
        for state, (_role, label) in by_state.items()
    ]
    if OFFICE in roles:
        stages.append(
            Stage(
                str(_("逾期未答复")), found["overdue"], list_url(Proposal, overdue=1), urgent=True
            )
        )
        requests = writable(Assignment.objects.all(), user).filter(
            status=Assignment.Status.REASSIGN_REQUESTED
        )
        stages.append(
            Stage(
                str(_("承办单位申请调整")),
                requests.count(),
                list_url(Assignment, status__exact=Assignment.Status.REASSIGN_REQUESTED.value),
                urgent=True,
            )
        )
    if has_role(user, Role.CHAIR_MEETING_MEMBER) or supervises.exists():
        key = supervises.filter(state__in=[State.FILED, State.HANDLING, State.REPLIED])
        stages.append(
            Stage(str(_("我领衔督办的重点提案")), key.count(), list_url(Proposal, is_key__exact=1))
        )
    return stages
