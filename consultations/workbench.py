"""The consultation office's queues on the staff workbench: leave requests to decide (the most
urgent meeting first) and meetings in preparation."""

from django.utils.translation import gettext_lazy as _

from consultations.models import Invitation, Meeting
from core.roles import Role, has_role
from core.scoping import writable
from core.workbench import Stage, list_url, queue


@queue(_("协商"))
def consultation_queue(user) -> list[Stage]:
    if not has_role(user, Role.CONSULTATION_OFFICE):
        return []
    planned = Meeting.Status.PLANNED
    leave = writable(Invitation.objects.all(), user).filter(
        status=Invitation.Status.LEAVE_REQUESTED, meeting__status=planned
    )
    meetings = writable(Meeting.objects.all(), user).filter(status=planned)
    return [
        Stage(
            str(_("请假待审批")),
            leave.count(),
            list_url(Invitation, status__exact=Invitation.Status.LEAVE_REQUESTED.value),
            urgent=True,
        ),
        Stage(
            str(_("筹备中的会议")),
            meetings.count(),
            list_url(Meeting, status__exact=planned.value),
        ),
    ]
