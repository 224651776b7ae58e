"""The handling unit's workspace and the proposer's feedback, through the API."""

from core.roles import Role
from proposals import workflow
from proposals.models import State
from proposals.tests.helpers import filed, submitted


def test_unit_accepts_consults_and_replies_then_the_proposer_rates(
    api_client, xuhui, session, category, member, staff, unit, unit_user
):
    proposal = filed(submitted(xuhui, session, category, member), staff)
    (assignment,) = workflow.assign(
        proposal, units=[(unit, "lead")], by=staff[Role.PROPOSAL_OFFICE]
    )
    api_client.force_login(unit_user)
    rows = api_client.get("/api/v1/assignments/").json()["results"]
    assert [row["id"] for row in rows] == [assignment.pk]
    early = api_client.post(
        f"/api/v1/assignments/{assignment.pk}/reply/",
        {"result": "A", "text": "已解决", "signatory": "局长"},
        format="json",
    )
    assert early.status_code == 409
    assert (
        api_client.post(f"/api/v1/assignments/{assignment.pk}/accept/").json()["status"]
        == "accepted"
    )
    consult = api_client.post(
        f"/api/v1/assignments/{assignment.pk}/consultations/",
        {
            "stage": "before",
            "held_on": assignment.assigned_on.isoformat(),
            "form": "phone",
            "participants": "提案人",
            "summary": "电话沟通",
        },
        format="json",
    )
    assert consult.status_code == 200, consult.json()
    bad = api_client.post(
        f"/api/v1/assignments/{assignment.pk}/reply/",
        {"result": "A", "text": "已解决", "signatory": "局长", "publishable": False},
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    done = api_client.post(
        f"/api/v1/assignments/{assignment.pk}/reply/",
        {"result": "A", "text": "已解决", "signatory": "局长"},
        format="json",
    )
    assert done.status_code == 200 and done.json()["status"] == "replied"
    reply_id = done.json()["replies"][0]["id"]
    assert (
        api_client.post(
            f"/api/v1/replies/{reply_id}/feedback/", {"rating": "satisfied"}, format="json"
        ).status_code
        == 403
    )
    api_client.force_login(member[0])
    rated = api_client.post(
        f"/api/v1/replies/{reply_id}/feedback/", {"rating": "satisfied"}, format="json"
    )
    assert rated.status_code == 200 and rated.json()["rating"] == "satisfied"
    proposal.refresh_from_db()
    assert proposal.state == State.CLOSED


def test_other_units_see_nothing(api_client, xuhui, session, category, member, staff, unit):
    from members.tests.factories import HandlingUnitFactory, UserFactory

    proposal = filed(submitted(xuhui, session, category, member), staff)
    (assignment,) = workflow.assign(
        proposal, units=[(unit, "lead")], by=staff[Role.PROPOSAL_OFFICE]
    )
    other = HandlingUnitFactory(committee=xuhui, name="区教育局")
    api_client.force_login(
        UserFactory(committee=None, handling_unit=other, roles=[Role.HANDLING_UNIT])
    )
    assert api_client.get("/api/v1/assignments/").json()["results"] == []
    assert api_client.post(f"/api/v1/assignments/{assignment.pk}/accept/").status_code == 404
    assert api_client.get(f"/api/v1/proposals/{proposal.pk}/").status_code == 404


def test_assignment_list_query_count_is_constant(
    xuhui_api, xuhui, session, category, member, staff, unit, list_queries
):
    office = staff[Role.PROPOSAL_OFFICE]

    def assigned(n, start):
        for i in range(n):
            proposal = filed(
                submitted(xuhui, session, category, member, title=f"交办{start + i}"), staff
            )
            workflow.assign(proposal, units=[(unit, "lead")], by=office)

    xuhui_api.get("/api/v1/assignments/")
    assigned(1, 0)
    one, body_one = list_queries(xuhui_api, "/api/v1/assignments/?page_size=100")
    assigned(19, 1)
    twenty, body_twenty = list_queries(xuhui_api, "/api/v1/assignments/?page_size=100")
    assert (len(body_one["results"]), len(body_twenty["results"])) == (1, 20)
    assert one == twenty
