"""An invitation, a leave request and its decision are told at once; the office decides leave
from the invitation's page (the nearest meeting first), and the scan tells nothing twice."""

import pytest
from django.urls import reverse

from consultations import workflow
from consultations.models import Invitation
from members.tests.factories import SeatFactory, UserFactory
from notifications import scan
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def _texts(user):
    return [n.reminder.text for n in Notification.objects.filter(recipient=user)]


def test_invitation_leave_and_decision_each_told_once(
    xuhui, consult_office, upcoming, client, django_capture_on_commit_callbacks
):
    user = UserFactory(committee=xuhui, roles=["member"])
    seat = SeatFactory(committee=xuhui, person__user=user, person__name="周委员")
    with django_capture_on_commit_callbacks(execute=True):
        (invitation,) = workflow.invite(upcoming, seats=[seat], by=consult_office)
    assert _texts(user) == [f"您受邀参加“委员沙龙”，{upcoming.held_on}在区政协三楼召开。"]
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_leave(invitation, reason="出差", by=user)
    assert _texts(consult_office) == [f"周委员申请不参加“委员沙龙”（{upcoming.held_on}），请审批。"]

    client.force_login(consult_office)
    queue = reverse("admin:consultations_invitation_changelist") + "?status__exact=leave_requested"
    assert [i.pk for i in client.get(queue).context["cl"].result_list] == [invitation.pk]
    page = client.get(reverse("admin:consultations_invitation_change", args=[invitation.pk]))
    approve = reverse("admin:consultations_invitation_act", args=[invitation.pk, "approve_leave"])
    assert f'href="{approve}"' in page.text and 'name="_save"' not in page.text
    assert client.get(approve).status_code == 200  # a confirmation, nothing done yet
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.LEAVE_REQUESTED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(approve, {"apply": "1"})
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ON_LEAVE
    assert _texts(user)[0] == f"您对“委员沙龙”（{upcoming.held_on}）的请假申请：已准假。"
    assert client.get(approve).status_code == 404  # decided: no longer offered
    # The hourly scan finds what was told already and issues nothing again.
    issued = scan.run(kinds=["consultations.leave_pending", "consultations.leave_decided"])
    assert issued == {"consultations.leave_pending": 0, "consultations.leave_decided": 0}
    assert Notification.objects.filter(recipient=user).count() == 2
