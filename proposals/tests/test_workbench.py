"""The staff workbench: each role's queues on the admin home, the proposal page with its whole
record and only the acts this user may take now, as buttons."""

import pytest
from django.urls import reverse

from core.roles import Role
from proposals import workflow
from proposals.models import Assignment, Proposal, State
from proposals.tests.helpers import answered, draft, filed, submitted

pytestmark = pytest.mark.django_db

OFFICE, REVIEW, DIRECTORS = Role.PROPOSAL_OFFICE, Role.REVIEW_GROUP, Role.DIRECTORS_MEETING


def _stages(page) -> dict[str, int]:
    from core.workbench import queues

    return {
        stage.label: stage.count
        for _title, stages in queues(page.wsgi_request.user)
        for stage in stages
    }


def test_each_role_sees_its_own_queue_with_counts(client, xuhui, session, category, member, staff):
    submitted(xuhui, session, category, member, title="甲")
    submitted(xuhui, session, category, member, title="乙")
    client.force_login(staff[OFFICE])
    page = client.get(reverse("admin:index"))
    assert page.status_code == 200 and "我的待办" in page.text
    office = _stages(page)
    assert office["待初审"] == 2 and office["已立案待交办"] == 0
    assert "待复审" not in office
    assert f'href="{reverse("admin:proposals_proposal_changelist")}?state__exact=submitted"' in (
        page.text
    )
    client.force_login(staff[REVIEW])
    review = _stages(client.get(reverse("admin:index")))
    assert review == {"待复审": 0}


def test_the_queue_lists_the_newest_first(client, xuhui, session, category, member, staff):
    older = submitted(xuhui, session, category, member, title="较早的提案")
    newer = submitted(xuhui, session, category, member, title="较新的提案")
    client.force_login(staff[OFFICE])
    page = client.get(reverse("admin:proposals_proposal_changelist") + "?state__exact=submitted")
    assert [p.pk for p in page.context["cl"].result_list] == [newer.pk, older.pk]


def test_the_page_offers_only_the_acts_allowed_now(
    client, xuhui, session, category, member, cosigner, staff
):
    proposal = draft(xuhui, session, category, member, kind=Proposal.Kind.JOINT)
    (invitation,) = workflow.invite_cosigners(proposal, seats=[cosigner[1]], by=member[0])
    workflow.answer_cosign(invitation, accept=True, by=cosigner[0])
    workflow.submit(proposal, by=member[0])
    change = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    first = reverse("admin:proposals_proposal_act", args=[proposal.pk, "pass_first_review"])
    client.force_login(staff[OFFICE])
    page = client.get(change).text
    assert f'href="{first}"' in page and "退回修改" in page
    assert 'name="_save"' not in page and 'name="_continue"' not in page  # read-only: no 保存
    assert "cosigner" in page  # the co-signers
    assert "提交: 草稿 → 待初审" in page and "draft → submitted" not in page
    client.force_login(staff[REVIEW])
    page = client.get(change).text
    assert f'href="{first}"' not in page and "退回修改" not in page
    assert client.get(first).status_code == 404  # not offered, not reachable either
    changelist = client.get(reverse("admin:proposals_proposal_changelist"))
    offered = [name for name, _label in changelist.context["action_form"].fields["action"].choices]
    assert "pass_second_review" in offered and "pass_first_review" not in offered


def test_an_act_from_the_page_runs_and_returns_to_it(
    client, xuhui, session, category, member, staff
):
    proposal = submitted(xuhui, session, category, member)
    client.force_login(staff[OFFICE])
    url = reverse("admin:proposals_proposal_act", args=[proposal.pk, "pass_first_review"])
    form = client.get(url)
    assert form.status_code == 200 and 'name="opinion"' in form.text
    response = client.post(url, {"apply": "1", "opinion": "符合要求"})
    assert response["Location"] == reverse("admin:proposals_proposal_change", args=[proposal.pk])
    proposal.refresh_from_db()
    assert proposal.state == State.SECOND_REVIEW


