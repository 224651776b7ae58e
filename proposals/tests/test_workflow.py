"""The proposal lifecycle: every step, its role and state rules, numbering, handling and
evaluation."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.errors import Invalid, NotAllowed, WrongState
from core.roles import Role
from members.models import Act, SpecialCommittee
from members.tests.factories import HandlingUnitFactory
from proposals import workflow
from proposals.models import Assignment, CoSigner, Feedback, Proposal, Review, State, Transition
from proposals.tests.helpers import draft, filed, submitted, to_final_review

OFFICE, REVIEW, DIRECTORS, CHAIR = (
    Role.PROPOSAL_OFFICE,
    Role.REVIEW_GROUP,
    Role.DIRECTORS_MEETING,
    Role.CHAIR_MEETING_MEMBER,
)


def test_a_proposal_from_draft_to_closed(xuhui, session, category, member, staff, unit, unit_user):
    user = member[0]
    proposal = submitted(xuhui, session, category, member)
    assert proposal.state == State.SUBMITTED
    filed(proposal, staff)
    proposal.refresh_from_db()
    assert (proposal.state, proposal.number) == (State.FILED, 1)
    (assignment,) = workflow.assign(
        proposal, units=[(unit, Assignment.Role.LEAD)], by=staff[OFFICE], on=date(2023, 3, 1)
    )
    assert (assignment.acknowledge_by, assignment.due_on) == (date(2023, 3, 8), date(2023, 6, 1))
    workflow.accept(assignment, by=unit_user)
    workflow.record_consultation(
        assignment,
        stage="before",
        held_on=date(2023, 3, 10),
        form="visit",
        participants="提案人、单位负责人",
        summary="当面沟通办理思路",
        by=unit_user,
    )
    answer = workflow.reply(
        assignment, result="B", text="已列入计划", signatory="局长", by=unit_user
    )
    proposal.refresh_from_db()
    assert proposal.state == State.REPLIED
    workflow.give_feedback(answer, rating=Feedback.Rating.SATISFIED, by=user)
    proposal.refresh_from_db()
    assert proposal.state == State.CLOSED
    assert [t.to_state for t in proposal.transitions.all()] == [
        "submitted",
        "second_review",
        "final_review",
        "filed",
        "handling",
        "handling",  # accepted by the unit
        "handling",  # a consultation with the proposer
        "replied",
        "closed",
    ]
    assert set(Act.objects.values_list("kind__code", flat=True)) == {
        "proposal_lead",
        "proposal_filed",
    }


@pytest.mark.parametrize("role", [OFFICE, REVIEW, DIRECTORS, CHAIR, "member", "other_district"])
def test_each_review_only_by_its_role(xuhui, huangpu, session, category, member, staff, role):
    from members.tests.factories import UserFactory

    proposal = submitted(xuhui, session, category, member)
    actor = (
        staff.get(role) or UserFactory(committee=xuhui, roles=["member"])
        if role != "other_district"
        else UserFactory(committee=huangpu, roles=[OFFICE, REVIEW, DIRECTORS])
    )
    steps = [
        (OFFICE, workflow.first_review, "pass"),
        (REVIEW, workflow.second_review, "pass"),
        (DIRECTORS, workflow.final_review, "file"),
    ]
    for owner, act, decision in steps:
        if role == owner:
            act(proposal, decision=decision, by=actor)
        else:
            with pytest.raises(NotAllowed):
                act(proposal, decision=decision, by=actor)
            act(proposal, decision=decision, by=staff[owner])
    proposal.refresh_from_db()
    assert proposal.state == State.FILED


ACTS = {  # act -> the states it may start from
    "first_review": {State.SUBMITTED},
    "second_review": {State.SECOND_REVIEW},
    "final_review": {State.FINAL_REVIEW},
    "withdraw": {State.DRAFT, State.SUBMITTED, State.SECOND_REVIEW, State.FINAL_REVIEW},
    "submit": {State.DRAFT},
    "close": {State.REPLIED},
    "assign": {State.FILED, State.HANDLING},
    "select_key": {State.FILED, State.HANDLING, State.REPLIED},
    "select_excellent": {State.REPLIED, State.CLOSED},
}


@pytest.mark.parametrize("state", [s for s in State.values])
def test_state_matrix(xuhui, session, category, member, staff, unit, state):
    """Every act allowed only from its states: refused with WrongState from all others."""
    user, _seat = member
    proposal = draft(xuhui, session, category, member)
    Proposal.objects.filter(pk=proposal.pk).update(state=state)
    calls = {
        "first_review": lambda p: workflow.first_review(p, decision="pass", by=staff[OFFICE]),
        "second_review": lambda p: workflow.second_review(p, decision="pass", by=staff[REVIEW]),
        "final_review": lambda p: workflow.final_review(
            p, decision="not_file", disposition="opinion", by=staff[DIRECTORS]
        ),
        "withdraw": lambda p: workflow.withdraw(p, by=user),
        "submit": lambda p: workflow.submit(p, by=user),
        "close": lambda p: workflow.close(p, by=staff[OFFICE], reason="反馈期满"),
        "assign": lambda p: workflow.assign(p, units=[(unit, "lead")], by=staff[OFFICE]),
        "select_key": lambda p: workflow.select_key(
            p,
            supervisor=staff[CHAIR],
            by=staff[DIRECTORS],
            supervising_committee=SpecialCommittee.objects.get_or_create(
                committee=xuhui, name="提案委员会"
            )[0],
        ),
        "select_excellent": lambda p: workflow.select_excellent(p, by=staff[DIRECTORS]),
    }
    for act, allowed in ACTS.items():
        proposal.refresh_from_db()
        before = proposal.transitions.count()
        if state in allowed:
            calls[act](proposal)
            assert proposal.transitions.count() == before + 1
            Proposal.objects.filter(pk=proposal.pk).update(state=state)
        else:
            with pytest.raises(WrongState):
                calls[act](proposal)
            assert proposal.transitions.count() == before


def test_returned_proposal_goes_back_to_draft_with_the_opinion(
    xuhui, session, category, member, staff
):
    proposal = submitted(xuhui, session, category, member)
    with pytest.raises(Invalid):
        workflow.first_review(proposal, decision="return", opinion="", by=staff[OFFICE])
    workflow.first_review(proposal, decision="return", opinion="请补充调研数据", by=staff[OFFICE])
    proposal.refresh_from_db()
    assert proposal.state == State.DRAFT
    assert proposal.transitions.last().opinion == "请补充调研数据"
    workflow.update_draft(proposal, by=member[0], research_basis="补充了问卷调查")
    workflow.submit(proposal, by=member[0])


def test_not_filed_needs_a_disposition_and_merge_a_filed_target(
    xuhui, session, category, member, staff
):
    target = filed(submitted(xuhui, session, category, member, title="甲"), staff)
    other = to_final_review(submitted(xuhui, session, category, member, title="乙"), staff)
    with pytest.raises(Invalid):
        workflow.final_review(other, decision="not_file", by=staff[DIRECTORS])
    with pytest.raises(Invalid):
        workflow.final_review(other, decision="merge", merge_into=other, by=staff[DIRECTORS])
    workflow.final_review(other, decision="merge", merge_into=target, by=staff[DIRECTORS])
    other.refresh_from_db()
    assert (other.state, other.merged_into, other.number) == (State.MERGED, target, None)


def test_withdraw_only_before_filing_and_by_the_proposer(
    xuhui, session, category, member, cosigner, staff
):
    proposal = submitted(xuhui, session, category, member)
    with pytest.raises(NotAllowed):
        workflow.withdraw(proposal, by=cosigner[0])
    workflow.withdraw(proposal, by=member[0], reason="情况已变化")
    assert not Act.objects.exists()  # the submission act is withdrawn too
    filed_one = filed(submitted(xuhui, session, category, member, title="二"), staff)
    with pytest.raises(WrongState):
        workflow.withdraw(filed_one, by=member[0])


def test_joint_proposal_needs_a_confirmed_cosigner(
    xuhui, session, category, member, cosigner, staff
):
    proposal = draft(xuhui, session, category, member, kind=Proposal.Kind.JOINT)
    with pytest.raises(WrongState, match="附议人"):
        workflow.submit(proposal, by=member[0])
    (invitation,) = workflow.invite_cosigners(proposal, seats=[cosigner[1]], by=member[0])
    with pytest.raises(NotAllowed):
        workflow.answer_cosign(invitation, accept=True, by=member[0])
    workflow.answer_cosign(invitation, accept=True, by=cosigner[0])
    with pytest.raises(WrongState):
        workflow.answer_cosign(invitation, accept=False, by=cosigner[0])
    workflow.submit(proposal, by=member[0])
    filed(proposal, staff)
    assert Act.objects.filter(kind__code="proposal_cosign", seat=cosigner[1]).exists()
    assert CoSigner.objects.get().status == CoSigner.Status.CONFIRMED


def test_assignment_rules_reassignment_and_extension(
    xuhui, session, category, member, staff, unit, unit_user
):
    proposal = filed(submitted(xuhui, session, category, member), staff)
    other = HandlingUnitFactory(committee=xuhui, name="区民政局")
    with pytest.raises(Invalid, match="主办"):
        workflow.assign(proposal, units=[(unit, "co")], by=staff[OFFICE])
    with pytest.raises(Invalid):
        workflow.assign(proposal, units=[(unit, "lead"), (other, "lead")], by=staff[OFFICE])
    (lead,) = workflow.assign(
        proposal, units=[(unit, "lead")], by=staff[OFFICE], on=date(2023, 3, 1)
    )
    workflow.request_reassignment(lead, reason="不属于本单位职责", by=unit_user)
    new = workflow.decide_reassignment(lead, approve=True, new_unit=other, by=staff[OFFICE])
    lead.refresh_from_db()
    assert lead.status == Assignment.Status.WITHDRAWN and new.unit == other
    with pytest.raises(Invalid, match="六个月"):
        workflow.extend_deadline(
            new, until=new.assigned_on + timedelta(days=200), by=staff[OFFICE], reason="情况复杂"
        )
    workflow.extend_deadline(
        new, until=new.assigned_on + timedelta(days=150), by=staff[OFFICE], reason="情况复杂"
    )
    new.refresh_from_db()
    assert new.due_on == new.assigned_on + timedelta(days=150)


def test_rehandling_only_once(xuhui, session, category, member, staff, unit, unit_user):
    user = member[0]
    proposal = filed(submitted(xuhui, session, category, member), staff)
    (assignment,) = workflow.assign(proposal, units=[(unit, "lead")], by=staff[OFFICE])
    workflow.accept(assignment, by=unit_user)
    answer = workflow.reply(
        assignment, result="C", text="暂不能解决", signatory="局长", by=unit_user
    )
    workflow.give_feedback(answer, rating=Feedback.Rating.DISSATISFIED, comment="未回应", by=user)
    proposal.refresh_from_db()
    assert proposal.state == State.REPLIED  # the office decides
    due = timezone.localdate() + timedelta(days=30)
    workflow.order_rehandling(proposal, due_on=due, by=staff[OFFICE], reason="提案人不满意")
    proposal.refresh_from_db()
    assert (proposal.state, proposal.rehandled) == (State.HANDLING, True)
    second = workflow.reply(
        assignment, result="B", text="重新研究后列入计划", signatory="局长", by=unit_user
    )
    assert second.is_rehandling
    workflow.give_feedback(second, rating=Feedback.Rating.DISSATISFIED, by=user)
    with pytest.raises(WrongState, match="一次"):
        workflow.order_rehandling(proposal, due_on=due, by=staff[OFFICE], reason="再次")
    workflow.close(proposal, by=staff[OFFICE], reason="已重新办理一次")
    proposal.refresh_from_db()
    assert proposal.state == State.CLOSED


def test_key_and_excellent_proposals(xuhui, session, category, member, staff, unit, unit_user):
    proposal = filed(submitted(xuhui, session, category, member), staff)
    special = SpecialCommittee.objects.create(committee=xuhui, name="提案委员会")
    with pytest.raises(Invalid):  # the supervisor must be a chair-meeting member
        workflow.select_key(
            proposal, supervisor=staff[OFFICE], supervising_committee=special, by=staff[DIRECTORS]
        )
    workflow.select_key(
        proposal, supervisor=staff[CHAIR], supervising_committee=special, by=staff[DIRECTORS]
    )
    workflow.record_supervision(
        proposal, kind="progress", held_on=date(2023, 5, 1), notes="召开办理推进会", by=staff[CHAIR]
    )
    with pytest.raises(WrongState):
        workflow.select_excellent(proposal, by=staff[DIRECTORS])  # not replied yet
    (assignment,) = workflow.assign(proposal, units=[(unit, "lead")], by=staff[OFFICE])
    workflow.accept(assignment, by=unit_user)
    answer = workflow.reply(assignment, result="A", text="已解决", signatory="局长", by=unit_user)
    workflow.give_feedback(answer, rating="satisfied", by=member[0])
    workflow.record_supervision(
        proposal,
        kind="follow_up",
        held_on=date(2023, 12, 1),
        notes="回头看",
        promise_kept=True,
        by=staff[OFFICE],
    )
    workflow.select_excellent(proposal, by=staff[DIRECTORS])
    assert Act.objects.filter(kind__code="proposal_excellent", seat=member[1]).exists()


def test_reviews_are_recorded(xuhui, session, category, member, staff):
    proposal = filed(submitted(xuhui, session, category, member), staff)
    assert [(r.stage, r.decision) for r in proposal.reviews.all()] == [
        (Review.Stage.FIRST, "pass"),
        (Review.Stage.SECOND, "pass"),
        (Review.Stage.FINAL, "file"),
    ]
    assert Transition.objects.filter(proposal=proposal, by=staff[DIRECTORS]).exists()


def test_plenary_proposals_only_within_the_window(xuhui, session, category, member):
    today = timezone.localdate()
    session.proposals_open_on = today - timedelta(days=30)
    session.proposals_close_on = today - timedelta(days=1)
    session.save()
    proposal = draft(xuhui, session, category, member)
    with pytest.raises(Invalid, match="征集期"):
        workflow.submit(proposal, by=member[0])
    workflow.update_draft(proposal, by=member[0], timing=Proposal.Timing.BETWEEN)
    assert workflow.submit(proposal, by=member[0]).state == State.SUBMITTED
