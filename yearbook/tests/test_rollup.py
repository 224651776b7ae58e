"""The roll-up 市区联动汇总: counts summed, rates recomputed from the summed counts (never an
average of percentages), joint work counted once in the total and credited to each organiser;
on the page, the dashboard, the Excel file and the API; a district still sees only itself."""

from datetime import date, datetime
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from consultations.models import ResearchVisit
from core.roles import Role
from members.tests.factories import CommitteeFactory, PlenarySessionFactory, UserFactory
from proposals.models import Category, Proposal, State
from yearbook import workflow
from yearbook.models import Snapshot
from yearbook.registry import SECTIONS, Rate
from yearbook.rollup import Tree, change, combine, layout
from yearbook.tests.test_snapshots import SHANGHAI, _figures


def test_combine_sums_counts_and_recomputes_rates():
    section = SECTIONS["proposals"]
    rows = [
        {"submitted": 4, "filed": 3, "filing_rate": 75.0, "ratings": {"satisfied": 1}},
        {"submitted": 1, "filed": 1, "filing_rate": 100.0, "ratings": {"dissatisfied": 1}},
    ]
    total = combine(section, rows, {})
    assert (total["submitted"], total["filed"]) == (5, 4)
    assert total["filing_rate"] == 80.0  # 4 ÷ 5, not (75 + 100) ÷ 2 = 87.5
    assert total["satisfaction_rate"] == 50.0  # 1 satisfied of 2 rated
    assert total["on_time_rate"] is None  # no assignment at all: no base
    assert Rate(("filed",), ("submitted",)).describe(section) == "按合计重算：立案 ÷ 提交提案"


def _one_filed_proposal(committee):
    session = PlenarySessionFactory(term__committee=committee)
    Proposal.objects.create(
        committee=committee,
        session=session,
        category=Category.objects.create(committee=committee, name="社会建设"),
        created_by=UserFactory(committee=committee, roles=[Role.MEMBER]),
        body_kind=Proposal.BodyKind.PARTY,
        body_name="民进区委",
        kind="collective",
        title="提案",
        state=State.CLOSED,
        number=1,
        submitted_at=datetime(2025, 3, 1, 10, tzinfo=SHANGHAI),
    )


@pytest.fixture
def city(shanghai, xuhui, huangpu):
    """Xuhui: 4 submitted, 3 filed (75%), 2 research visits; Huangpu: 1 submitted and filed
    (100%); a research visit of the city organised jointly with both districts (联动调研)."""
    _figures(xuhui)
    _one_filed_proposal(huangpu)
    joint = ResearchVisit.objects.create(
        committee=shanghai, visited_on=date(2025, 5, 20), place="滨江", findings="联动调研"
    )
    joint.partners.set([xuhui, huangpu])
    for committee in (xuhui, huangpu, shanghai):
        workflow.compute(committee, 2025)
    return shanghai


@pytest.fixture
def city_office(shanghai):
    return UserFactory(
        username="sh_stats", committee=shanghai, is_staff=True, roles=[Role.PROPOSAL_OFFICE]
    )


def _figure(rollup, section, key):
    found = next(s for s in rollup["sections"] if s["key"] == section)
    return next(f for f in found["figures"] if f["key"] == key)


@pytest.mark.django_db
def test_the_api_totals_the_city(api_client, city, city_office, xuhui, huangpu):
    api_client.force_authenticate(city_office)
    rollup = api_client.get(reverse("statistics", args=[city.pk, 2025])).json()["rollup"]
    assert {p["committee"] for p in rollup["parts"]} == {xuhui.pk, huangpu.pk}
    order = [p["committee"] for p in rollup["parts"]]
    submitted = _figure(rollup, "proposals", "submitted")
    assert submitted["total"] == 5 and submitted["own"] == 0
    assert sorted(submitted["parts"]) == [1, 4] and submitted["rule"] == "合计"
    rate = _figure(rollup, "proposals", "filing_rate")
    assert rate["total"] == 80.0 and rate["rule"].startswith("按合计重算")
    # The joint visit: credited to the city and to each district, counted once in the total.
    visits = _figure(rollup, "consultations", "research_visits")
    assert visits["own"] == 1
    assert visits["parts"][order.index(xuhui.pk)] == 3  # its own 2 and the joint one
    assert visits["parts"][order.index(huangpu.pk)] == 1
    assert visits["total"] == 3  # 2 of Xuhui's + the joint one, not 1 + 3 + 1
    assert _figure(rollup, "consultations", "joint_research_visits")["total"] == 1
    assert _figure(rollup, "workstations", "entry_rate")["total"] is None  # no seats at all


