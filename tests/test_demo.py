"""`seed_demo` loads the demo data set, and a second run changes nothing at all."""

from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from brands.models import Brand, Round
from consultations.stats import year_figures
from members.models import Committee, HandlingUnit, Person, Sector, User
from notifications.models import Notification
from opinions.models import Piece
from opinions.stats import opinion_figures
from proposals.models import CoSigner, Proposal
from proposals.selectors import with_overdue
from proposals.stats import proposal_figures
from workstations import workflow as station_workflow
from workstations.models import Placement
from workstations.stats import district_figures
from yearbook.models import Snapshot


def _snapshot() -> dict[str, list]:
    """Every row of every table of the project, history tables included."""
    return {
        model._meta.label: sorted(map(repr, model.objects.values_list()))
        for model in apps.get_models()
        if model._meta.app_label
        in {
            "members",
            "auth",
            "workstations",
            "proposals",
            "consultations",
            "brands",
            "notifications",
            "opinions",
        }
    }


@pytest.mark.django_db
def test_seed_demo_matches_the_seed_and_is_idempotent(settings, client):
    settings.DEMO_MODE = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = _snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert _snapshot() == first
    assert "cppcc-demo-2026" in out.getvalue()

    shanghai = Committee.objects.get(short_name="上海市政协")
    assert shanghai.children.count() == 16
    xuhui = Committee.objects.get(short_name="徐汇区政协")
    assert Sector.objects.filter(committee=xuhui).count() == 32
    assert HandlingUnit.objects.filter(committee=xuhui).count() >= 30
    sessions = xuhui.terms.get(number=14).sessions.order_by("number")
    assert [s.title for s in sessions][:2] == ["十四届一次会议", "十四届二次会议"]
    proposals = proposal_figures(xuhui, year=2023)
    assert (proposals["submitted"], proposals["filed"], proposals["filing_rate"]) == (
        206,
        166,
        80.6,
    )
    assert proposals["on_time_rate"] == 100.0
    # The records agree with the figures: no closed 2023 proposal has an unanswered assignment
    # (co-handling units answered with their opinions, on time like the lead units).
    closed_2023 = with_overdue(
        Proposal.objects.filter(committee=xuhui, session__opens_on__year=2023, state="closed")
    )
    assert closed_2023.count() == 166 and not closed_2023.filter(overdue=True).exists()
    assert proposals["assignments_replied"] > 166  # co-handling opinions counted too
    consultations = year_figures(xuhui, 2023)
    assert consultations["meetings_by_kind"]["bimonthly"] == 4
    assert (consultations["research_visits"], consultations["suggestions"]) == (13, 54)
    stations = district_figures([xuhui.pk], 2023)[xuhui.pk]
    assert (stations["stations"], stations["street_coverage"]) == (13, 100.0)
    assert stations["entry_rate"] >= 97.0
    stored = Snapshot.objects.get(committee=xuhui, year=2023).figures
    assert (stored["proposals"]["submitted"], stored["proposals"]["filed"]) == (206, 166)
    assert (stored["proposals"]["filing_rate"], stored["proposals"]["on_time_rate"]) == (80.6, 100)
    assert stored["consultations"]["bimonthly_meetings"] == 4
    assert (stored["consultations"]["research_visits"], stored["consultations"]["suggestions"]) == (
        13,
        54,
    )
    assert Notification.objects.filter(
        recipient__username="xh_member", reminder__kind="consultations.meeting_tomorrow"
    ).exists()
    round_2021 = Round.objects.get(committee=shanghai, year=2021)
    assert (round_2021.state, round_2021.candidates.count()) == ("published", 59)
    top = round_2021.candidates.filter(award="top").order_by("-composite")
    assert {c.brand.name for c in top} >= {
        "政协头条",
        "初心论坛",
        "委员讲坛",
        "“协商于民”委员工作站",
    }
    assert (top.count(), round_2021.candidates.filter(award="excellent").count()) == (10, 30)
    assert round_2021.candidates.values("brand__series").distinct().count() == 3
    assert Round.objects.filter(state="voting").exists()
    assert Round.objects.filter(state="scoring", experts__user__username="sh_expert").exists()
    # Public-opinion information as the seed reports it (DOMAIN §8), and this year's work.
    opinions = opinion_figures(xuhui, 2023)
    assert opinions["received"] == 1848
    assert (opinions["adopted_national"], opinions["adopted_municipal"]) == (21, 213)
    assert opinions["instructed"] == 28
    assert {"member", "party", "sector", "workstation"} <= set(opinions["by_submitter_kind"])
    assert stored["opinions"]["received"] == 1848
    states = set(
        Piece.objects.filter(seat__person__user__username="xh_member").values_list(
            "state", flat=True
        )
    )
    assert states == {
        "draft",
        "submitted",
        "returned",
        "accepted",
        "kept",
        "withdrawn",
        "in_report",
    }
    assert Piece.objects.filter(committee=shanghai, forwarded_from__committee=xuhui).exists()
    # Co-signing and co-handling: members invited to co-sign, one who has confirmed, and units
    # with accounts for the co-handling of a proposal.
    assert CoSigner.objects.filter(
        seat__person__user__username="xh_cosigner", status="confirmed"
    ).exists()
    assert CoSigner.objects.filter(
        seat__person__user__username="xh_group", status="invited"
    ).exists()
    for username in ("xh_unit_health", "xh_unit_culture"):
        unit = User.objects.get(username=username).handling_unit
        assert unit.assignments.filter(role="co", status="assigned").exists()
    client.post("/login/", {"username": "xh_office", "password": "cppcc-demo-2026"})
    assert client.session["_auth_user_id"] == str(User.objects.get(username="xh_office").pk)
    # The whole city as the seeds report it (DOMAIN §5), in the municipal office's statistics.
    client.post("/login/", {"username": "sh_office", "password": "cppcc-demo-2026"})
    rollup = client.get(f"/api/v1/statistics/{shanghai.pk}/2023/").json()["rollup"]
    assert len(rollup["parts"]) == 16
    stations = next(s for s in rollup["sections"] if s["key"] == "workstations")
    city = {f["key"]: f for f in stations["figures"]}
    assert city["covered_streets"]["total"] == city["streets"]["total"] == 215
    assert city["street_coverage"]["total"] == 100.0
    assert 5_500 <= city["seats"]["total"] <= 6_000  # 近6000 members of three levels
    assert 97.0 <= city["entry_rate"]["total"] < 98.0
    assert (city["studios"]["own"], city["studio_sectors"]["own"]) == (45, 32)
    assert city["stations"]["total"] == 215 and city["certified"]["total"] >= 110
    figures = client.get("/api/v1/workstation-figures/?year=2023").json()
    assert figures["total"]["covered_streets"] == 215
    assert figures["total"]["entry_rate"] == city["entry_rate"]["total"]
    meetings = next(s for s in rollup["sections"] if s["key"] == "consultations")
    visits = next(f for f in meetings["figures"] if f["key"] == "research_visits")
    assert visits["total"] < visits["own"] + sum(visits["parts"])  # joint visits counted once
    proposals = next(s for s in rollup["sections"] if s["key"] == "proposals")
    submitted = next(f for f in proposals["figures"] if f["key"] == "submitted")
    assert submitted["parts"] == [206] * 16
    page = client.get(f"/statistics/{shanghai.pk}/2023/dashboard/").content.decode()
    assert "崇明区" in page and "合计" in page


