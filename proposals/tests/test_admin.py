"""The admin's queues and one-click actions call the workflow; drafts stay private."""

from django.urls import reverse

from core.roles import Role
from proposals.models import Proposal, State
from proposals.tests.helpers import draft, submitted


def test_queue_actions_and_export(client, xuhui, session, category, member, staff, unit):
    proposals = [submitted(xuhui, session, category, member, title=f"提案{i}") for i in range(2)]
    hidden = draft(xuhui, session, category, member, title="私人草稿")
    url = reverse("admin:proposals_proposal_changelist")
    client.force_login(staff[Role.PROPOSAL_OFFICE])
    listing = client.get(url, {"state": "submitted"})
    assert "提案0" in listing.text and "私人草稿" not in listing.text
    ids = [p.pk for p in proposals]
    form = client.post(url, {"action": "pass_first_review", "_selected_action": ids})
    assert form.status_code == 200 and "意见" in form.text
    client.post(
        url,
        {
            "action": "pass_first_review",
            "_selected_action": ids,
            "apply": "1",
            "opinion": "符合立案要求",
        },
    )
    assert set(Proposal.objects.filter(pk__in=ids).values_list("state", flat=True)) == {
        State.SECOND_REVIEW
    }
    client.post(  # not the office's act: not offered, and not taken when posted
        url,
        {"action": "pass_second_review", "_selected_action": ids, "apply": "1", "opinion": ""},
        follow=True,
    )
    assert set(Proposal.objects.filter(pk__in=ids).values_list("state", flat=True)) == {
        State.SECOND_REVIEW
    }
    client.force_login(staff[Role.REVIEW_GROUP])  # returning at the second review is theirs
    client.post(
        url,
        {"action": "send_back", "_selected_action": ids[:1], "apply": "1", "opinion": "请补充数据"},
    )
    assert Proposal.objects.get(pk=ids[0]).state == State.DRAFT
    export = client.post(url, {"action": "export_xlsx", "_selected_action": ids[1:]})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert hidden.state == State.DRAFT
