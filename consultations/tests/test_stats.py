"""The year's figures and the bi-monthly cadence against hand-computed values."""

from datetime import date

from consultations import workflow
from consultations.models import (
    Instruction,
    Meeting,
    MeetingKind,
    OutcomeReport,
    Plan,
    Suggestion,
    Topic,
)
from consultations.stats import cadence, year_figures
from members.tests.factories import HandlingUnitFactory, SeatFactory


def test_cadence_shows_the_windows_without_a_bimonthly_meeting(xuhui, consult_office):
    plan = Plan.objects.create(committee=xuhui, year=2024)
    Meeting.objects.create(
        committee=xuhui, kind=MeetingKind.BIMONTHLY, title="三月", held_on=date(2024, 3, 20)
    )
    Meeting.objects.create(
        committee=xuhui, kind=MeetingKind.SALON, title="沙龙不算", held_on=date(2024, 1, 10)
    )
    Meeting.objects.create(
        committee=xuhui,
        kind=MeetingKind.BIMONTHLY,
        title="取消的不算",
        held_on=date(2024, 5, 10),
        status=Meeting.Status.CANCELLED,
    )
    Meeting.objects.create(
        committee=xuhui, kind=MeetingKind.BIMONTHLY, title="去年的不算", held_on=date(2023, 7, 10)
    )
    topic = workflow.propose_topic(
        committee=xuhui,
        year=2024,
        title="九月议题",
        reason="r",
        proposer_kind="member",
        proposer="p",
        meeting_kind=MeetingKind.BIMONTHLY,
        by=consult_office,
    )
    workflow.shortlist_topic(topic, by=consult_office)
    workflow.confirm_topic(topic, plan=plan, planned_month=9, by=consult_office)
    windows = cadence(plan)
    assert [w["gap"] for w in windows] == [True, False, True, True, False, True]
    assert [m["title"] for m in windows[1]["meetings"]] == ["三月"]
    assert [t["title"] for t in windows[4]["topics"]] == ["九月议题"]


def test_year_figures(xuhui, consult_office):
    unit = HandlingUnitFactory(committee=xuhui)
    seats = SeatFactory.create_batch(3, committee=xuhui)
    one = Meeting.objects.create(
        committee=xuhui, kind=MeetingKind.BIMONTHLY, title="一", held_on=date(2023, 4, 20)
    )
    two = Meeting.objects.create(
        committee=xuhui, kind=MeetingKind.COUNTERPART, title="二", held_on=date(2023, 8, 20)
    )
    Meeting.objects.create(
        committee=xuhui,
        kind=MeetingKind.SALON,
        title="取消",
        held_on=date(2023, 9, 1),
        status=Meeting.Status.CANCELLED,
    )
    Meeting.objects.create(
        committee=xuhui, kind=MeetingKind.BIMONTHLY, title="次年", held_on=date(2024, 2, 1)
    )
    invitations = workflow.invite(one, seats=seats, by=consult_office)
    workflow.sign_in(invitations[0], by=consult_office)
    workflow.sign_in(invitations[1], by=consult_office)
    workflow.record_speech(one, title="发言", seat=seats[0], by=consult_office)
    workflow.record_speech(two, title="发言", speaker="专家", by=consult_office)
    workflow.record_research_visit(
        committee=xuhui, visited_on=date(2023, 3, 1), place="甲", by=consult_office
    )
    workflow.record_research_visit(
        committee=xuhui, visited_on=date(2022, 12, 1), place="乙", by=consult_office
    )
    statuses = ["adopted", "adopted", "partly", "not_adopted", "pending"]
    suggestions = []
    for index, status in enumerate(statuses):
        suggestion = Suggestion.objects.create(
            meeting=one if index < 3 else two, text=f"建议{index}", addressee=unit
        )
        if status != "pending":
            workflow.respond_to_suggestion(
                suggestion,
                status=status,
                response="",
                responded_on=date(2023, 10, 1),
                by=consult_office,
            )
        suggestions.append(suggestion)
    report = OutcomeReport.objects.create(meeting=one, title="建言", text="…")
    Instruction.objects.create(
        report=report, leader="区委书记", given_on=date(2023, 5, 1), text="阅"
    )
    Instruction.objects.create(report=report, leader="区长", given_on=date(2023, 5, 2), text="阅")
    Instruction.objects.create(
        suggestion=suggestions[0], leader="区长", given_on=date(2023, 5, 3), text="研究"
    )

    figures = year_figures(xuhui, 2023)
    assert figures["meetings"] == 2
    assert figures["meetings_by_kind"]["bimonthly"] == 1
    assert figures["meetings_by_kind"]["counterpart"] == 1
    assert (figures["research_visits"], figures["participants"], figures["speeches"]) == (1, 2, 2)
    assert (
        figures["suggestions"],
        figures["adopted"],
        figures["partly_adopted"],
        figures["not_adopted"],
        figures["pending"],
    ) == (5, 2, 1, 1, 1)
    assert figures["adoption_rate"] == 75.0  # (2 + 1) / 4 decided
    assert (figures["instructions"], figures["instructed_reports"]) == (3, 1)
    assert Topic.objects.count() == 0