@pytest.mark.django_db
def test_a_second_run_keeps_what_users_changed(settings):
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=StringIO())
    admin = User.objects.get(username="admin")
    person = Person.objects.get(user__username="xh_member")
    person.phone, person._history_user = "13900000000", admin
    person.save()
    placement = Placement.objects.filter(left_on__isnull=True).order_by("pk").first()
    station_workflow.end_placement(placement, left_on=date(2024, 6, 30), by=admin, reason="调离")
    unit = HandlingUnit.objects.get(committee__region_code="310104", name="区教育局")
    unit.name = "区教育局（更名）"
    unit.save()
    brand = Brand.objects.get(name="政协头条")
    brand.name = "政协头条（改版）"
    brand.save()
    first = _snapshot()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert _snapshot() == first
    assert "跳过" in out.getvalue()
    person.refresh_from_db()
    assert person.phone == "13900000000"
    assert person.history.first().history_user == admin
    assert not Placement.objects.filter(
        workstation=placement.workstation, seat=placement.seat, left_on__isnull=True
    ).exists()
    assert not HandlingUnit.objects.filter(
        committee__region_code="310104", name="区教育局"
    ).exists()
    assert not Brand.objects.filter(name="政协头条").exists()


@pytest.mark.django_db
def test_demo_mode_after_a_directory_only_run_adds_the_demo(settings):
    settings.DEMO_MODE = False
    call_command("seed_demo", stdout=StringIO())
    unit = HandlingUnit.objects.get(committee__region_code="310104", name="区教育局")
    unit.name = "区教育局（更名）"
    unit.save()
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=StringIO())
    assert User.objects.filter(username="xh_member").exists()
    assert HandlingUnit.objects.filter(name="区教育局（更名）").exists()


@pytest.mark.django_db
def test_no_demo_accounts_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    call_command("seed_demo", stdout=StringIO())
    assert Committee.objects.count() == 18
    assert not User.objects.exists()
