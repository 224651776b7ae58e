"""Yearly statistics: figures against hand-computed values, the task through a real worker,
the page, the Excel file and the API, with committee scoping."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from consultations.models import Meeting, MeetingKind, ResearchVisit, Suggestion
from core.roles import Role
from members.models import Committee
from members.tests.factories import HandlingUnitFactory, PlenarySessionFactory, UserFactory
from proposals.models import Assignment, Category, Proposal, State
from yearbook import workflow
from yearbook.models import Snapshot
from yearbook.tasks import compute_all

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _figures(committee, year=2025):
    """2025 in a district, by hand: 4 proposals submitted (one withdrawn, not counted; one
    submitted on 31 Dec 2024, not counted), 3 filed (one not filed), 2 lead assignments replied —
    one on time, one late —, 1 bi-monthly meeting and 1 salon, 2 research visits, 3 suggestions
    of which 2 adopted and 1 not adopted."""
    session = PlenarySessionFactory(term__committee=committee)
    category = Category.objects.create(committee=committee, name="经济建设")
    author = UserFactory(committee=committee, roles=[Role.MEMBER])
    unit = HandlingUnitFactory(committee=committee)

    def proposal(n, state, submitted, number=None):
        return Proposal.objects.create(
            committee=committee,
            session=session,
            category=category,
            created_by=author,
            body_kind=Proposal.BodyKind.PARTY,
            body_name="民盟区委",
            kind="collective",
            title=f"提案{n}",
            state=state,
            number=number,
            submitted_at=datetime(*submitted, 10, tzinfo=SHANGHAI),
        )

    filed = [proposal(n, State.CLOSED, (2025, 1, 6), n) for n in (1, 2, 3)]
    proposal(4, State.NOT_FILED, (2025, 1, 7))
    proposal(5, State.WITHDRAWN, (2025, 1, 7))
    proposal(6, State.FILED, (2024, 12, 31), 99)
    for p, replied_on in zip(filed[:2], (date(2025, 4, 1), date(2025, 5, 1)), strict=True):
        Assignment.objects.create(
            proposal=p,
            unit=unit,
            role="lead",
            status="replied",
            assigned_on=date(2025, 1, 20),
            acknowledge_by=date(2025, 1, 27),
            due_on=date(2025, 4, 20),
            replied_on=replied_on,
        )
    bimonthly = Meeting.objects.create(
        committee=committee,
        kind=MeetingKind.BIMONTHLY,
        title="双月协商会",
        held_on=date(2025, 6, 10),
    )
    Meeting.objects.create(
        committee=committee, kind=MeetingKind.SALON, title="委员沙龙", held_on=date(2025, 7, 10)
    )
    for day in (1, 2):
        ResearchVisit.objects.create(
            committee=committee,
            visited_on=date(2025, 5, day),
            place="徐家汇街道",
            findings="调研发现",
        )
    for status in ("adopted", "adopted", "not_adopted"):
        Suggestion.objects.create(
            meeting=bimonthly,
            text="建议",
            addressee=unit,
            status=status,
            responded_on=date(2025, 8, 1),
        )


@pytest.mark.django_db
def test_snapshot_figures_against_hand_computed_values(xuhui):
    _figures(xuhui)
    snapshot = workflow.compute(xuhui, 2025)
    proposals, meetings = snapshot.figures["proposals"], snapshot.figures["consultations"]
    assert (proposals["submitted"], proposals["filed"], proposals["not_filed"]) == (4, 3, 1)
    assert proposals["filing_rate"] == 75.0
    assert (proposals["assignments_replied"], proposals["replied_on_time"]) == (2, 1)
    assert proposals["on_time_rate"] == 50.0
    assert proposals["by_kind"] == {"collective": 4}
    assert (meetings["meetings"], meetings["bimonthly_meetings"]) == (2, 1)
    assert meetings["research_visits"] == 2
    assert (meetings["suggestions"], meetings["adopted"], meetings["adoption_rate"]) == (3, 2, 66.7)
    assert set(snapshot.figures) == {
        "proposals",
        "consultations",
        "workstations",
        "performance",
        "brands",
        "opinions",
    }
    again = workflow.compute(xuhui, 2025)
    assert again.pk == snapshot.pk and Snapshot.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_nightly_task_computes_every_committee_through_the_worker(celery_worker, xuhui, huangpu):
    _figures(xuhui)
    assert compute_all.delay(year=2025).get(timeout=60) == Committee.objects.count() == 3
    deadline = timezone.now() + timezone.timedelta(seconds=60)
    while Snapshot.objects.filter(year=2025).count() < 3:
        assert timezone.now() < deadline
    assert Snapshot.objects.get(committee=xuhui, year=2025).figures["proposals"]["submitted"] == 4
    assert Snapshot.objects.get(committee=huangpu, year=2025).figures["proposals"]["submitted"] == 0


@pytest.fixture
def snapshots(xuhui, huangpu, shanghai):
    _figures(xuhui)
    return {c.short_name: workflow.compute(c, 2025) for c in (xuhui, huangpu, shanghai)}


@pytest.mark.django_db
def test_the_excel_file_holds_the_figures(client, xuhui_office, snapshots, xuhui):
    client.force_login(xuhui_office)
    response = client.get(reverse("yearbook:export", args=[xuhui.pk, 2025]))
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == [
        "提案工作",
        "协商工作",
        "站室点建设",
        "委员履职",
        "工作品牌",
        "社情民意信息",
    ]
    rows = {row[0]: row[1:] for row in book["提案工作"].iter_rows(values_only=True) if row}
    assert rows["指标"] == ("数值", "单位")
    assert rows["提交提案"] == (4, "件") and rows["立案率"] == (75, "%")
    meetings = {row[0]: row[1] for row in book["协商工作"].iter_rows(values_only=True) if row}
    assert (meetings["双月协商会"], meetings["调研视察"], meetings["意见建议"]) == (1, 2, 3)


@pytest.mark.django_db
def test_municipal_staff_see_their_districts_side_by_side(client, shanghai, snapshots, xuhui):
    client.force_login(
        UserFactory(
            username="sh_stats", committee=shanghai, is_staff=True, roles=[Role.PROPOSAL_OFFICE]
        )
    )
    page = client.get(reverse("yearbook:detail", args=[shanghai.pk, 2025])).content.decode()
    assert "各区对比" in page and "chart-districts" in page
    assert page.index("徐汇区") < page.index("黄浦区") or page.index("黄浦区") < page.index(
        "徐汇区"
    )
    assert 'src="/static/yearbook/vendor/echarts-6.1.0/echarts.common.min.js"' in page
    response = client.get(reverse("yearbook:export", args=[shanghai.pk, 2025]))
    sheet = load_workbook(BytesIO(response.content))["各区对比"]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True)}
    assert rows[xuhui.short_name][:3] == (4, 3, 75)


@pytest.mark.django_db
def test_a_district_cannot_read_another_districts_statistics(
    client, xuhui_office, huangpu, snapshots, xuhui
):
    client.force_login(xuhui_office)
    assert client.get(reverse("yearbook:detail", args=[huangpu.pk, 2025])).status_code == 404
    assert client.get(reverse("yearbook:export", args=[huangpu.pk, 2025])).status_code == 404
    page = client.get(reverse("yearbook:detail", args=[xuhui.pk, 2024])).content.decode()
    assert "该年度统计尚未生成" in page


@pytest.mark.django_db
def test_members_have_no_statistics_pages(client, xuhui, snapshots):
    client.force_login(UserFactory(committee=xuhui, roles=[Role.MEMBER]))
    assert client.get(reverse("yearbook:detail", args=[xuhui.pk, 2025])).status_code == 404


@pytest.mark.django_db
def test_api_own_district_and_municipal_reads_districts(
    api_client, xuhui_api, snapshots, xuhui, huangpu, shanghai
):
    url = reverse("statistics", args=[xuhui.pk, 2025])
    body = xuhui_api.get(url).json()
    proposals = next(s for s in body["sections"] if s["key"] == "proposals")
    figures = {f["key"]: f["value"] for f in proposals["figures"]}
    assert (figures["submitted"], figures["filed"], figures["filing_rate"]) == (4, 3, 75.0)
    assert proposals["title"] == "提案工作"
    assert xuhui_api.get(reverse("statistics", args=[huangpu.pk, 2025])).status_code == 404
    assert xuhui_api.get(reverse("statistics", args=[xuhui.pk, 2019])).json()["code"] == (
        "not_found"
    )
    assert xuhui_api.post(reverse("statistics", args=[xuhui.pk, 2999])).status_code == 400
    city = UserFactory(username="sh_api", committee=shanghai, roles=[Role.DISTRICT_OFFICE])
    api_client.force_authenticate(city)
    assert api_client.get(url).status_code == 200
    assert api_client.get(reverse("statistics", args=[shanghai.pk, 2025])).status_code == 200


@pytest.mark.django_db
def test_index_lists_the_readable_snapshots_and_committees(client, xuhui_office, snapshots, xuhui):
    client.force_login(xuhui_office)
    page = client.get(reverse("yearbook:index")).content.decode()
    assert reverse("yearbook:detail", args=[xuhui.pk, 2025]) in page
    assert "黄浦区" not in page  # neither Huangpu's snapshot nor its committee
    this_year = timezone.localdate().year
    assert reverse("yearbook:detail", args=[xuhui.pk, this_year]) in page
