"""The municipal tier (its studios and contact points with members of every level), the awards
达标授牌 and 示范点, and the city's total in /api/v1/workstation-figures/."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.errors import Invalid, NotAllowed, WrongState
from core.roles import Role
from members.models import Level, Sector
from members.tests.factories import CommitteeFactory, SeatFactory, UserFactory
from workstations import workflow
from workstations.models import Assessment, Award, Tier, Workstation
from workstations.tests.factories import WorkstationFactory


@pytest.fixture
def city_admin(shanghai):
    return UserFactory(committee=shanghai, is_staff=True, roles=[Role.COMMITTEE_ADMIN])


@pytest.fixture
def studio(shanghai):
    return Workstation.objects.create(
        committee=shanghai,
        tier=Tier.STUDIO,
        name="经济界界别委员工作室",
        sector=Sector.objects.create(committee=shanghai, name="经济界"),
        host="市工商联",
    )


@pytest.mark.django_db
def test_the_municipal_committee_has_studios_and_contact_points_but_no_stations(shanghai):
    studio = Workstation(
        committee=shanghai,
        tier=Tier.STUDIO,
        name="教育界界别委员工作室",
        sector=Sector.objects.create(committee=shanghai, name="教育界"),
        host="市教委",
    )
    studio.full_clean()
    point = Workstation(committee=shanghai, tier=Tier.CONTACT_POINT, name="联系点", host="复旦大学")
    point.full_clean()
    station = WorkstationFactory.build(committee=shanghai)
    with pytest.raises(ValidationError) as error:
        station.clean()
    assert "tier" in error.value.message_dict
    national = CommitteeFactory(level=Level.NATIONAL, region_code="100000")
    with pytest.raises(ValidationError) as error:
        Workstation(committee=national, tier=Tier.CONTACT_POINT, name="点", host="单位").clean()
    assert "committee" in error.value.message_dict


@pytest.mark.django_db
def test_members_of_every_level_join_a_municipal_studio(
    studio, city_admin, shanghai, xuhui, huangpu, xuhui_admin
):
    national = CommitteeFactory(level=Level.NATIONAL, region_code="100000")
    shanghai.parent = national
    shanghai.save()
    for committee in (national, shanghai, xuhui, huangpu):
        seat = SeatFactory(committee=committee)
        placement = workflow.place(
            workstation=studio, seat=seat, joined_on=date(2025, 3, 1), by=city_admin
        )
        assert placement.seat.committee == committee
    assert studio.placements.count() == 4
    # A district's station still refuses another district's member …
    station = WorkstationFactory(committee=xuhui)
    with pytest.raises(Invalid):
        workflow.place(
            workstation=station,
            seat=SeatFactory(committee=huangpu),
            joined_on=date(2025, 3, 1),
            by=xuhui_admin,
        )
    # … and a district's staff cannot manage the municipal studio.
    with pytest.raises(NotAllowed):
        workflow.place(
            workstation=studio,
            seat=SeatFactory(committee=xuhui),
            joined_on=date(2025, 3, 1),
            by=xuhui_admin,
        )


@pytest.mark.django_db
def test_the_municipal_office_places_a_district_member_through_the_api(
    api_client, studio, city_admin, xuhui
):
    seat = SeatFactory(committee=xuhui)
    api_client.force_authenticate(city_admin)
    response = api_client.post(
        reverse("placement-list"),
        {"workstation": studio.pk, "seat": seat.pk, "joined_on": "2025-03-01"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["level"] == "district"


def _assess(station, year, score, by):
    scores = dict.fromkeys(Assessment.CRITERIA, score)
    return workflow.assess(workstation=station, year=year, by=by, **scores)


@pytest.mark.django_db
def test_awards_follow_the_five_goods_standard(xuhui, xuhui_admin, city_admin, huangpu):
    station = WorkstationFactory(committee=xuhui)
    with pytest.raises(Invalid):  # no assessment of the year
        workflow.award(workstation=station, kind=Award.CERTIFIED, year=2023, by=city_admin)
    _assess(station, 2023, workflow.PASS_MARK - 1, xuhui_admin)
    with pytest.raises(Invalid):  # below the standard
        workflow.award(workstation=station, kind=Award.CERTIFIED, year=2023, by=city_admin)
    with pytest.raises(WrongState):  # a 示范点 must be certified first
        workflow.award(workstation=station, kind=Award.DEMONSTRATION, year=2023, by=xuhui_admin)
    _assess(station, 2023, workflow.PASS_MARK, xuhui_admin)
    other = UserFactory(committee=huangpu, is_staff=True, roles=[Role.COMMITTEE_ADMIN])
    with pytest.raises(NotAllowed):
        workflow.award(workstation=station, kind=Award.CERTIFIED, year=2023, by=other)
    workflow.award(workstation=station, kind=Award.CERTIFIED, year=2023, by=city_admin)
    workflow.award(workstation=station, kind=Award.DEMONSTRATION, year=2024, by=xuhui_admin)
    station.refresh_from_db()
    assert (station.certified_year, station.demonstration_year) == (2023, 2024)
    assert station.history.first().history_change_reason == "示范点"
    with pytest.raises(WrongState):
        workflow.award(workstation=station, kind=Award.CERTIFIED, year=2024, by=city_admin)


@pytest.mark.django_db
def test_the_figures_api_totals_the_city(
    api_client, studio, city_admin, shanghai, xuhui, huangpu, xuhui_admin
):
    """Xuhui: 1 of 3 seats placed; Huangpu: 0 of 1; the city's own: 1 of 1 — in all 2 of 5."""
    station = WorkstationFactory(committee=xuhui)
    placed, *_unplaced = SeatFactory.create_batch(3, committee=xuhui)
    workflow.place(workstation=station, seat=placed, joined_on=date(2025, 1, 1), by=xuhui_admin)
    SeatFactory(committee=huangpu)
    city_seat = SeatFactory(committee=shanghai)
    workflow.place(workstation=studio, seat=city_seat, joined_on=date(2025, 1, 1), by=city_admin)
    api_client.force_authenticate(city_admin)
    body = api_client.get(reverse("workstation-figures"), {"year": 2025}).json()
    rows = {row["committee"]: row for row in body["results"]}
    assert (rows[xuhui.pk]["entry_rate"], rows[huangpu.pk]["entry_rate"]) == (33.3, 0.0)
    assert body["own"]["studios"] == 1 and body["own"]["entry_rate"] == 100.0
    total = body["total"]
    assert (total["seats"], total["placed_seats"], total["studios"]) == (5, 2, 1)
    assert total["entry_rate"] == 40.0  # 2 ÷ 5, not the average of 33.3, 0 and 100 (44.4)
    api_client.force_authenticate(xuhui_admin)
    body = api_client.get(reverse("workstation-figures"), {"year": 2025}).json()
    assert [row["committee"] for row in body["results"]] == [xuhui.pk]
    assert "own" not in body and body["total"]["seats"] == 3


@pytest.mark.django_db
def test_the_municipal_office_certifies_a_district_station_in_the_admin(
    client, xuhui, xuhui_admin, city_admin
):
    station = WorkstationFactory(committee=xuhui)
    _assess(station, 2023, 18, xuhui_admin)
    client.force_login(city_admin)
    url = reverse("admin:workstations_workstation_changelist")
    chosen = {"action": "certify", "_selected_action": [station.pk]}
    page = client.post(url, chosen)
    assert page.status_code == 200 and "年度" in page.content.decode()  # the year is asked
    client.post(url, {**chosen, "apply": "1", "year": 2023})
    station.refresh_from_db()
    assert station.certified_year == 2023
    client.post(url, {**chosen, "action": "designate_demonstration", "apply": "1", "year": 2022})
    station.refresh_from_db()
    assert station.demonstration_year is None  # not before it was certified
