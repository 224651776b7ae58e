"""Workstation API: district offices write their own district only; constant query counts."""

from datetime import date

import pytest

from members.models import Act
from members.tests.factories import PersonFactory, SeatFactory
from workstations import workflow
from workstations.models import Activity, Placement, Workstation
from workstations.tests.factories import StreetFactory, WorkstationFactory


def test_district_office_creates_a_station_in_its_district(xuhui_api, xuhui, huangpu):
    street = StreetFactory(committee=xuhui, name="徐家汇街道")
    response = xuhui_api.post(
        "/api/v1/workstations/",
        {
            "committee": xuhui.pk,
            "tier": "station",
            "name": "徐家汇街道委员工作站",
            "street": street.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    missing = xuhui_api.post(
        "/api/v1/workstations/",
        {"committee": xuhui.pk, "tier": "studio", "name": "无界别工作室"},
        format="json",
    )
    assert missing.status_code == 400
    assert {"sector", "host"} <= set(missing.json()["fields"])
    other = xuhui_api.post(
        "/api/v1/workstations/",
        {"committee": huangpu.pk, "tier": "contact_point", "name": "越权联系点", "host": "某单位"},
        format="json",
    )
    assert other.status_code == 400 and "committee" in other.json()["fields"]
    assert Workstation.objects.count() == 1


def test_placements_and_activities_through_the_api(xuhui_api, xuhui, shanghai):
    station = WorkstationFactory(committee=xuhui)
    district, municipal = SeatFactory(committee=xuhui), SeatFactory(committee=shanghai)
    for seat in (district, municipal):
        response = xuhui_api.post(
            "/api/v1/placements/",
            {"workstation": station.pk, "seat": seat.pk, "joined_on": "2023-01-01"},
            format="json",
        )
        assert response.status_code == 201, response.json()
    duplicate = xuhui_api.post(
        "/api/v1/placements/",
        {"workstation": station.pk, "seat": district.pk, "joined_on": "2023-02-01"},
        format="json",
    )
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "wrong_state"
    created = xuhui_api.post(
        "/api/v1/activities/",
        {
            "workstation": station.pk,
            "kind": "consultation",
            "held_on": "2023-03-08",
            "topic": "社区微更新协商议事",
            "attendees": [district.pk, municipal.pk],
            "public_participants": 25,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert Act.objects.count() == 2
    activity = created.json()["id"]
    assert (
        xuhui_api.patch(
            f"/api/v1/activities/{activity}/", {"attendees": [district.pk]}, format="json"
        ).status_code
        == 200
    )
    assert list(Act.objects.values_list("seat", flat=True)) == [district.pk]
    placement = Placement.objects.get(seat=municipal)
    ended = xuhui_api.post(
        f"/api/v1/placements/{placement.pk}/end/", {"left_on": "2023-12-31"}, format="json"
    )
    assert ended.status_code == 200 and ended.json()["left_on"] == "2023-12-31"


def test_other_district_answers_404(xuhui_api, huangpu):
    station = WorkstationFactory(committee=huangpu)
    assert xuhui_api.get(f"/api/v1/workstations/{station.pk}/").status_code == 404
    response = xuhui_api.post(
        "/api/v1/activities/",
        {"workstation": station.pk, "kind": "reading", "held_on": "2023-03-08", "topic": "读书"},
        format="json",
    )
    assert response.status_code == 400
    assert not Activity.objects.exists()


def test_figures_endpoint(xuhui_api, xuhui):
    WorkstationFactory(committee=xuhui)
    body = xuhui_api.get("/api/v1/workstation-figures/?year=2023").json()
    assert [row["committee"] for row in body["results"]] == [xuhui.pk]
    assert body["results"][0]["stations"] == 1
    assert xuhui_api.get("/api/v1/workstation-figures/?year=abc").status_code == 400


def _stations(committee, n):
    WorkstationFactory.create_batch(n, committee=committee)


def _placements(committee, n):
    station = WorkstationFactory(committee=committee)
    admin = committee.users.get(username="xh_admin")
    for seat in SeatFactory.create_batch(n, committee=committee):
        workflow.place(workstation=station, seat=seat, joined_on=date(2023, 1, 1), by=admin)


def _activities(committee, n):
    station = WorkstationFactory(committee=committee)
    admin = committee.users.get(username="xh_admin")
    seat = SeatFactory(committee=committee)
    workflow.place(workstation=station, seat=seat, joined_on=date(2023, 1, 1), by=admin)
    for i in range(n):
        workflow.record_activity(
            workstation=station,
            by=admin,
            kind="reading",
            held_on=date(2023, 2, 1),
            topic=f"读书{i}",
            attendees=[seat],
        )


def _people(committee, n):
    for person in PersonFactory.create_batch(n):
        SeatFactory(person=person, committee=committee)


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/api/v1/workstations/", _stations),
        ("/api/v1/placements/", _placements),
        ("/api/v1/activities/", _activities),
        ("/api/v1/members/", _people),
        ("/api/v1/seats/", _people),
    ],
)
def test_list_query_count_is_constant(
    xuhui_api, xuhui, xuhui_admin, url, make, assert_constant_list_queries
):
    assert_constant_list_queries(xuhui_api, url, make, xuhui)
