"""Every act of the opinion workflow, allowed and refused, and the hand-over between levels."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import Invalid, NotAllowed, WrongState
from core.roles import Role
from members.models import Act, Party, SpecialCommittee
from members.tests.factories import UserFactory
from opinions import workflow
from opinions.models import (
    Delivery,
    Outcome,
    Piece,
    PieceState,
    Report,
    ReportState,
    Step,
    SubmitterKind,
)
from opinions.selectors import outcomes_of
from opinions.tests.helpers import accepted, draft, issued, reported, submitted

pytestmark = pytest.mark.django_db


def _acts(seat, kind):
    return Act.objects.filter(seat=seat, kind__code=kind).count()


# --- Submitting ---------------------------------------------------------------------------------


def test_member_drafts_and_submits_and_earns_an_act(xuhui, member):
    piece = draft(xuhui, member)
    assert piece.state == PieceState.DRAFT and piece.sector == member[1].sector
    assert piece.received_at is None
    workflow.submit(piece, by=member[0])
    piece.refresh_from_db()
    assert piece.state == PieceState.SUBMITTED and piece.received_at is not None
    assert _acts(member[1], "opinion_submitted") == 1
    assert Step.objects.filter(piece=piece, to_state=PieceState.SUBMITTED).count() == 1


def test_co_authors_earn_the_act_too(xuhui, member, other_member):
    piece = draft(xuhui, member, co_authors=[other_member[1]])
    workflow.submit(piece, by=member[0])
    assert _acts(other_member[1], "opinion_submitted") == 1


def test_nobody_writes_in_another_members_name(xuhui, member, other_member):
    with pytest.raises(NotAllowed):
        workflow.create_draft(
            committee=xuhui, seat=member[1], by=other_member[0], title="t", content="c"
        )


def test_seat_must_belong_to_the_receiving_committee(xuhui, huangpu, member):
    with pytest.raises(Invalid):
        draft(huangpu, member)


def test_bodies_are_entered_by_the_office(xuhui, member, office):
    party = Party.objects.create(committee=xuhui, name="民盟")
    with pytest.raises(NotAllowed):
        workflow.create_draft(
            committee=xuhui,
            by=member[0],
            submitter_kind=SubmitterKind.PARTY,
            party=party,
            title="t",
            content="c",
        )
    piece = workflow.create_draft(
        committee=xuhui,
        by=office,
        submitter_kind=SubmitterKind.PARTY,
        party=party,
        title="民盟徐汇区委关于托育服务的建议",
        content="内容",
    )
    assert piece.submitter == "民盟"
    with pytest.raises(Invalid):
        workflow.create_draft(
            committee=xuhui,
            by=office,
            submitter_kind=SubmitterKind.SPECIAL_COMMITTEE,
            title="t",
            content="c",
        )
    special = SpecialCommittee.objects.create(committee=xuhui, name="社会和法制委员会")
    piece = workflow.create_draft(
        committee=xuhui,
        by=office,
        submitter_kind=SubmitterKind.SPECIAL_COMMITTEE,
        special_committee=special,
        title="t",
        content="c",
    )
    workflow.submit(piece, by=office)
    with pytest.raises(Invalid):
        workflow.create_draft(
            committee=xuhui,
            by=office,
            submitter_kind=SubmitterKind.COLLECTIVE,
            title="t",
            content="c",
        )


def test_update_only_own_draft_or_returned(xuhui, member, other_member, office):
    piece = draft(xuhui, member)
    with pytest.raises(NotAllowed):
        workflow.update_draft(piece, by=other_member[0], title="x")
    with pytest.raises(Invalid):
        workflow.update_draft(piece, by=member[0], state="kept")
    workflow.update_draft(piece, by=member[0], title="新标题")
    workflow.submit(piece, by=member[0])
    with pytest.raises(WrongState):
        workflow.update_draft(piece, by=member[0], title="再改")
    workflow.screen(piece, decision="return", reason="请补充小区名称和户数", by=office)
    workflow.update_draft(piece, by=member[0], content="补充了小区名称和户数")
    first_received = Piece.objects.get(pk=piece.pk).received_at
    workflow.submit(piece, by=member[0])
    piece.refresh_from_db()
    assert piece.state == PieceState.SUBMITTED and piece.received_at == first_received
    assert _acts(member[1], "opinion_submitted") == 1  # one piece, one act


def test_submit_refused_twice_and_for_others(xuhui, member, other_member):
    piece = draft(xuhui, member)
    with pytest.raises(NotAllowed):
        workflow.submit(piece, by=other_member[0])
    workflow.submit(piece, by=member[0])
    with pytest.raises(WrongState):
        workflow.submit(piece, by=member[0])


def test_withdraw_before_screening_takes_the_act_back(xuhui, member, office):
    piece = submitted(xuhui, member)
    workflow.withdraw(piece, by=member[0])
    assert Piece.objects.get(pk=piece.pk).state == PieceState.WITHDRAWN
    assert _acts(member[1], "opinion_submitted") == 0
    other = accepted(xuhui, member, office, title="另一篇")
    with pytest.raises(WrongState):
        workflow.withdraw(other, by=member[0])


# --- Screening ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "state"),
    [("accept", "accepted"), ("keep", "kept"), ("return", "returned")],
)
def test_office_screens(xuhui, member, office, decision, state):
    piece = submitted(xuhui, member)
    workflow.screen(piece, decision=decision, reason="理由", by=office)
    piece.refresh_from_db()
    assert piece.state == state and piece.screened_at is not None


def test_screening_refusals(xuhui, member, office, huangpu_op, city_office):
    piece = submitted(xuhui, member)
    for user in (member[0], huangpu_op, city_office):  # the city reads Xuhui, never acts on it
        with pytest.raises(NotAllowed):
            workflow.screen(piece, decision="accept", by=user)
    for decision in ("keep", "return"):
        with pytest.raises(Invalid):
            workflow.screen(piece, decision=decision, reason=" ", by=office)
    with pytest.raises(Invalid):
        workflow.screen(piece, decision="publish", by=office)
    workflow.screen(piece, decision="accept", by=office)
    with pytest.raises(WrongState):
        workflow.screen(piece, decision="keep", reason="重复", by=office)
    unsent = draft(xuhui, member, title="草稿")
    with pytest.raises(WrongState):
        workflow.screen(unsent, decision="accept", by=office)


def test_district_api_client_is_an_office(xuhui, member, xuhui_token):
    piece = submitted(xuhui, member)
    workflow.screen(piece, decision="accept", by=xuhui_token[0].user)
    assert Piece.objects.get(pk=piece.pk).state == PieceState.ACCEPTED


# --- Reports ------------------------------------------------------------------------------------


def test_combine_several_pieces_into_one_report(xuhui, member, other_member, office):
    pieces = [
        accepted(xuhui, member, office, title="加装电梯维保一"),
        accepted(xuhui, other_member, office, title="加装电梯维保二"),
    ]
    report = workflow.combine(pieces, by=office, title="关于加装电梯后维保问题的综合反映")
    assert report.state == ReportState.EDITING and report.number is None
    assert set(report.pieces.values_list("state", flat=True)) == {PieceState.IN_REPORT}
    workflow.edit_report(report, by=office, title="改后的标题", content="编辑后的正文")
    assert Report.objects.get(pk=report.pk).title == "改后的标题"


def test_combine_refusals(xuhui, huangpu, member, office, huangpu_op):
    piece = accepted(xuhui, member, office)
    with pytest.raises(NotAllowed):
        workflow.combine([piece], by=huangpu_op)
    with pytest.raises(Invalid):
        workflow.combine([], by=office)
    waiting = submitted(xuhui, member, title="未筛选")
    with pytest.raises(WrongState):
        workflow.combine([piece, waiting], by=office)
    workflow.combine([piece], by=office)
    with pytest.raises(WrongState):
        workflow.combine([piece], by=office)  # already in a report


def test_issue_numbers_per_committee_and_year(xuhui, member, office):
    first = issued(xuhui, member, office, title="一")
    second = issued(xuhui, member, office, title="二")
    assert (first.number, second.number) == (1, 2)
    assert first.year == timezone.localdate().year and first.state == ReportState.ISSUED
    with pytest.raises(WrongState):
        workflow.issue(first, by=office)
    with pytest.raises(WrongState):
        workflow.edit_report(first, by=office, title="x", content="y")
    piece = accepted(xuhui, member, office, title="去年的")
    old = workflow.combine([piece], by=office)
    last_year = timezone.localdate().replace(month=1, day=1) - timedelta(days=1)
    assert workflow.issue(old, by=office, on=last_year).number == 1
    tomorrow = timezone.localdate() + timedelta(days=1)
    piece = accepted(xuhui, member, office, title="明天的")
    with pytest.raises(Invalid):
        workflow.issue(workflow.combine([piece], by=office), by=office, on=tomorrow)


def test_deliver_to_party_committee_and_government_only(xuhui, member, office):
    report = issued(xuhui, member, office)
    workflow.deliver(report, targets=["party_committee", "government"], by=office)
    report.refresh_from_db()
    assert report.state == ReportState.REPORTED and report.reported_on
    assert not Piece.objects.filter(forwarded_from=report).exists()
    with pytest.raises(WrongState):
        workflow.deliver(report, targets=["government"], by=office)
    with pytest.raises(Invalid):
        workflow.deliver(report, targets=["mayor"], by=office)
    workflow.deliver(report, targets=["upper"], by=office)  # later, upward as well
    assert Delivery.objects.filter(report=report).count() == 3


def test_deliver_refusals(xuhui, member, office, city_office):
    piece = accepted(xuhui, member, office)
    report = workflow.combine([piece], by=office)
    with pytest.raises(WrongState):
        workflow.deliver(report, targets=["upper"], by=office)  # not issued yet
    workflow.issue(report, by=office)
    with pytest.raises(NotAllowed):
        workflow.deliver(report, targets=["upper"], by=city_office)
    with pytest.raises(Invalid):
        workflow.deliver(report, targets=[], by=office)


# --- Across levels (市区联动) --------------------------------------------------------------------


def test_district_report_reaches_the_city_and_adoption_comes_back(
    xuhui, shanghai, member, office, city_office
):
    report = reported(xuhui, member, office)
    (arrived,) = Piece.objects.filter(committee=shanghai)
    assert arrived.state == PieceState.SUBMITTED
    assert arrived.submitter_kind == SubmitterKind.LOWER_COMMITTEE
    assert arrived.forwarded_from == report and arrived.submitter == "徐汇区政协"
    # The municipal office works it like any piece of its own.
    workflow.screen(arrived, decision="accept", by=city_office)
    city_report = workflow.combine([arrived], by=city_office)
    workflow.issue(city_report, by=city_office)
    workflow.deliver(city_report, targets=["upper", "government"], by=city_office)
    # National is outside the portal's working offices: recorded, not queued.
    assert not Piece.objects.filter(committee__level="national").exists()
    workflow.record_outcome(city_report, kind="adopted", level="municipal", by=city_office)
    workflow.record_outcome(
        city_report,
        kind="instruction",
        level="municipal",
        leader="市领导",
        content="请市房管局研究",
        by=city_office,
    )
    workflow.record_outcome(city_report, kind="adopted", level="national", by=city_office)
    # Back in the district: the district's report and the member's piece see all three.
    (piece,) = report.pieces.all()
    seen = {(o.kind, o.level) for o in outcomes_of(piece)}
    assert seen == {
        ("adopted", "municipal"),
        ("instruction", "municipal"),
        ("adopted", "national"),
    }
    assert Outcome.objects.filter(report=report, relayed_from__isnull=False).count() == 3
    seat = member[1]
    assert _acts(seat, "opinion_adopted_municipal") == 1
    assert _acts(seat, "opinion_adopted_national") == 1


def test_lower_office_records_upper_adoption_from_the_notice(
    xuhui, member, office, city_office, shanghai
):
    report = reported(xuhui, member, office)
    workflow.record_outcome(report, kind="adopted", level="municipal", by=office)
    with pytest.raises(WrongState):
        workflow.record_outcome(report, kind="adopted", level="municipal", by=office)
    # The city records it too later: the district's record is not doubled.
    (arrived,) = Piece.objects.filter(committee=shanghai)
    workflow.screen(arrived, decision="accept", by=city_office)
    city_report = workflow.issue(workflow.combine([arrived], by=city_office), by=city_office)
    workflow.deliver(city_report, targets=["government"], by=city_office)
    workflow.record_outcome(city_report, kind="adopted", level="municipal", by=city_office)
    assert Outcome.objects.filter(report=report, kind="adopted").count() == 1
    assert _acts(member[1], "opinion_adopted_municipal") == 1


def test_outcome_refusals(xuhui, member, office, huangpu_op):
    piece = accepted(xuhui, member, office)
    report = workflow.combine([piece], by=office)
    with pytest.raises(WrongState):
        workflow.record_outcome(report, kind="adopted", level="district", by=office)
    workflow.issue(report, by=office)
    workflow.record_outcome(report, kind="adopted", level="district", by=office)
    assert _acts(member[1], "opinion_adopted_district") == 1
    with pytest.raises(WrongState):  # upper adoption needs the report sent
        workflow.record_outcome(report, kind="adopted", level="municipal", by=office)
    with pytest.raises(NotAllowed):
        workflow.record_outcome(report, kind="adopted", level="district", by=huangpu_op)
    with pytest.raises(Invalid):
        workflow.record_outcome(report, kind="instruction", by=office)  # no leader
    with pytest.raises(Invalid):
        workflow.record_outcome(report, kind="follow_up", by=office)  # no department
    with pytest.raises(Invalid):
        workflow.record_outcome(report, kind="praise", by=office)
    with pytest.raises(Invalid):
        workflow.record_outcome(
            report, kind="adopted", on=timezone.localdate() + timedelta(days=2), by=office
        )
    workflow.record_outcome(
        report, kind="follow_up", department="区房管局", content="已出台指引", by=office
    )


def test_city_cannot_record_a_district_adoption(xuhui, shanghai, city_office, china):
    other = UserFactory(username="sh_m", committee=shanghai, roles=[Role.MEMBER])
    from members.tests.factories import SeatFactory

    seat = SeatFactory(committee=shanghai, person__user=other)
    report = reported(shanghai, (other, seat), city_office, targets=["upper"])
    with pytest.raises(Invalid):
        workflow.record_outcome(report, kind="adopted", level="district", by=city_office)
    assert not Piece.objects.filter(committee=china).exists()  # national: a record only


def test_national_committee_has_no_upper(china, member):
    user = UserFactory(username="cn_op", committee=china, roles=[Role.OPINION_OFFICE])
    from members.tests.factories import SeatFactory

    seat = SeatFactory(committee=china, person__user=user)
    report = issued(china, (user, seat), user)
    with pytest.raises(Invalid):
        workflow.deliver(report, targets=["upper"], by=user)


def test_attachments_on_drafts_only(xuhui, member, other_member, office, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    piece = draft(xuhui, member)
    photo = SimpleUploadedFile("现场照片.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
    attachment = workflow.attach(piece, upload=photo, by=member[0])
    assert attachment.name == "现场照片.jpg" and attachment.size == 3
    with pytest.raises(Invalid):
        workflow.attach(piece, upload=SimpleUploadedFile("x.exe", b"MZ"), by=member[0])
    with pytest.raises(NotAllowed):
        workflow.attach(piece, upload=SimpleUploadedFile("a.pdf", b"%PDF"), by=other_member[0])
    workflow.submit(piece, by=member[0])
    with pytest.raises(WrongState):
        workflow.attach(piece, upload=SimpleUploadedFile("b.pdf", b"%PDF"), by=member[0])


def test_history_is_written_for_every_act(xuhui, member, office):
    report = reported(xuhui, member, office)
    (piece,) = report.pieces.all()
    actions = list(Step.objects.filter(piece=piece).values_list("to_state", flat=True))
    assert actions == ["submitted", "accepted", "in_report"]
    report_steps = list(Step.objects.filter(report=report).values_list("to_state", flat=True))
    assert report_steps == ["editing", "issued", "reported"]
