"""The portal's finish: styled error pages, formula-safe Excel cells, e-mail links to the port
served, charts without empty or unplaced bars, and figures that say what they are."""

import io
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.excel import safe, table_response
from cppcc_portal.launcher import portal_base_url
from members.tests.factories import UserFactory
from yearbook.models import Snapshot
from yearbook.report import charts, present


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil","点我")', '\'=HYPERLINK("http://evil","点我")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("关于=号的建议", "关于=号的建议"),
        (-5, -5),
        (None, None),
    ],
)
def test_text_that_would_start_a_formula_is_written_as_text(value, written):
    assert safe(value) == written


def test_an_exported_table_holds_no_formula():
    response = table_response("t.xlsx", ["案由"], [["=1+1"], ["普通标题"]])
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c.value for c in cells] == ["案由", "'=1+1", "普通标题"]
    assert all(c.data_type != "f" for c in cells)


def _submitted(committee, user, seat, title):
    """A proposal submitted by `user` (its member, or the office entering it) for `seat`."""
    from members.tests.factories import PlenarySessionFactory
    from proposals import workflow
    from proposals.models import Category
    from proposals.tests import helpers

    session = PlenarySessionFactory(term__committee=committee)
    category = Category.objects.create(committee=committee, name="社会建设")
    proposal = helpers.draft(committee, session, category, (user, seat), title=title)
    return workflow.submit(proposal, by=user)


def test_the_proposal_export_writes_a_formula_title_as_text(client, xuhui, xuhui_office):
    from members.tests.factories import SeatFactory

    proposal = _submitted(
        xuhui, xuhui_office, SeatFactory(committee=xuhui), '=HYPERLINK("http://evil")'
    )
    client.force_login(xuhui_office)
    export = client.post(
        reverse("admin:proposals_proposal_changelist"),
        {"action": "export_xlsx", "_selected_action": [proposal.pk]},
    )
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows())
    title = [cell.value for cell in rows[0]].index("案由")
    cell = rows[1][title]
    assert cell.value == '\'=HYPERLINK("http://evil")' and cell.data_type == "s"


def test_e_mail_links_point_at_the_address_served():
    assert portal_base_url("127.0.0.1", "8080") == "http://127.0.0.1:8080"
    assert portal_base_url("0.0.0.0", "9000") == "http://localhost:9000"  # noqa: S104


# --- Error pages --------------------------------------------------------------------------------


def test_forbidden_and_missing_pages_are_the_portals_own(client, xuhui):
    client.force_login(UserFactory(committee=xuhui))
    forbidden = client.get(reverse("proposals:unit"))  # not a unit's account
    assert forbidden.status_code == 403
    assert "没有权限" in forbidden.text and 'class="navbar' in forbidden.text
    missing = client.get("/proposals/999999/")
    assert missing.status_code == 404
    assert "页面不存在" in missing.text and 'class="navbar' in missing.text
    assert "返回首页" in render_to_string("500.html") and "bootstrap" in render_to_string(
        "500.html"
    )


def test_an_api_404_stays_json(client):
    assert client.get("/api/v1/no-such-thing/").json()["code"] == "not_found"


# --- Charts and figures ---------------------------------------------------------------------------


def _snapshot(committee, proposals: dict) -> Snapshot:
    return Snapshot(
        committee=committee, year=2023, figures={"proposals": proposals}, computed_at=timezone.now()
    )


def test_an_all_zero_breakdown_draws_no_chart_and_the_unplaced_are_not_a_bar(xuhui):
    sections = present(
        _snapshot(
            xuhui,
            {
                "by_kind": {"individual": 0, "joint": 0},
                "by_party": {"": 30, "民盟": 5, "九三学社": 7},
                "reply_mix": {"A": 0, "B": 0, "C": 0},
            },
        )
    )
    breakdowns = {b["key"]: b for b in sections[0]["breakdowns"]}
    assert not breakdowns["by_kind"]["drawn"] and not breakdowns["reply_mix"]["drawn"]
    party = breakdowns["by_party"]
    assert party["drawn"] and party["unknown"] == 30
    assert [i["label"] for i in party["items"]] == ["九三学社", "民盟", "未注明"]
    drawn = {chart["id"]: chart for chart in charts(sections, None)}
    assert set(drawn) == {"chart-proposals-by_party"}
    assert drawn["chart-proposals-by_party"]["labels"] == ["九三学社", "民盟"]


def test_the_statistics_page_shows_an_empty_state_and_says_it_is_a_snapshot(client, xuhui):
    from core.roles import Role

    _snapshot(xuhui, {"by_kind": {"individual": 0}, "submitted": 0}).save()
    client.force_login(UserFactory(committee=xuhui, is_staff=True, roles=[Role.PROPOSAL_OFFICE]))
    page = client.get(reverse("yearbook:detail", args=[xuhui.pk, 2023])).text
    assert "本年度暂无数据" in page and "chart-proposals-by_kind" not in page.split("chart-data")[0]
    assert "年度统计存档" in page


def test_the_live_figures_say_so_and_count_on_time_as_the_rate_does(client, xuhui):
    from core.roles import Role
    from members.tests.factories import HandlingUnitFactory, PlenarySessionFactory, SeatFactory
    from proposals.models import Assignment, Category, Proposal, State

    session = PlenarySessionFactory(
        term__committee=xuhui, opens_on=date(2023, 1, 6), closes_on=date(2023, 1, 9)
    )
    category = Category.objects.create(committee=xuhui, name="社会建设")
    seat = SeatFactory(committee=xuhui)
    unit = HandlingUnitFactory(committee=xuhui)
    moment = timezone.make_aware(timezone.datetime(2023, 2, 1, 10))
    for number, (status, replied_on) in enumerate(
        [("replied", date(2023, 3, 1)), ("accepted", None)], start=1
    ):
        proposal = Proposal.objects.create(
            committee=xuhui,
            session=session,
            category=category,
            lead=seat,
            title=f"提案{number}",
            created_by=UserFactory(committee=xuhui),
            state=State.HANDLING,
            number=number,
            submitted_at=moment,
        )
        Assignment.objects.create(
            proposal=proposal,
            unit=unit,
            role="lead",
            status=status,
            assigned_on=date(2023, 2, 1),
            acknowledge_by=date(2023, 2, 8),
            due_on=date(2023, 5, 1),
            replied_on=replied_on,
        )
    client.force_login(UserFactory(committee=xuhui, is_staff=True, roles=[Role.PROPOSAL_OFFICE]))
    page = client.get(reverse("proposals:figures"), {"committee": xuhui.pk, "year": 2023}).text
    assert "实时统计" in page
    # One replied on time, one overdue now: 1 of 2 due, 50%.
    assert "应答复 2 件中按期 1 件" in page and "50.0%" in page


def test_english_mode_translates_the_timeline_and_the_admin_header(client, xuhui, xuhui_office):
    from members.tests.factories import SeatFactory

    user = UserFactory(committee=xuhui, roles=["member"])
    proposal = _submitted(
        xuhui, user, SeatFactory(committee=xuhui, person__user=user), "关于养老的建议"
    )
    client.cookies["django_language"] = "en"
    client.force_login(user)
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).text
    timeline = page.split("list-group-numbered")[1]
    assert "Submit" in timeline and "提交" not in timeline
    client.force_login(xuhui_office)
    admin_home = client.get(reverse("admin:index")).text
    assert "CPPCC Work Portal administration" in admin_home and "政协工作平台管理" not in admin_home
