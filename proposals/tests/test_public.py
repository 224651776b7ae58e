"""Public pages (双公开): what is disclosed, and the Chinese substring search on its index."""

from django.db import connection
from django.urls import reverse

from core.roles import Role
from proposals import workflow
from proposals.models import Proposal
from proposals.tests.helpers import filed, submitted


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