def test_assignment_picks_units_by_autocomplete(
    client, xuhui, session, category, member, staff, unit
):
    proposal = filed(submitted(xuhui, session, category, member), staff)
    client.force_login(staff[OFFICE])
    url = reverse("admin:proposals_proposal_act", args=[proposal.pk, "assign"])
    form = client.get(url).text
    assert 'class="admin-autocomplete' in form and "<option" not in form.split('name="co"')[1][:300]
    found = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "proposals",
            "model_name": "assignment",
            "field_name": "unit",
            "term": "卫生",
        },
    ).json()
    assert [r["text"] for r in found["results"]] == [unit.name]
    client.post(url, {"apply": "1", "lead": unit.pk})
    assert Assignment.objects.get(proposal=proposal).unit == unit


def test_a_reassignment_request_is_decided_from_the_assignment_page(
    client, xuhui, session, category, member, staff, unit, unit_user
):
    proposal = filed(submitted(xuhui, session, category, member), staff)
    (assignment,) = workflow.assign(proposal, units=[(unit, "lead")], by=staff[OFFICE])
    workflow.request_reassignment(assignment, reason="不属于本单位职责", by=unit_user)
    page = reverse("admin:proposals_assignment_change", args=[assignment.pk])
    refuse = reverse("admin:proposals_assignment_act", args=[assignment.pk, "refuse_reassignment"])
    client.force_login(staff[REVIEW])
    assert f'href="{refuse}"' not in client.get(page).text
    assert client.get(refuse).status_code == 404
    client.force_login(staff[OFFICE])
    assert f'href="{refuse}"' in client.get(page).text
    client.post(refuse, {"apply": "1", "opinion": "请继续办理"})
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.ASSIGNED
    extend = reverse("admin:proposals_assignment_act", args=[assignment.pk, "extend_deadline"])
    assert f'href="{extend}"' in client.get(page).text and f'href="{refuse}"' not in (
        client.get(page).text
    )


def test_an_approved_reassignment_picks_the_new_unit_by_autocomplete(
    client, xuhui, session, category, member, staff, unit, unit_user
):
    from members.tests.factories import HandlingUnitFactory

    other = HandlingUnitFactory(committee=xuhui, name="区民政局")
    proposal = filed(submitted(xuhui, session, category, member), staff)
    (assignment,) = workflow.assign(proposal, units=[(unit, "lead")], by=staff[OFFICE])
    workflow.request_reassignment(assignment, reason="不属于本单位职责", by=unit_user)
    approve = reverse(
        "admin:proposals_assignment_act", args=[assignment.pk, "approve_reassignment"]
    )
    client.force_login(staff[OFFICE])
    assert 'class="admin-autocomplete' in client.get(approve).text
    client.post(approve, {"apply": "1", "new_unit": other.pk, "opinion": "改由民政局"})
    assert list(
        proposal.assignments.exclude(status=Assignment.Status.WITHDRAWN).values_list(
            "unit__name", flat=True
        )
    ) == ["区民政局"]


def test_close_is_offered_only_once_the_proposer_may_no_longer_rate(
    xuhui, session, category, member, staff, unit, unit_user
):
    """办结 waits for the rating window (DOMAIN §3.5) unless a rating is dissatisfied: the button
    follows the same rule as the act."""
    from proposals.permissions import acts_for

    proposal = submitted(xuhui, session, category, member)
    filed(proposal, staff)
    (assignment,) = workflow.assign(proposal, units=[(unit, "lead")], by=staff[OFFICE])
    reply = answered(assignment, unit_user)
    proposal.refresh_from_db()
    assert proposal.state == State.REPLIED
    assert "close" not in acts_for(staff[OFFICE], proposal)
    workflow.give_feedback(reply, rating="dissatisfied", by=member[0])
    proposal.refresh_from_db()
    assert "close" in acts_for(staff[OFFICE], proposal)
    assert workflow.close(proposal, by=staff[OFFICE], reason="已沟通").state == State.CLOSED
