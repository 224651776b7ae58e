"""Topic state rules, leave approval, attendance and speeches recording performance acts."""

from datetime import date

import pytest

from consultations import workflow
from consultations.models import Invitation, MeetingKind, Topic
from core.errors import Invalid, NotAllowed, WrongState
from members.models import Act
from members.tests.factories import SeatFactory, UserFactory


def _topic(xuhui, by, title="完善社区卫生服务体系"):
    return workflow.propose_topic(
        committee=xuhui,
        year=2023,
        title=title,
        reason="群众关切",
        proposer_kind="member",
        proposer="张委员",
        meeting_kind=MeetingKind.BIMONTHLY,
        by=by,
    )


def test_topic_moves_proposed_shortlisted_confirmed(xuhui, consult_office, plan):
    topic = _topic(xuhui, consult_office)
    with pytest.raises(WrongState):  # must be shortlisted first
        workflow.confirm_topic(topic, plan=plan, planned_month=6, by=consult_office)
    workflow.shortlist_topic(topic, by=consult_office, reason="符合重点")
    topic = workflow.confirm_topic(
        topic, plan=plan, planned_month=6, by=consult_office, reason="经会商确定"
    )
    assert (topic.state, topic.plan, topic.planned_month) == ("confirmed", plan, 6)
    assert [(d.from_state, d.to_state, d.by) for d in topic.decisions.all()] == [
        ("proposed", "shortlisted", consult_office),
        ("shortlisted", "confirmed", consult_office),
    ]
    with pytest.raises(WrongState):
        workflow.reject_topic(topic, by=consult_office, reason="晚了")
    with pytest.raises(WrongState):
        workflow.shortlist_topic(topic, by=consult_office)


def test_reject_needs_a_reason_and_ends_the_topic(xuhui, consult_office, plan):
    topic = _topic(xuhui, consult_office)
    with pytest.raises(Invalid) as refused:  # bad input, not a state: 400
        workflow.reject_topic(topic, by=consult_office, reason=" ")
    assert refused.value.field == "reason"
    workflow.reject_topic(topic, by=consult_office, reason="与年度重点不符")
    topic.refresh_from_db()
    assert topic.state == Topic.State.REJECTED
    with pytest.raises(WrongState):
        workflow.shortlist_topic(topic, by=consult_office)


def test_confirm_only_into_the_same_committee_and_year(xuhui, huangpu, consult_office, plan):
    from consultations.models import Plan

    topic = _topic(xuhui, consult_office)
    workflow.shortlist_topic(topic, by=consult_office)
    with pytest.raises(Invalid, match="同一年度"):
        workflow.confirm_topic(
            topic,
            plan=Plan.objects.create(committee=xuhui, year=2024),
            planned_month=6,
            by=consult_office,
        )
    with pytest.raises(Invalid, match="月份"):
        workflow.confirm_topic(topic, plan=plan, planned_month=13, by=consult_office)
    topic.refresh_from_db()
    assert topic.state == "shortlisted" and topic.decisions.count() == 1


def test_only_the_committees_consultation_office(xuhui, huangpu, consult_office, xuhui_office):
    with pytest.raises(NotAllowed):
        _topic(xuhui, xuhui_office)  # the proposal office
    other = UserFactory(committee=huangpu, roles=["consultation_office"])
    topic = _topic(xuhui, consult_office)
    with pytest.raises(NotAllowed):
        workflow.shortlist_topic(topic, by=other)


def _member(xuhui):
    user = UserFactory(committee=xuhui, roles=["member"])
    return user, SeatFactory(committee=xuhui, person__user=user)


def test_leave_requested_by_the_member_decided_by_the_office(xuhui, consult_office, upcoming):
    user, seat = _member(xuhui)
    invitation = workflow.invite(upcoming, seats=[seat], by=consult_office)[0]
    with pytest.raises(Invalid):
        workflow.request_leave(invitation, reason="", by=user)
    someone = UserFactory(committee=xuhui, roles=["member"])
    with pytest.raises(NotAllowed):
        workflow.request_leave(invitation, reason="出差", by=someone)
    workflow.request_leave(invitation, reason="出差", by=user)
    with pytest.raises(NotAllowed):
        workflow.decide_leave(invitation, approve=True, by=user)
    invitation = workflow.decide_leave(invitation, approve=True, by=consult_office, note="同意")
    assert invitation.status == Invitation.Status.ON_LEAVE
    assert list(Act.objects.values_list("kind__code", flat=True)) == ["meeting_leave"]
    with pytest.raises(WrongState):
        workflow.decide_leave(invitation, approve=False, by=consult_office)


def test_refused_leave_then_sign_in_records_attendance(xuhui, consult_office, meeting):
    user, seat = _member(xuhui)
    invitation = workflow.invite(meeting, seats=[seat], by=consult_office)[0]
    workflow.request_leave(invitation, reason="家中有事", by=user)
    workflow.decide_leave(invitation, approve=False, by=consult_office, note="会议重要")
    workflow.sign_in(invitation, by=user)  # the meeting (2023) is in the past
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SIGNED_IN
    assert list(Act.objects.values_list("kind__code", "occurred_on")) == [
        ("meeting_attendance", date(2023, 6, 20))
    ]
    with pytest.raises(WrongState):
        workflow.sign_in(invitation, by=user)


def test_no_sign_in_before_the_day(xuhui, consult_office, upcoming):
    user, seat = _member(xuhui)
    invitation = workflow.invite(upcoming, seats=[seat], by=consult_office)[0]
    with pytest.raises(WrongState, match="尚未召开"):
        workflow.sign_in(invitation, by=user)


def test_speeches_and_research_visits_record_acts(xuhui, consult_office, meeting):
    seats = SeatFactory.create_batch(3, committee=xuhui)
    speech = workflow.record_speech(
        meeting, title="关于家庭医生签约的建议", seat=seats[0], by=consult_office
    )
    visit = workflow.record_research_visit(
        committee=xuhui,
        meeting=meeting,
        by=consult_office,
        visited_on=date(2023, 5, 10),
        place="枫林社区",
        participants=seats[:2],
    )
    assert sorted(Act.objects.values_list("kind__code", flat=True)) == [
        "research_visit",
        "research_visit",
        "speech",
    ]
    workflow.set_research_participants(visit, seats[1:], by=consult_office)
    assert set(Act.objects.filter(kind__code="research_visit").values_list("seat", flat=True)) == {
        seats[1].pk,
        seats[2].pk,
    }
    workflow.delete_speech(speech, by=consult_office)
    assert not Act.objects.filter(kind__code="speech").exists()
