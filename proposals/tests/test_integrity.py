"""Defects found by trying the proposal doors as an integrator and as staff (issue: Integrity)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import Invalid, WrongState
from core.roles import Role
from members.tests.factories import HandlingUnitFactory
from proposals import workflow
from proposals.models import Feedback, Proposal, State
from proposals.selectors import with_overdue
from proposals.stats import proposal_figures
from proposals.tests.factories import AssignmentFactory, ReplyFactory
from proposals.tests.helpers import filed, submitted

OFFICE = Role.PROPOSAL_OFFICE


def _replied(xuhui, session, category, member, staff, unit, unit_user):
    proposal = filed(submitted(xuhui, session, category, member), staff)
    (assignment,) = workflow.assign(proposal, units=[(unit, "lead")], by=staff[OFFICE])
    workflow.accept(assignment, by=unit_user)
    answer = workflow.reply(assignment, result="A", text="已解决", signatory="局长", by=unit_user)
    proposal.refresh_from_db()
    return proposal, assignment, answer


def test_a_return_answers_the_returned_proposal_not_a_500(
    api_client, xuhui, session, category, member, staff
):
    proposal = submitted(xuhui, session, category, member)
    api_client.force_login(staff[OFFICE])
    response = api_client.post(
        f"/api/v1/proposals/{proposal.pk}/first-review/",
        {"decision": "return", "opinion": "请补充调研数据"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == State.DRAFT


def test_close_waits_for_the_rating_window(
    xuhui, session, category, member, staff, unit, unit_user
):
    proposal, _assignment, answer = _replied(
        xuhui, session, category, member, staff, unit, unit_user
    )
    with pytest.raises(WrongState, match="反馈期"):
        workflow.close(proposal, by=staff[OFFICE], reason="未反馈")
    # Once the proposer is dissatisfied, the office may decide not to re-handle and close.
    workflow.give_feedback(answer, rating=Feedback.Rating.DISSATISFIED, by=member[0])
    workflow.close(proposal, by=staff[OFFICE], reason="不再重新办理")
    proposal.refresh_from_db()
    assert proposal.state == State.CLOSED


def test_close_after_the_rating_window_is_over(
    xuhui, session, category, member, staff, unit, unit_user
):
    proposal, _assignment, answer = _replied(
        xuhui, session, category, member, staff, unit, unit_user
    )
    type(answer).objects.filter(pk=answer.pk).update(
        replied_on=timezone.localdate() - timedelta(days=60)
    )
    workflow.close(proposal, by=staff[OFFICE], reason="反馈期满")
    proposal.refresh_from_db()
    assert proposal.state == State.CLOSED


def test_a_reply_cannot_be_dated_in_the_future_or_before_assignment(
    api_client, xuhui, session, category, member, staff, unit, unit_user
):
    proposal = filed(submitted(xuhui, session, category, member), staff)
    (assignment,) = workflow.assign(proposal, units=[(unit, "lead")], by=staff[OFFICE])
    workflow.accept(assignment, by=unit_user)
    api_client.force_login(unit_user)
    url = f"/api/v1/assignments/{assignment.pk}/reply/"
    for day in ("2099-12-31", (assignment.assigned_on - timedelta(days=1)).isoformat()):
        body = {"result": "A", "text": "已解决", "signatory": "局长", "replied_on": day}
        response = api_client.post(url, body, format="json")
        assert response.status_code == 400 and "replied_on" in response.json()["fields"]
    with pytest.raises(Invalid):
        workflow.record_consultation(
            assignment,
            stage="before",
            held_on=timezone.localdate() + timedelta(days=1),
            form="phone",
            participants="提案人",
            summary="电话",
            by=unit_user,
        )


def test_a_member_reads_only_the_assignments_of_their_own_proposals(
    api_client, xuhui, session, category, member, cosigner, staff, unit, unit_user
):
    _proposal, assignment, answer = _replied(
        xuhui, session, category, member, staff, unit, unit_user
    )
    api_client.force_login(cosigner[0])  # a member of the committee, not on this proposal
    assert api_client.get("/api/v1/assignments/").json()["results"] == []
    assert api_client.get(f"/api/v1/assignments/{assignment.pk}/").status_code == 404
    assert api_client.get(f"/api/v1/replies/{answer.pk}/").status_code == 404
    api_client.force_login(member[0])  # the proposer reads the reply to their proposal
    rows = api_client.get("/api/v1/assignments/").json()["results"]
    assert [row["id"] for row in rows] == [assignment.pk]


def test_ids_of_another_committee_are_field_errors(
    api_client, xuhui, huangpu, session, category, member, staff
):
    proposal = filed(submitted(xuhui, session, category, member), staff)
    theirs = HandlingUnitFactory(committee=huangpu, name="黄浦区卫生健康委")
    api_client.force_login(staff[OFFICE])
    response = api_client.post(
        f"/api/v1/proposals/{proposal.pk}/assign/",
        {"units": [{"unit": theirs.pk, "role": "lead"}]},
        format="json",
    )
    assert response.status_code == 400
    assert "units" in response.json()["fields"]
    assert "黄浦" not in response.content.decode()
    assert not proposal.assignments.exists()


def test_the_overdue_flag_and_the_figures_count_the_same_assignments(xuhui):
    """Every unit answers: an unanswered co-handling assignment past its deadline makes its
    proposal overdue and is counted overdue in the figures; an answered one is neither."""
    late = AssignmentFactory(proposal__committee=xuhui, days_ago=200, role="co")
    answered = ReplyFactory(assignment__proposal__committee=xuhui, assignment__days_ago=200)
    flags = dict(with_overdue(Proposal.objects.all()).values_list("pk", "overdue"))
    assert flags == {late.proposal_id: True, answered.assignment.proposal_id: False}
    figures = proposal_figures(xuhui, year=late.proposal.submitted_at.year)
    assert figures["overdue_assignments"] == 1 and figures["overdue_now"] == 1
