"""Proposal reminders: who is told what, at which threshold, once — on the official calendar."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.roles import Role
from members.models import SpecialCommittee
from members.tests.factories import HandlingUnitFactory, UserFactory
from notifications import scan
from notifications.models import Notification, Reminder
from notifications.registry import KINDS
from proposals import workflow
from proposals.models import Assignment, CoSigner, Transition
from proposals.selectors import proposals_for
from proposals.tests.helpers import draft, filed, submitted

pytestmark = pytest.mark.django_db

DUE = date(2023, 10, 9)  # the Monday after National Day 2023 (Oct 7 and 8 were working days)


def received(kind: str) -> list[tuple[str, str]]:
    return sorted(
        Notification.objects.filter(reminder__kind=kind).values_list(
            "recipient__username", "reminder__threshold"
        )
    )


@pytest.fixture
def assignment(xuhui, session, category, member, staff, unit, unit_user):
    proposal = filed(submitted(xuhui, session, category, member), staff)
    (assignment,) = workflow.assign(
        proposal, units=[(unit, "lead")], by=staff[Role.PROPOSAL_OFFICE], on=date(2023, 7, 3)
    )
    workflow.accept(assignment, by=unit_user)
    Assignment.objects.filter(pk=assignment.pk).update(due_on=DUE)  # as after an extension
    return assignment


def test_handling_deadline_thresholds_count_official_working_days(assignment, unit_user):
    """On 25 September 12 calendar days but 6 working days are left (the National Day holiday
    and its two adjusted working days): the 7-day reminder, not the 30-day one."""
    kind = ["proposals.handling_due"]
    assert scan.run(today=date(2023, 8, 20), kinds=kind) == {kind[0]: 0}  # 32 working days
    assert scan.run(today=date(2023, 8, 25), kinds=kind) == {kind[0]: 1}  # 27
    assert scan.run(today=date(2023, 8, 28), kinds=kind) == {kind[0]: 0}  # "30" was sent
    assert scan.run(today=date(2023, 9, 25), kinds=kind) == {kind[0]: 1}  # 6
    assert scan.run(today=date(2023, 9, 25), kinds=kind) == {kind[0]: 0}
    assert scan.run(today=date(2023, 10, 8), kinds=kind) == {kind[0]: 1}  # a Sunday, worked
    assert received(kind[0]) == [("unit", "1"), ("unit", "30"), ("unit", "7")]
    reminder = Reminder.objects.get(kind=kind[0], threshold="7")
    assert reminder.text == (
        f"提案第{assignment.proposal.number}号《关于完善社区卫生服务体系的建议》"
        "的办理期限为2023-10-09，剩余不足7个工作日。"
    )
    assert reminder.url == f"/proposals/unit/{assignment.pk}/"


def test_overdue_goes_to_the_unit_then_the_office_and_a_key_proposals_leader(
    xuhui, assignment, staff
):
    chair = staff[Role.CHAIR_MEETING_MEMBER]
    workflow.select_key(
        assignment.proposal,
        supervisor=chair,
        supervising_committee=SpecialCommittee.objects.create(committee=xuhui, name="提案委员会"),
        by=staff[Role.DIRECTORS_MEETING],
    )
    kind = "proposals.handling_overdue"
    scan.run(today=date(2023, 10, 10), kinds=[kind])
    assert received(kind) == [("chair", "supervisor"), ("unit", "unit")]
    scan.run(today=date(2023, 10, 11), kinds=[kind])  # 2 working days overdue
    assert ("xh_office", "office") not in received(kind)
    scan.run(today=date(2023, 10, 12), kinds=[kind])  # 3: escalated to the proposal office
    scan.run(today=date(2023, 10, 13), kinds=[kind])
    assert received(kind) == [("chair", "supervisor"), ("unit", "unit"), ("xh_office", "office")]
    proposal_id = assignment.proposal_id
    urls = dict(Reminder.objects.values_list("threshold", "url"))
    assert urls == {
        "unit": f"/proposals/unit/{assignment.pk}/",
        "office": f"/admin/proposals/proposal/{proposal_id}/change/",
        "supervisor": f"/proposals/{proposal_id}/",
    }


def test_a_scan_leaves_issued_reminders_out_in_its_own_query(assignment):
    """A re-run reads nothing already issued (not merely skips it when inserting): the scan
    functions exclude the existing reminders in their SQL, threshold by threshold."""
    kinds = {
        "proposals.handling_overdue": date(2023, 10, 12),  # unit, and escalated to the office
        "proposals.handling_due": date(2023, 9, 25),
    }
    for kind, today in kinds.items():
        due = list(KINDS[kind].scan(today))
        assert due
        scan.run(today=today, kinds=[kind])
        assert list(KINDS[kind].scan(today)) == []
    Reminder.objects.filter(kind="proposals.handling_overdue", threshold="office").delete()
    (again,) = KINDS["proposals.handling_overdue"].scan(date(2023, 10, 12))
    assert again.threshold == "office"


def test_no_reminder_reaches_anyone_who_may_not_see_the_proposal(
    xuhui, huangpu, assignment, unit, huangpu_office, staff
):
    UserFactory(
        username="left",
        handling_unit=unit,
        committee=None,
        is_active=False,
        roles=[Role.HANDLING_UNIT],
    )
    other_unit = HandlingUnitFactory(committee=xuhui, name="区民政局")
    UserFactory(
        username="other", handling_unit=other_unit, committee=None, roles=[Role.HANDLING_UNIT]
    )
    for day in (date(2023, 8, 25), date(2023, 9, 25), date(2023, 10, 8), date(2023, 10, 20)):
        scan.run(today=day)
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"unit", "xh_office"}
    for notification in Notification.objects.select_related("recipient", "reminder"):
        assert proposals_for(notification.recipient).filter(pk=assignment.proposal_id).exists()


def test_cosign_requests_unanswered_for_three_days(xuhui, session, category, member, cosigner):
    proposal = draft(xuhui, session, category, member, kind="joint")
    workflow.invite_cosigners(proposal, seats=[cosigner[1]], by=member[0])
    kind = ["proposals.cosign_unanswered"]
    assert scan.run(kinds=kind) == {kind[0]: 0}
    CoSigner.objects.update(invited_at=timezone.now() - timedelta(days=3, minutes=1))
    assert scan.run(kinds=kind) == {kind[0]: 1}
    assert scan.run(kinds=kind) == {kind[0]: 0}
    notification = Notification.objects.get()
    assert notification.recipient == cosigner[0]
    assert proposals_for(cosigner[0]).filter(pk=proposal.pk).exists()
    assert notification.reminder.url == f"/proposals/{proposal.pk}/"


def test_reviews_waiting_remind_the_role_of_each_stage(xuhui, session, category, member, staff):
    proposal = submitted(xuhui, session, category, member)
    kind = ["proposals.review_waiting"]
    assert scan.run(kinds=kind) == {kind[0]: 0}
    Transition.objects.update(at=timezone.now() - timedelta(days=6))
    scan.run(kinds=kind)
    workflow.first_review(proposal, decision="pass", by=staff[Role.PROPOSAL_OFFICE])
    scan.run(kinds=kind)  # the second review has waited only a moment
    Transition.objects.update(at=timezone.now() - timedelta(days=6))
    scan.run(kinds=kind)
    assert received(kind[0]) == [("review", "second_review"), ("xh_office", "submitted")]


def test_acknowledgement_due_the_working_day_before(
    xuhui, session, category, member, staff, unit, unit_user
):
    proposal = filed(submitted(xuhui, session, category, member), staff)
    (assignment,) = workflow.assign(
        proposal, units=[(unit, "lead")], by=staff[Role.PROPOSAL_OFFICE], on=date(2023, 9, 25)
    )
    assert assignment.acknowledge_by == date(2023, 10, 8)  # over the holiday
    kind = ["proposals.acknowledgement_due"]
    assert scan.run(today=date(2023, 9, 28), kinds=kind) == {kind[0]: 0}
    assert scan.run(today=date(2023, 10, 7), kinds=kind) == {kind[0]: 1}
    assert received(kind[0]) == [("unit", "")]


def test_feedback_due_within_the_last_week_of_the_window(
    xuhui, session, category, member, staff, unit, unit_user
):
    proposal = filed(submitted(xuhui, session, category, member), staff)
    (assignment,) = workflow.assign(
        proposal, units=[(unit, "lead")], by=staff[Role.PROPOSAL_OFFICE], on=date(2023, 7, 3)
    )
    workflow.accept(assignment, by=unit_user)
    workflow.reply(
        assignment,
        result="A",
        text="已解决",
        signatory="主任",
        by=unit_user,
        replied_on=date(2023, 9, 1),
    )
    kind = ["proposals.feedback_due"]
    assert scan.run(today=date(2023, 9, 20), kinds=kind) == {kind[0]: 0}
    assert scan.run(today=date(2023, 9, 24), kinds=kind) == {kind[0]: 1}  # due 1 October
    assert scan.run(today=date(2023, 9, 25), kinds=kind) == {kind[0]: 0}
    assert received(kind[0]) == [("lead", "")]
    assert "2023-10-01前评价" in Reminder.objects.get().text
    closing = ["proposals.closing_due"]
    assert scan.run(today=date(2023, 10, 1), kinds=closing) == {closing[0]: 0}  # last day
    assert scan.run(today=date(2023, 10, 2), kinds=closing) == {closing[0]: 1}
    assert received(closing[0]) == [("xh_office", "")]
    assert "反馈期已于2023-10-01届满" in Reminder.objects.get(kind=closing[0]).text