@pytest.mark.django_db
def test_the_page_the_dashboard_and_the_excel_file_show_the_total(client, city, city_office):
    client.force_login(city_office)
    page = client.get(reverse("yearbook:detail", args=[city.pk, 2025])).content.decode()
    assert "市区联动汇总" in page and "按合计重算：立案 ÷ 提交提案" in page
    board = client.get(reverse("yearbook:dashboard", args=[city.pk, 2025]))
    assert board.status_code == 200
    text = board.content.decode()
    assert "联动看板" in text and "chart-proposals-submitted" in text and "合计" in text
    response = client.get(reverse("yearbook:export", args=[city.pk, 2025]))
    sheet = load_workbook(BytesIO(response.content))["市区联动汇总"]
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["提交提案"][-2:] == (5, "合计")
    assert rows["立案率"][-2] == 80


@pytest.mark.django_db
def test_the_national_view_totals_the_provinces(city, shanghai):
    national = CommitteeFactory(level="national", region_code="100000", short_name="全国政协")
    shanghai.parent = national
    shanghai.save()
    workflow.compute(national, 2025)
    workflow.compute(shanghai, 2025)
    below = list(Snapshot.objects.exclude(committee=national).select_related("committee"))
    board = layout(Tree(Snapshot.objects.get(committee=national), below))
    submitted = _figure(board, "proposals", "submitted")
    assert submitted["parts"] == [5] and submitted["total"] == 5  # Shanghai's own total
    assert _figure(board, "consultations", "research_visits")["total"] == 3


@pytest.mark.django_db
def test_a_district_sees_only_itself(client, api_client, city, xuhui_office, xuhui):
    client.force_login(xuhui_office)
    assert client.get(reverse("yearbook:dashboard", args=[city.pk, 2025])).status_code == 404
    page = client.get(reverse("yearbook:detail", args=[xuhui.pk, 2025])).content.decode()
    assert "市区联动汇总" not in page
    board = client.get(reverse("yearbook:dashboard", args=[xuhui.pk, 2025])).content.decode()
    assert "黄浦区" not in board
    api_client.force_authenticate(xuhui_office)
    assert "rollup" not in api_client.get(reverse("statistics", args=[xuhui.pk, 2025])).json()
    assert api_client.get(reverse("statistics", args=[city.pk, 2025])).status_code == 404


def test_the_change_on_the_previous_year():
    assert change(5, 4) == 25.0
    assert change(80.0, 75.0, points=True) == 5.0  # a rate: percentage points
    assert change(3, 0) is None and change(None, 3) is None and change(3, None) is None


@pytest.mark.django_db
def test_the_dashboard_compares_each_row_with_the_previous_year(city, xuhui):
    tree = Tree(
        Snapshot.objects.get(committee=city, year=2025),
        list(Snapshot.objects.exclude(committee=city).select_related("committee")),
    )
    board = layout(tree, tree)  # the same figures a year before: no change anywhere
    submitted = _figure(board, "proposals", "submitted")
    assert submitted["total_change"] == 0.0 and submitted["parts_change"] == [0.0, 0.0]
    assert submitted["own_change"] is None  # 0 before: no base
    assert _figure(board, "proposals", "filing_rate")["total_change"] == 0.0
    assert layout(tree)["sections"][0]["figures"][0]["total_change"] is None
