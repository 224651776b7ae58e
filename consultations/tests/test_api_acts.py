"""The API of consultations writes through the acts: ids of another committee answer 400 on
their field, its records 404; a meeting's status moves by POST hold/cancel only; a one-field
PATCH of an instruction works; input errors 400, state errors 409."""

from datetime import date, timedelta

from django.utils import timezone

from consultations.models import Instruction, Meeting, Plan, Suggestion
from consultations.tests.factories import (
    InstructionFactory,
    MeetingFactory,
    PlanFactory,
    SpecialCommitteeFactory,
    SuggestionFactory,
    TopicFactory,
)
from members.tests.factories import HandlingUnitFactory

MEETINGS = "/api/v1/consultation-meetings/"


def _meeting_body(xuhui, **changes):
    return {
        "committee": xuhui.pk,
        "kind": "bimonthly",
        "title": "双月协商会",
        "held_on": "2023-06-20",
        **changes,
    }


def test_a_meeting_with_another_committees_topic_or_organiser_is_refused(xuhui_api, xuhui, huangpu):
    huangpu_topic = TopicFactory(committee=huangpu, title="黄浦议题")
    huangpu_organiser = SpecialCommitteeFactory(committee=huangpu, name="黄浦经济委员会")
    for field, value in (("topic", huangpu_topic.pk), ("organiser", huangpu_organiser.pk)):
        answer = xuhui_api.post(MEETINGS, _meeting_body(xuhui, **{field: value}), format="json")
        assert answer.status_code == 400, answer.json()
        assert list(answer.json()["fields"]) == [field]
    assert not Meeting.objects.exists()
    meeting = MeetingFactory(committee=xuhui)
    answer = xuhui_api.patch(f"{MEETINGS}{meeting.pk}/", {"topic": huangpu_topic.pk}, format="json")
    assert answer.status_code == 400 and list(answer.json()["fields"]) == ["topic"]
    assert "黄浦议题" not in answer.content.decode()


def test_a_meeting_dated_1900_is_refused(xuhui_api, xuhui):
    answer = xuhui_api.post(MEETINGS, _meeting_body(xuhui, held_on="1900-01-01"), format="json")
    assert answer.status_code == 400 and list(answer.json()["fields"]) == ["held_on"]
    created = xuhui_api.post(MEETINGS, _meeting_body(xuhui), format="json")
    assert created.status_code == 201, created.json()
    meeting = Meeting.objects.get(pk=created.json()["id"])
    assert meeting.history.first().history_user.committee == xuhui


