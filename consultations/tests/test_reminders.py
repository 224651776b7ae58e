"""Consultation reminders: the meeting tomorrow, leave requests to decide, leave decisions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations import workflow
from consultations.models import Meeting, MeetingKind
from consultations.selectors import meetings_for
from core.roles import Role
from members.tests.factories import SeatFactory, UserFactory
from notifications import scan
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def _member(committee, username):
    user = UserFactory(username=username, committee=committee, roles=[Role.MEMBER])
    return SeatFactory(committee=committee, person__user=user, person__name=username)


@pytest.fixture
def tomorrow(xuhui, consult_office):
    meeting = Meeting.objects.create(
        committee=xuhui,
        kind=MeetingKind.SALON,
        title="委员沙龙：社区嵌入式服务",
        held_on=timezone.localdate() + timedelta(days=1),
        venue="区政协会议中心",
    )
    seats = [_member(xuhui, name) for name in ("coming", "leaving", "refused")]
    workflow.invite(meeting, seats=seats, guests=[("王教授", "expert")], by=consult_office)
    return meeting


def received() -> list[tuple[str, str, str]]:
    return sorted(
        Notification.objects.values_list(
            "reminder__kind", "recipient__username", "reminder__threshold"
        )
    )


def test_meeting_tomorrow_leave_requests_and_decisions(xuhui, huangpu, tomorrow, consult_office):
    UserFactory(username="hp_consult", committee=huangpu, roles=[Role.CONSULTATION_OFFICE])
    invitations = {i.seat.person.name: i for i in tomorrow.invitations.exclude(seat=None)}
    workflow.request_leave(
        invitations["leaving"], reason="出差", by=invitations["leaving"].seat.person.user
    )
    workflow.request_leave(
        invitations["refused"], reason="家中有事", by=invitations["refused"].seat.person.user
    )
    scan.run(kinds=["consultations.leave_pending"])
    assert received() == [
        ("consultations.leave_pending", "xh_consult", ""),
        ("consultations.leave_pending", "xh_consult", ""),
    ]
    workflow.decide_leave(invitations["leaving"], approve=True, by=consult_office)
    workflow.decide_leave(invitations["refused"], approve=False, by=consult_office)
    scan.run()
    scan.run()
    today = timezone.localdate()
    tomorrow_iso = (today + timedelta(days=1)).isoformat()
    assert [r for r in received() if r[0] != "consultations.leave_pending"] == [
        ("consultations.leave_decided", "leaving", "on_leave"),
        ("consultations.leave_decided", "refused", "leave_refused"),
        ("consultations.meeting_tomorrow", "coming", tomorrow_iso),
        ("consultations.meeting_tomorrow", "refused", tomorrow_iso),
    ]
    refused = Notification.objects.get(
        recipient__username="refused", reminder__kind="consultations.leave_decided"
    )
    assert refused.reminder.text == (
        f"您对“委员沙龙：社区嵌入式服务”（{tomorrow_iso}）的请假申请：未准假，请按时参会。"
    )
    for notification in Notification.objects.select_related("recipient"):
        assert meetings_for(notification.recipient).filter(pk=tomorrow.pk).exists()


def test_a_moved_meeting_is_announced_again(tomorrow):
    scan.run(kinds=["consultations.meeting_tomorrow"])
    Meeting.objects.filter(pk=tomorrow.pk).update(held_on=tomorrow.held_on + timedelta(days=7))
    assert scan.run(
        today=timezone.localdate() + timedelta(days=7), kinds=["consultations.meeting_tomorrow"]
    ) == {"consultations.meeting_tomorrow": 3}
    assert Notification.objects.filter(recipient__username="coming").count() == 2
