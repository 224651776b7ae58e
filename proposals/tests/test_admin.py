"""The admin's queues and one-click actions call the workflow; drafts stay private."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.admin import EstimatedCountPaginator
from core.roles import Role
from proposals import workflow
from proposals.models import Proposal, State
from proposals.tests.helpers import assign_copies, copies, draft, filed, submitted


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


def test_change_lists_read_a_constant_number_of_queries_and_never_count_all(
    client, xuhui, session, category, member, staff, unit
):
    first = submitted(xuhui, session, category, member, title="提案0")
    workflow.assign(filed(first, staff), units=[(unit, "lead")], by=staff[Role.PROPOSAL_OFFICE])
    client.force_login(staff[Role.PROPOSAL_OFFICE])
    urls = [
        reverse("admin:proposals_proposal_changelist"),
        reverse("admin:proposals_assignment_changelist"),
    ]
    for url in urls:
        client.get(url)
    with CaptureQueriesContext(connection) as one:
        for url in urls:
            assert client.get(url).context["cl"].result_count == 1
    proposals = copies(first, 49, state="submitted")
    assign_copies(proposals, unit)
    with CaptureQueriesContext(connection) as fifty:
        for url in urls:
            listing = client.get(url)
            assert listing.context["cl"].result_count == 50
            assert listing.context["cl"].show_full_result_count is False
    assert len(one) == len(fifty)
    # One COUNT of the filtered list each (exact below EXACT_UP_TO), no second full count.
    assert sum("COUNT(" in q["sql"] for q in fifty) == len(urls)


def test_big_lists_take_the_planners_estimate_instead_of_counting(
    client, monkeypatch, xuhui, session, category, member, staff
):
    submitted(xuhui, session, category, member, title="提案0")
    client.force_login(staff[Role.PROPOSAL_OFFICE])
    url = reverse("admin:proposals_proposal_changelist")
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).context["cl"].result_count == 1
    assert sum("COUNT(" in q["sql"] for q in small) == 1  # exact up to EXACT_UP_TO rows
    monkeypatch.setattr(EstimatedCountPaginator, "EXACT_UP_TO", 0)
    with CaptureQueriesContext(connection) as big:
        assert client.get(url).context["cl"].result_count >= 1
    assert not any("COUNT(" in q["sql"] for q in big)
    assert any(q["sql"].startswith("EXPLAIN") for q in big)