def test_meeting_status_moves_only_by_hold_and_cancel(xuhui_api, xuhui):
    meeting = MeetingFactory(committee=xuhui)
    answer = xuhui_api.patch(
        f"{MEETINGS}{meeting.pk}/", {"status": "held", "venue": "会议中心"}, format="json"
    )
    assert answer.status_code == 200 and answer.json()["status"] == "planned"
    meeting.refresh_from_db()
    assert (meeting.status, meeting.venue) == ("planned", "会议中心")

    no_summary = xuhui_api.post(f"{MEETINGS}{meeting.pk}/hold/", {}, format="json")
    assert no_summary.status_code == 400 and list(no_summary.json()["fields"]) == ["summary"]
    held = xuhui_api.post(f"{MEETINGS}{meeting.pk}/hold/", {"summary": "纪要"}, format="json")
    assert held.status_code == 200 and held.json()["status"] == "held"
    again = xuhui_api.post(f"{MEETINGS}{meeting.pk}/cancel/", {"reason": "晚了"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "wrong_state"

    upcoming = MeetingFactory(committee=xuhui, held_on=timezone.localdate() + timedelta(days=9))
    cancelled = xuhui_api.post(
        f"{MEETINGS}{upcoming.pk}/cancel/", {"reason": "改期"}, format="json"
    )
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancel_reason"] == "改期"


def test_huangpu_meetings_are_not_found(xuhui_api, huangpu):
    other = MeetingFactory(committee=huangpu)
    for answer in (
        xuhui_api.get(f"{MEETINGS}{other.pk}/"),
        xuhui_api.post(f"{MEETINGS}{other.pk}/hold/", {"summary": "纪要"}, format="json"),
        xuhui_api.patch(f"{MEETINGS}{other.pk}/", {"venue": "x"}, format="json"),
    ):
        assert answer.status_code == 404
    other.refresh_from_db()
    assert other.status == "planned"


def test_suggestions_take_ids_of_the_committee_only(xuhui_api, xuhui, huangpu):
    meeting = MeetingFactory(committee=xuhui)
    unit = HandlingUnitFactory(committee=xuhui)
    huangpu_meeting = MeetingFactory(committee=huangpu)
    huangpu_unit = HandlingUnitFactory(committee=huangpu)
    for field, body in (
        ("meeting", {"meeting": huangpu_meeting.pk, "addressee": unit.pk}),
        ("addressee", {"meeting": meeting.pk, "addressee": huangpu_unit.pk}),
    ):
        answer = xuhui_api.post("/api/v1/suggestions/", {"text": "建议", **body}, format="json")
        assert answer.status_code == 400 and list(answer.json()["fields"]) == [field]
    created = xuhui_api.post(
        "/api/v1/suggestions/",
        {"text": "建议", "meeting": meeting.pk, "addressee": unit.pk, "status": "adopted"},
        format="json",
    )
    assert created.status_code == 201 and created.json()["status"] == "pending"
    sid = created.json()["id"]
    moved = xuhui_api.patch(
        f"/api/v1/suggestions/{sid}/", {"addressee": huangpu_unit.pk}, format="json"
    )
    assert moved.status_code == 400 and list(moved.json()["fields"]) == ["addressee"]
    late = xuhui_api.post(
        f"/api/v1/suggestions/{sid}/respond/",
        {"status": "adopted", "responded_on": "2099-12-31"},
        format="json",
    )
    assert late.status_code == 400 and list(late.json()["fields"]) == ["responded_on"]
    assert Suggestion.objects.get(pk=sid).status == "pending"
    other = SuggestionFactory(meeting=huangpu_meeting)
    assert xuhui_api.get(f"/api/v1/suggestions/{other.pk}/").status_code == 404


def test_an_instruction_is_patched_one_field_at_a_time(xuhui_api, xuhui, huangpu):
    instruction = InstructionFactory(suggestion__meeting__committee=xuhui)
    answer = xuhui_api.patch(
        f"/api/v1/instructions/{instruction.pk}/", {"text": "请抓紧落实"}, format="json"
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["text"] == "请抓紧落实"
    instruction.refresh_from_db()
    assert (instruction.text, instruction.leader) == ("请抓紧落实", "区长")
    future = xuhui_api.patch(
        f"/api/v1/instructions/{instruction.pk}/", {"given_on": "2099-12-31"}, format="json"
    )
    assert future.status_code == 400 and list(future.json()["fields"]) == ["given_on"]
    other = SuggestionFactory(meeting__committee=huangpu)
    onto_huangpu = xuhui_api.patch(
        f"/api/v1/instructions/{instruction.pk}/", {"suggestion": other.pk}, format="json"
    )
    assert onto_huangpu.status_code == 400 and list(onto_huangpu.json()["fields"]) == ["suggestion"]
    neither = xuhui_api.post(
        "/api/v1/instructions/",
        {"leader": "区长", "given_on": "2023-08-02", "text": "阅"},
        format="json",
    )
    assert neither.status_code == 400
    assert Instruction.objects.count() == 1


def test_plans_are_created_once_a_year_through_the_act(xuhui_api, xuhui):
    PlanFactory(committee=xuhui, year=2023)
    twice = xuhui_api.post(
        "/api/v1/consultation-plans/", {"committee": xuhui.pk, "year": 2023}, format="json"
    )
    assert twice.status_code == 400 and list(twice.json()["fields"]) == ["year"]
    far = xuhui_api.post(
        "/api/v1/consultation-plans/", {"committee": xuhui.pk, "year": 1900}, format="json"
    )
    assert far.status_code == 400 and list(far.json()["fields"]) == ["year"]
    created = xuhui_api.post(
        "/api/v1/consultation-plans/",
        {"committee": xuhui.pk, "year": 2024, "approved_on": "2024-01-01"},
        format="json",
    )
    assert created.status_code == 201 and created.json()["approved_on"] is None
    plan = Plan.objects.get(pk=created.json()["id"])
    approved = xuhui_api.post(
        f"/api/v1/consultation-plans/{plan.pk}/approve/",
        {"approved_on": date(2024, 2, 1).isoformat()},
        format="json",
    )
    assert approved.json()["approved_on"] == "2024-02-01"


def test_confirm_takes_a_plan_of_the_committee_only(xuhui_api, xuhui, huangpu):
    topic = TopicFactory(committee=xuhui, state="shortlisted")
    huangpu_plan = PlanFactory(committee=huangpu)
    answer = xuhui_api.post(
        f"/api/v1/consultation-topics/{topic.pk}/confirm/",
        {"plan": huangpu_plan.pk, "planned_month": 6},
        format="json",
    )
    assert answer.status_code == 400 and list(answer.json()["fields"]) == ["plan"]
