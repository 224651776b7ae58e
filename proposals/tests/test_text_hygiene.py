"""A proposal's title through the API: invisible characters dropped, Chinese punctuation kept,
a right-to-left override refused as a 400 naming the field."""

from proposals.models import Proposal


def _draft(xuhui, session, category, member, **fields):
    return {
        "committee": xuhui.pk,
        "session": session.pk,
        "category": category.pk,
        "lead": member[1].pk,
        "title": "关于加强社区养老服务的建议",
        "reason": "老龄化",
        **fields,
    }


def test_the_api_cleans_and_refuses_titles(xuhui_api, xuhui, session, category, member):
    refused = xuhui_api.post(
        "/api/v1/proposals/",
        _draft(xuhui, session, category, member, title="关于\u202e议建的务服老养"),
        format="json",
    )
    assert refused.status_code == 400
    assert set(refused.json()["fields"]) == {"title"}
    assert "案由" in refused.json()["fields"]["title"][0]
    unassigned = xuhui_api.post(
        "/api/v1/proposals/",
        _draft(xuhui, session, category, member, reason="理由\u0378"),
        format="json",
    )
    assert unassigned.status_code == 400 and set(unassigned.json()["fields"]) == {"reason"}
    assert not Proposal.objects.exists()
    created = xuhui_api.post(
        "/api/v1/proposals/",
        _draft(xuhui, session, category, member, title="关于加强（社区）\u200b养老服务的建议"),
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert Proposal.objects.get().title == "关于加强（社区）养老服务的建议"
