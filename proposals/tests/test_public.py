"""Public pages (双公开): what is disclosed, and the Chinese substring search on its index."""

from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from proposals import workflow
from proposals.models import Proposal, Reply
from proposals.tests.helpers import copies, filed, submitted


def _replied(
    xuhui,
    session,
    category,
    member,
    staff,
    unit,
    unit_user,
    *,
    title,
    disclose=True,
    publishable=True,
    reply_text="已列入计划",
):
    proposal = submitted(
        xuhui,
        session,
        category,
        member,
        title=title,
        disclose=disclose,
        disclosure_note="" if disclose else "涉及个人信息",
    )
    filed(proposal, staff)
    (assignment,) = workflow.assign(
        proposal, units=[(unit, "lead")], by=staff[Role.PROPOSAL_OFFICE]
    )
    workflow.accept(assignment, by=unit_user)
    workflow.reply(
        assignment,
        result="B",
        text=reply_text,
        signatory="局长",
        by=unit_user,
        publishable=publishable,
        not_publishable_reason="" if publishable else "涉密",
    )
    return proposal


def test_only_doubly_disclosed_proposals_are_public(
    client, xuhui, session, category, member, staff, unit, unit_user
):
    shown = _replied(
        xuhui,
        session,
        category,
        member,
        staff,
        unit,
        unit_user,
        title="关于完善社区卫生服务体系的建议",
        reply_text="增设家庭医生工作室",
    )
    _replied(
        xuhui,
        session,
        category,
        member,
        staff,
        unit,
        unit_user,
        title="不同意公开的提案",
        disclose=False,
    )
    _replied(
        xuhui,
        session,
        category,
        member,
        staff,
        unit,
        unit_user,
        title="答复不公开的提案",
        publishable=False,
    )
    filed(submitted(xuhui, session, category, member, title="尚未答复的提案"), staff)
    page = client.get(reverse("proposals:public-list"))
    assert page.status_code == 200
    assert "完善社区卫生" in page.text
    for hidden in ("不同意公开", "答复不公开", "尚未答复"):
        assert hidden not in page.text
    detail = client.get(reverse("proposals:public-detail", args=[shown.pk]))
    assert "增设家庭医生工作室" in detail.text
    hidden = Proposal.objects.get(title="答复不公开的提案")
    assert client.get(reverse("proposals:public-detail", args=[hidden.pk])).status_code == 404


def test_search_finds_chinese_substrings(
    client, xuhui, session, category, member, staff, unit, unit_user
):
    _replied(
        xuhui,
        session,
        category,
        member,
        staff,
        unit,
        unit_user,
        title="关于完善社区卫生服务体系的建议",
    )
    _replied(
        xuhui,
        session,
        category,
        member,
        staff,
        unit,
        unit_user,
        title="关于提升城区绿色发展水平的建议",
    )
    url = reverse("proposals:public-list")
    assert "社区卫生" in client.get(url, {"q": "卫生服务"}).text
    assert "绿色发展" not in client.get(url, {"q": "卫生服务"}).text
    assert "绿色发展" in client.get(url, {"q": "绿"}).text
    assert "没有符合条件" in client.get(url, {"q": "卫生绿色"}).text
    assert Proposal.objects.filter(search__contains_text="城区绿色").count() == 1


def test_search_uses_the_gin_index(db):
    with connection.cursor() as cursor:
        # On a near-empty table the planner would rather scan; forbid it to see the index used.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        matching = Proposal.objects.filter(search__contains_text="社区卫生").order_by()
        sql, params = matching.values("pk").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "proposal_search" in plan


def test_the_workflow_keeps_the_public_flag(
    xuhui, session, category, member, staff, unit, unit_user
):
    args = (xuhui, session, category, member, staff, unit, unit_user)
    shown = _replied(*args, title="公开的提案")
    assert Proposal.objects.get(pk=shown.pk).public
    for hidden in (
        _replied(*args, title="不同意公开的提案", disclose=False),
        _replied(*args, title="答复不公开的提案", publishable=False),
    ):
        assert not Proposal.objects.get(pk=hidden.pk).public
    answer = Reply.objects.get(assignment__proposal=shown)
    workflow.give_feedback(answer, rating="dissatisfied", by=member[0])
    workflow.order_rehandling(
        shown,
        due_on=timezone.localdate() + timedelta(days=30),
        by=staff[Role.PROPOSAL_OFFICE],
        reason="重新办理",
    )
    assert not Proposal.objects.get(pk=shown.pk).public  # being handled again


def test_the_migration_fills_the_public_flag(
    xuhui, session, category, member, staff, unit, unit_user
):
    args = (xuhui, session, category, member, staff, unit, unit_user)
    shown = _replied(*args, title="公开的提案")
    _replied(*args, title="答复不公开的提案", publishable=False)
    Proposal.objects.update(public=False)
    migration = import_module("proposals.migrations.0005_proposal_public_flag")
    migration.fill_public(apps, None)
    assert list(Proposal.objects.filter(public=True)) == [shown]


def test_the_public_list_pages_by_cursor_keeping_its_filters(
    client, xuhui, session, category, member, staff, unit, unit_user
):
    first = _replied(xuhui, session, category, member, staff, unit, unit_user, title="公开提案")
    first.refresh_from_db()
    copies(first, 24, title="公开提案", number=first.number + 1)
    url = reverse("proposals:public-list")
    page = client.get(url, {"committee": xuhui.pk})
    rows = page.context["page"]["rows"]
    newest = first.number + 24  # newest first: the latest session, the highest number
    assert [p.number for p in rows] == list(range(newest, newest - 20, -1))
    assert page.context["page"]["previous"] == ""
    assert rows[-1].lead_name == member[1].person.name
    assert (rows[0].committee_name, rows[0].category_name) == (str(xuhui), category.name)
    assert f"?after={session.pk}.{newest - 19}&amp;committee={xuhui.pk}" in page.text
    second = client.get(url, {"committee": xuhui.pk, "after": page.context["page"]["next"]})
    assert [p.number for p in second.context["page"]["rows"]] == list(
        range(first.number + 4, first.number - 1, -1)
    )
    assert second.context["page"]["next"] == ""
    back = client.get(url, {"committee": xuhui.pk, "before": second.context["page"]["previous"]})
    assert [p.number for p in back.context["page"]["rows"]] == [p.number for p in rows]
    assert client.get(url, {"after": "x.1"}).status_code == 200  # a bad cursor: the first page
    assert client.get(url, {"year": session.opens_on.year + 1}).context["page"]["rows"] == []


def test_the_public_list_queries_do_not_grow_with_its_rows(
    client, django_assert_num_queries, xuhui, session, category, member, staff, unit, unit_user
):
    first = _replied(xuhui, session, category, member, staff, unit, unit_user, title="公开提案")
    url = reverse("proposals:public-list")
    client.get(url)  # the filter choices are cached from here on
    with django_assert_num_queries(1):  # the page's rows, nothing else
        assert len(client.get(url).context["page"]["rows"]) == 1
    first.refresh_from_db()
    copies(first, 49, title="公开提案", number=first.number + 1)
    with django_assert_num_queries(1):
        assert len(client.get(url, {"q": "公开"}).context["page"]["rows"]) == 20
    with django_assert_num_queries(1):
        assert len(client.get(url, {"year": session.opens_on.year}).context["page"]["rows"]) == 20
