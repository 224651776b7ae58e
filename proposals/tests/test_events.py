"""The acts tell whom they ask or whose outcome they decide, at once and once (after commit)."""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from members.models import User
from notifications import scan
from notifications.models import Notification
from proposals import workflow
from proposals.models import Feedback, Proposal, Review
from proposals.tests.helpers import draft, filed, submitted, to_final_review

pytestmark = pytest.mark.django_db

OFFICE, REVIEW, DIRECTORS = Role.PROPOSAL_OFFICE, Role.REVIEW_GROUP, Role.DIRECTORS_MEETING


@pytest.fixture
def told(django_capture_on_commit_callbacks):
    """Run the acts with their after-commit callbacks executed, as in a request."""

    def run(act, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return act(*args, **kwargs)

    return run


def inbox(user: User) -> list[tuple[str, str, str]]:
    return [
        (n.reminder.kind, n.reminder.text, n.reminder.url)
        for n in Notification.objects.filter(recipient=user).select_related("reminder")
    ]


def test_cosign_invitation_links_to_the_proposal_and_the_answer_returns(
    told, xuhui, session, category, member, cosigner
):
    proposal = draft(xuhui, session, category, member, kind=Proposal.Kind.JOINT)
    (invitation,) = told(workflow.invite_cosigners, proposal, seats=[cosigner[1]], by=member[0])
    assert inbox(cosigner[0]) == [
        (
            "proposals.cosign_invited",
            f"lead邀请您联名提案《{proposal.title}》，请阅读全文后确认是否附议。",
            reverse("proposals:detail", args=[proposal.pk]),
        )
    ]
    assert inbox(member[0]) == []  # the actor is not told what they did
    told(workflow.answer_cosign, invitation, accept=True, by=cosigner[0])
    assert inbox(member[0])[0][:2] == (
        "proposals.cosign_answered",
        f"cosigner已答复您的联名邀请（提案《{proposal.title}》）：已确认。",
    )


def test_each_review_asks_the_next_role_and_tells_the_proposer_the_result(
    told, xuhui, session, category, member, staff
):
    proposal = told(submitted, xuhui, session, category, member)
    office_page = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    assert inbox(staff[OFFICE]) == [
        (
            "proposals.review_requested",
            f"提案《{proposal.title}》已进入“待初审”环节，请审查。",
            office_page,
        )
    ]
    told(workflow.first_review, proposal, decision=Review.Decision.PASS, by=staff[OFFICE])
    assert [kind for kind, _text, _url in inbox(staff[REVIEW])] == ["proposals.review_requested"]
    told(workflow.second_review, proposal, decision=Review.Decision.PASS, by=staff[REVIEW])
    told(
        workflow.final_review,
        proposal,
        decision=Review.Decision.RETURN,
        opinion="请补充数据",
        by=staff[DIRECTORS],
    )
    assert inbox(member[0])[0][:2] == (
        "proposals.returned",
        f"您的提案《{proposal.title}》在“定审”环节被退回修改：请补充数据",
    )
    # Resubmitted: the office is asked again (a new event), and the filing is told.
    told(workflow.submit, proposal, by=member[0])
    assert len(inbox(staff[OFFICE])) == 2
    told(to_final_review, proposal, staff)
    told(workflow.final_review, proposal, decision=Review.Decision.FILE, by=staff[DIRECTORS])
    proposal.refresh_from_db()
    assert (
        inbox(member[0])[0][1] == f"您的提案《{proposal.title}》已立案，案号第{proposal.number}号。"
    )


def test_not_filed_is_told_with_its_disposition(told, xuhui, session, category, member, staff):
    proposal = to_final_review(submitted(xuhui, session, category, member), staff)
    told(
        workflow.final_review,
        proposal,
        decision=Review.Decision.NOT_FILE,
        disposition=Proposal.Disposition.REFERRED,
        by=staff[DIRECTORS],
    )
    kind, text, _url = inbox(member[0])[0]
    assert kind == "proposals.not_filed" and "不予立案" in text


def test_assignment_reply_rating_each_reach_the_other_side(
    told, xuhui, session, category, member, staff, unit, unit_user
):
    proposal = filed(submitted(xuhui, session, category, member), staff)
    (assignment,) = told(workflow.assign, proposal, units=[(unit, "lead")], by=staff[OFFICE])
    kind, text, url = inbox(unit_user)[0]
    assert kind == "proposals.assigned"
    assert url == reverse("proposals:unit-assignment", args=[assignment.pk])
    assert f"请于{assignment.acknowledge_by}前签收，{assignment.due_on}前答复" in text
    workflow.accept(assignment, by=unit_user)
    answer = told(
        workflow.reply, assignment, result="A", text="已解决", signatory="王局", by=unit_user
    )
    kind, text, url = inbox(member[0])[0]
    assert kind == "proposals.replied" and "请于" in text and "前评价" in text
    assert url == reverse("proposals:detail", args=[proposal.pk])
    told(workflow.give_feedback, answer, rating=Feedback.Rating.DISSATISFIED, by=member[0])
    assert inbox(unit_user)[0][1].endswith("答复评价为：不满意。")
    told(
        workflow.order_rehandling,
        proposal,
        due_on=timezone.localdate() + timezone.timedelta(days=30),
        reason="再协商",
        by=staff[OFFICE],
    )
    assert inbox(unit_user)[0][0] == "proposals.rehandling"


def test_an_act_that_rolls_back_tells_nobody(told, xuhui, session, category, member, staff):
    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        told(submitted, xuhui, session, category, member)
        raise Undo
    assert not Notification.objects.exists()


def test_one_notification_per_event_and_recipient_even_if_issued_twice(
    xuhui, session, category, member, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        submitted(xuhui, session, category, member)
    for callback in callbacks * 2:  # a retried callback changes nothing
        callback()
    assert Notification.objects.filter(recipient=staff[OFFICE]).count() == 1
    assert scan.run(kinds=["proposals.review_requested"]) == {}  # events are not scanned


def test_email_is_pending_only_for_those_who_want_it(told, xuhui, session, category, member, staff):
    staff[REVIEW].receives_email = False
    staff[REVIEW].save()
    proposal = told(submitted, xuhui, session, category, member)
    told(workflow.first_review, proposal, decision=Review.Decision.PASS, by=staff[OFFICE])
    emails = dict(Notification.objects.values_list("recipient__username", "email"))
    assert emails == {
        "xh_office": Notification.Email.PENDING,
        "review": Notification.Email.NOT_WANTED,
    }
