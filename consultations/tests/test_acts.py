"""Every consultation write is an act: links stay within the committee, dates within a sane
window, a meeting's status moves only by hold and cancel, input errors are Invalid (400) and
state errors WrongState (409), and each act stamps the history."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from consultations import workflow
from consultations.models import Meeting, MeetingKind, Suggestion
from consultations.tests.factories import (
    InstructionFactory,
    MeetingFactory,
    OutcomeReportFactory,
    PlanFactory,
    SpecialCommitteeFactory,
    SuggestionFactory,
    TopicFactory,
)
from core.errors import Invalid, NotAllowed, WrongState
from members.tests.factories import HandlingUnitFactory

TODAY = timezone.localdate


def _plan(committee, by, **changes):
    values = {
        "committee": committee,
        "kind": MeetingKind.BIMONTHLY,
        "title": "双月协商会：社区卫生",
        "held_on": date(2023, 6, 20),
        "by": by,
        **changes,
    }
    return workflow.plan_meeting(**values)


# --- Meetings: links within the committee -------------------------------------------------------


def test_a_meeting_takes_only_its_committees_topic_and_organiser(xuhui, huangpu, consult_office):
    """Today a Xuhui meeting could be created with a Huangpu topic and organiser."""
    huangpu_topic = TopicFactory(committee=huangpu, title="黄浦议题")
    huangpu_organiser = SpecialCommitteeFactory(committee=huangpu, name="黄浦经济委员会")
    with pytest.raises(Invalid) as refused:
        _plan(xuhui, consult_office, topic=huangpu_topic)
    assert refused.value.field == "topic"
    with pytest.raises(Invalid) as refused:
        _plan(xuhui, consult_office, organiser=huangpu_organiser)
    assert refused.value.field == "organiser"
    assert not Meeting.objects.exists()

    meeting = _plan(
        xuhui,
        consult_office,
        topic=TopicFactory(committee=xuhui),
        organiser=SpecialCommitteeFactory(committee=xuhui, name="社会和法制委员会"),
    )
    assert meeting.status == Meeting.Status.PLANNED
    with pytest.raises(Invalid) as refused:
        workflow.update_meeting(meeting, topic=huangpu_topic, by=consult_office)
    assert refused.value.field == "topic"
    with pytest.raises(Invalid) as refused:
        workflow.update_meeting(meeting, committee=huangpu, by=consult_office)
    assert refused.value.field == "committee"
    meeting.refresh_from_db()
    assert meeting.topic.committee == xuhui


def test_only_the_committees_office_plans_meetings(xuhui, huangpu, consult_office, xuhui_office):
    with pytest.raises(NotAllowed):
        _plan(xuhui, xuhui_office)  # the proposal office
    with pytest.raises(NotAllowed):
        _plan(huangpu, consult_office)


# --- Dates within a sane window -----------------------------------------------------------------


@pytest.mark.parametrize(
    "held_on",
    [date(1900, 1, 1), date(1989, 12, 31), "three years ahead"],
)
def test_a_meeting_date_outside_the_window_is_invalid(xuhui, consult_office, held_on):
    if held_on == "three years ahead":
        held_on = TODAY() + timedelta(days=3 * 366)
    with pytest.raises(Invalid) as refused:
        _plan(xuhui, consult_office, held_on=held_on)
    assert refused.value.field == "held_on"


def test_the_window_starts_with_the_committees_first_term(xuhui, consult_office):
    from members.tests.factories import TermFactory

    TermFactory(committee=xuhui, starts_on=date(2017, 1, 1))
    with pytest.raises(Invalid, match="2017-01-01"):
        _plan(xuhui, consult_office, held_on=date(2016, 12, 1))
    assert _plan(xuhui, consult_office, held_on=date(2017, 3, 1)).pk
    with pytest.raises(Invalid) as refused:
        workflow.create_plan(committee=xuhui, year=2015, by=consult_office)
    assert refused.value.field == "year"


def test_a_research_visit_dated_1900_is_invalid(xuhui, consult_office):
    with pytest.raises(Invalid) as refused:
        workflow.record_research_visit(
            committee=xuhui, visited_on=date(1900, 1, 1), place="甲", by=consult_office
        )
    assert refused.value.field == "visited_on"


def test_a_response_is_dated_between_the_meeting_and_today(xuhui, consult_office):
    suggestion = SuggestionFactory(meeting__committee=xuhui)
    for day in (date(2023, 6, 19), TODAY() + timedelta(days=1)):
        with pytest.raises(Invalid) as refused:
            workflow.respond_to_suggestion(
                suggestion, status="adopted", response="", responded_on=day, by=consult_office
            )
        assert refused.value.field == "responded_on"
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.PENDING
    workflow.respond_to_suggestion(
        suggestion, status="adopted", response="", responded_on=date(2023, 6, 20), by=consult_office
    )


def test_an_instruction_is_dated_between_the_meeting_and_today(xuhui, consult_office):
    report = OutcomeReportFactory(meeting__committee=xuhui)
    for day in (date(1900, 1, 1), date(2023, 6, 1), TODAY() + timedelta(days=1)):
        with pytest.raises(Invalid) as refused:
            workflow.record_instruction(
                report=report, leader="区长", given_on=day, text="阅", by=consult_office
            )
        assert refused.value.field == "given_on"


def test_a_plan_is_approved_in_the_past_only(xuhui, consult_office):
    plan = PlanFactory(committee=xuhui)
    with pytest.raises(Invalid) as refused:
        workflow.approve_plan(plan, approved_on=TODAY() + timedelta(days=3), by=consult_office)
    assert refused.value.field == "approved_on"
    plan = workflow.approve_plan(plan, approved_on=date(2023, 2, 20), by=consult_office)
    with pytest.raises(WrongState):
        workflow.approve_plan(plan, approved_on=date(2023, 2, 21), by=consult_office)


# --- Hold and cancel: the whole transition table -------------------------------------------------


def _hold(meeting, by):
    return workflow.hold_meeting(meeting, summary="纪要", by=by)


def _cancel(meeting, by):
    return workflow.cancel_meeting(meeting, reason="领导另有公务", by=by)


@pytest.mark.parametrize(
    ("status", "act", "to"),
    [
        (Meeting.Status.PLANNED, _hold, Meeting.Status.HELD),
        (Meeting.Status.PLANNED, _cancel, Meeting.Status.CANCELLED),
        (Meeting.Status.HELD, _hold, None),
        (Meeting.Status.HELD, _cancel, None),
        (Meeting.Status.CANCELLED, _hold, None),
        (Meeting.Status.CANCELLED, _cancel, None),
    ],
)
def test_meeting_transitions(xuhui, consult_office, status, act, to):
    meeting = MeetingFactory(committee=xuhui, status=status)
    if to is None:
        with pytest.raises(WrongState):
            act(meeting, consult_office)
        meeting.refresh_from_db()
        assert meeting.status == status
    else:
        assert act(meeting, consult_office).status == to


def test_hold_and_cancel_check_their_input_and_stamp_the_history(xuhui, consult_office):
    meeting = MeetingFactory(committee=xuhui)
    with pytest.raises(Invalid) as refused:
        workflow.hold_meeting(meeting, summary=" ", by=consult_office)
    assert refused.value.field == "summary"
    with pytest.raises(Invalid) as refused:
        workflow.cancel_meeting(meeting, reason="", by=consult_office)
    assert refused.value.field == "reason"
    upcoming = MeetingFactory(committee=xuhui, held_on=TODAY() + timedelta(days=3))
    with pytest.raises(WrongState, match="尚未召开"):
        _hold(upcoming, consult_office)
    cancelled = _cancel(upcoming, consult_office)
    assert cancelled.cancel_reason == "领导另有公务"
    entry = cancelled.history.first()
    assert (entry.history_user, entry.history_change_reason, entry.status) == (
        consult_office,
        "领导另有公务",
        "cancelled",
    )
    with pytest.raises(WrongState):
        workflow.update_meeting(cancelled, title="改名", by=consult_office)
    held = _hold(meeting, consult_office)
    with pytest.raises(WrongState):
        workflow.update_meeting(held, held_on=date(2023, 6, 21), by=consult_office)
    assert (
        workflow.update_meeting(held, summary="修订纪要", by=consult_office).summary == "修订纪要"
    )


# --- Suggestions, reports and instructions -------------------------------------------------------


def test_the_addressee_is_a_handling_unit_of_the_meetings_committee(xuhui, huangpu, consult_office):
    meeting = MeetingFactory(committee=xuhui)
    with pytest.raises(Invalid) as refused:
        workflow.record_suggestion(
            meeting=meeting,
            text="建议",
            addressee=HandlingUnitFactory(committee=huangpu),
            by=consult_office,
        )
    assert refused.value.field == "addressee"
    unit = HandlingUnitFactory(committee=xuhui)
    suggestion = workflow.record_suggestion(
        meeting=meeting, text="建议", addressee=unit, by=consult_office
    )
    assert suggestion.history.first().history_user == consult_office
    with pytest.raises(Invalid) as refused:
        workflow.update_suggestion(
            suggestion, meeting=MeetingFactory(committee=huangpu), by=consult_office
        )
    assert refused.value.field == "meeting"
    with pytest.raises(WrongState):
        workflow.record_suggestion(
            meeting=MeetingFactory(committee=xuhui, status=Meeting.Status.CANCELLED),
            text="建议",
            addressee=unit,
            by=consult_office,
        )


def test_a_response_is_given_once_with_a_valid_status(xuhui, consult_office):
    suggestion = SuggestionFactory(meeting__committee=xuhui)
    with pytest.raises(Invalid) as refused:
        workflow.respond_to_suggestion(
            suggestion,
            status="maybe",
            response="",
            responded_on=date(2023, 8, 1),
            by=consult_office,
        )
    assert refused.value.field == "status"
    workflow.respond_to_suggestion(
        suggestion,
        status="partly",
        response="部分采纳",
        responded_on=date(2023, 8, 1),
        by=consult_office,
    )
    with pytest.raises(WrongState):
        workflow.respond_to_suggestion(
            suggestion,
            status="adopted",
            response="",
            responded_on=date(2023, 8, 2),
            by=consult_office,
        )
    with pytest.raises(WrongState):
        workflow.update_suggestion(suggestion, text="改", by=consult_office)


def test_instructions_on_one_record_of_the_committee(xuhui, huangpu, consult_office):
    suggestion = SuggestionFactory(meeting__committee=xuhui)
    report = OutcomeReportFactory(meeting=suggestion.meeting)
    with pytest.raises(Invalid):
        workflow.record_instruction(
            report=report,
            suggestion=suggestion,
            leader="区长",
            given_on=date(2023, 7, 1),
            text="阅",
            by=consult_office,
        )
    with pytest.raises(Invalid):
        workflow.record_instruction(
            leader="区长", given_on=date(2023, 7, 1), text="阅", by=consult_office
        )
    with pytest.raises(NotAllowed):
        workflow.record_instruction(
            suggestion=SuggestionFactory(meeting__committee=huangpu),
            leader="区长",
            given_on=date(2023, 7, 1),
            text="阅",
            by=consult_office,
        )
    instruction = workflow.record_instruction(
        suggestion=suggestion,
        leader="区长",
        given_on=date(2023, 7, 1),
        text="阅",
        by=consult_office,
    )
    instruction = workflow.update_instruction(instruction, text="请研究落实", by=consult_office)
    assert (instruction.leader, instruction.text, instruction.suggestion) == (
        "区长",
        "请研究落实",
        suggestion,
    )
    moved = workflow.update_instruction(instruction, report=report, by=consult_office)
    assert (moved.report, moved.suggestion) == (report, None)


def test_instruction_factory_and_update(xuhui, consult_office):
    instruction = InstructionFactory(suggestion__meeting__committee=xuhui)
    with pytest.raises(Invalid) as refused:
        workflow.update_instruction(instruction, given_on=date(1900, 1, 1), by=consult_office)
    assert refused.value.field == "given_on"


def test_a_district_meeting_invites_municipal_members_not_another_districts(
    xuhui, huangpu, shanghai, consult_office
):
    from members.tests.factories import SeatFactory

    meeting = MeetingFactory(committee=xuhui, held_on=TODAY() + timedelta(days=5))
    with pytest.raises(Invalid):
        workflow.invite(meeting, seats=[SeatFactory(committee=huangpu)], by=consult_office)
    assert workflow.invite(meeting, seats=[SeatFactory(committee=shanghai)], by=consult_office)


def test_outcome_reports_follow_their_meeting(xuhui, consult_office):
    meeting = MeetingFactory(committee=xuhui)
    with pytest.raises(Invalid) as refused:
        workflow.record_report(
            meeting=meeting, title="建言", text="正文", sent_on=date(2023, 6, 1), by=consult_office
        )
    assert refused.value.field == "sent_on"
    report = workflow.record_report(
        meeting=meeting, title="建言", text="正文", sent_on=date(2023, 7, 1), by=consult_office
    )
    with pytest.raises(Invalid) as refused:
        workflow.update_report(report, title=" ", by=consult_office)
    assert refused.value.field == "title"
    assert workflow.update_report(report, title="关于社区卫生的建议", by=consult_office).title
    with pytest.raises(WrongState):
        workflow.record_report(
            meeting=MeetingFactory(committee=xuhui, status=Meeting.Status.CANCELLED),
            title="建言",
            text="正文",
            by=consult_office,
        )
