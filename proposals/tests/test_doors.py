"""Every act has a staff door, and what an act does can be read back (issue: Integrity)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import WrongState
from core.roles import Role
from members.models import SpecialCommittee
from members.tests.factories import HandlingUnitFactory, UserFactory
from proposals import workflow
from proposals.models import Assignment, Feedback, Proposal, State
from proposals.reminders import office_url
from proposals.selectors import with_overdue
from proposals.stats import proposal_figures
from proposals.tests.helpers import filed, submitted

OFFICE, DIRECTORS, CHAIR = Role.PROPOSAL_OFFICE, Role.DIRECTORS_MEETING, Role.CHAIR_MEETING_MEMBER


def _handling(xuhui, session, category, member, staff, unit):
    proposal = filed(submitted(xuhui, session, category, member), staff)
    (assignment,) = workflow.assign(proposal, units=[(unit, "lead")], by=staff[OFFICE])
    return proposal, assignment


def _apply(client, url, action, rows, **form):
    return client.post(
        url, {"action": action, "_selected_action": [r.pk for r in rows], "apply": "1", **form}
    )


def test_history_shows_acceptance_consultations_and_reassignment(
    api_client, xuhui, session, category, member, staff, unit, unit_user
):
    proposal, assignment = _handling(xuhui, session, category, member, staff, unit)
    workflow.accept(assignment, by=unit_user)
    workflow.record_consultation(
        assignment,
        stage="before",
        held_on=timezone.localdate(),
        form="phone",
        participants="提案人",
        summary="电话沟通办理思路",
        by=unit_user,
    )
    api_client.force_login(staff[OFFICE])
    history = api_client.get(f"/api/v1/proposals/{proposal.pk}/history/").json()
    actions = [row["action"] for row in history]
    assert actions[-2:] == ["签收", "办理协商"]
    assert "电话沟通办理思路" in history[-1]["opinion"]
    detail = api_client.get(f"/api/v1/assignments/{assignment.pk}/").json()
    assert [c["summary"] for c in detail["consultations"]] == ["电话沟通办理思路"]


def test_the_office_decides_reassignment_and_extends_in_the_admin(
    client, xuhui, session, category, member, staff, unit, unit_user
):
    _proposal, assignment = _handling(xuhui, session, category, member, staff, unit)
    workflow.request_reassignment(assignment, reason="不属于本单位职责", by=unit_user)
    client.force_login(staff[OFFICE])
    url = reverse("admin:proposals_assignment_changelist")
    _apply(client, url, "refuse_reassignment", [assignment], opinion="请继续办理")
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.ASSIGNED
    until = assignment.due_on + timedelta(days=30)
    _apply(client, url, "extend_deadline", [assignment], until=until.isoformat(), reason="复杂")
    assignment.refresh_from_db()
    assert assignment.due_on == until
    actions = list(assignment.proposal.transitions.values_list("action", flat=True))
    assert actions[-3:] == ["申请调整", "不同意调整", "延期"]


def test_the_office_closes_from_the_reminders_link(
    client, xuhui, session, category, member, staff, unit, unit_user
):
    proposal, assignment = _handling(xuhui, session, category, member, staff, unit)
    workflow.accept(assignment, by=unit_user)
    answer = workflow.reply(
        assignment, result="C", text="暂不能解决", signatory="局长", by=unit_user
    )
    workflow.give_feedback(answer, rating=Feedback.Rating.DISSATISFIED, by=member[0])
    client.force_login(staff[OFFICE])
    page = client.get(office_url(proposal.pk))
    act = reverse("admin:proposals_proposal_act", args=[proposal.pk, "close"])
    rehandle = reverse("admin:proposals_proposal_act", args=[proposal.pk, "order_rehandling"])
    assert page.status_code == 200 and f'href="{act}"' in page.text
    assert f'href="{rehandle}"' in page.text  # rated dissatisfied: re-handling is offered
    response = client.post(act, {"action": "close", "apply": "1", "reason": "不再办理"})
    assert response["Location"] == office_url(proposal.pk)
    proposal.refresh_from_db()
    assert proposal.state == State.CLOSED


def test_supervision_through_the_admin_and_the_api(
    api_client, client, xuhui, huangpu, session, category, member, staff
):
    proposal = filed(submitted(xuhui, session, category, member), staff)
    special = SpecialCommittee.objects.create(committee=xuhui, name="提案委员会")
    workflow.select_key(
        proposal, supervisor=staff[CHAIR], supervising_committee=special, by=staff[DIRECTORS]
    )
    client.force_login(staff[OFFICE])
    today = timezone.localdate().isoformat()
    _apply(
        client,
        reverse("admin:proposals_proposal_changelist"),
        "record_supervision",
        [proposal],
        kind="progress",
        held_on=today,
        notes="召开办理推进会",
    )
    assert proposal.supervisions.count() == 1
    api_client.force_login(staff[CHAIR])
    url = f"/api/v1/proposals/{proposal.pk}/supervisions/"
    made = api_client.post(url, {"kind": "inspection", "held_on": today, "notes": "视察"})
    assert made.status_code == 201, made.content
    assert [row["notes"] for row in api_client.get(url).json()] == ["召开办理推进会", "视察"]
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    late = api_client.post(url, {"kind": "inspection", "held_on": future, "notes": "未来"})
    assert late.status_code == 400 and "held_on" in late.json()["fields"]


def test_co_handling_units_answer_with_their_opinion_before_the_lead_replies(
    api_client, xuhui, session, category, member, staff, unit, unit_user
):
    co_unit = HandlingUnitFactory(committee=xuhui, name="区财政局")
    co_user = UserFactory(
        username="co_unit", committee=None, handling_unit=co_unit, roles=[Role.HANDLING_UNIT]
    )
    proposal = filed(submitted(xuhui, session, category, member), staff)
    lead, co = workflow.assign(proposal, units=[(unit, "lead"), (co_unit, "co")], by=staff[OFFICE])
    workflow.accept(lead, by=unit_user)
    workflow.accept(co, by=co_user)
    with pytest.raises(WrongState, match="会办"):
        workflow.reply(lead, result="A", text="已解决", signatory="局长", by=unit_user)
    api_client.force_login(co_user)
    sent = api_client.post(f"/api/v1/assignments/{co.pk}/opinion/", {"text": "支持并配合"})
    assert sent.status_code == 200 and sent.json()["status"] == "replied"
    answer = workflow.reply(lead, result="A", text="已解决", signatory="局长", by=unit_user)
    workflow.give_feedback(answer, rating=Feedback.Rating.SATISFIED, by=member[0])
    closed = with_overdue(Proposal.objects.filter(pk=proposal.pk)).get()
    assert closed.state == State.CLOSED and not closed.overdue
    figures = proposal_figures(xuhui, session=session)
    assert (figures["assignments_replied"], figures["overdue_assignments"]) == (2, 0)
