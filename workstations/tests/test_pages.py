"""Portal pages: the liaison records an activity, the member reads their record, staff rank."""

from datetime import date
from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from members.models import Act
from members.tests.factories import SeatFactory, UserFactory
from workstations import workflow


def test_liaison_records_an_activity(client, station, liaison, seats, xuhui_admin):
    for seat in seats:
        workflow.place(workstation=station, seat=seat, joined_on=date(2023, 1, 1), by=xuhui_admin)
    client.force_login(liaison)
    page = client.get(reverse("workstations:activity-create", args=[station.pk]))
    assert page.status_code == 200 and seats[0].person.name in page.text
    response = client.post(
        reverse("workstations:activity-create", args=[station.pk]),
        {
            "kind": "public",
            "held_on": "2023-06-01",
            "topic": "委员接待日",
            "attendees": [seats[0].pk, seats[1].pk],
            "public_participants": 30,
        },
    )
    assert response.status_code == 302
    assert Act.objects.count() == 2
    invalid = client.post(
        reverse("workstations:activity-create", args=[station.pk]),
        {
            "kind": "public",
            "held_on": "2022-06-01",
            "topic": "入站前的活动",
            "attendees": [seats[0].pk],
            "public_participants": 0,
        },
    )
    assert invalid.status_code == 200 and "不在本站" in invalid.text
    assert Act.objects.count() == 2


def test_other_users_cannot_record(client, station, xuhui):
    client.force_login(UserFactory(committee=xuhui, roles=["member"]))
    assert client.get(reverse("workstations:activity-create", args=[station.pk])).status_code == 404


def test_member_sees_seats_stations_and_record(client, station, xuhui, shanghai, xuhui_admin):
    member = UserFactory(committee=xuhui, roles=["member"])
    seat = SeatFactory(committee=xuhui, person__user=member, person__name="周委员")
    SeatFactory(committee=shanghai, person=seat.person)
    workflow.place(workstation=station, seat=seat, joined_on=date(2023, 1, 1), by=xuhui_admin)
    workflow.record_activity(
        workstation=station,
        by=xuhui_admin,
        kind="reading",
        held_on=date(2023, 4, 1),
        topic="读书会",
        attendees=[seat],
    )
    client.force_login(member)
    page = client.get(reverse("my-record") + "?year=2023")
    assert page.status_code == 200
    assert "周委员" in page.text and shanghai.short_name in page.text
    assert station.name in page.text and "参加站室点活动" in page.text


def test_staff_ranking_and_export(client, xuhui, xuhui_office, station, xuhui_admin):
    seat = SeatFactory(committee=xuhui, person__name="吴委员")
    workflow.place(workstation=station, seat=seat, joined_on=date(2023, 1, 1), by=xuhui_admin)
    workflow.record_activity(
        workstation=station,
        by=xuhui_admin,
        kind="reading",
        held_on=date(2023, 4, 1),
        topic="读书会",
        attendees=[seat],
    )
    client.force_login(xuhui_office)
    page = client.get(reverse("members:performance-ranking") + "?year=2023")
    assert "吴委员" in page.text
    export = client.get(reverse("members:performance-ranking") + "?year=2023&format=xlsx")
    rows = list(load_workbook(BytesIO(export.content)).active.values)
    assert rows[1][1:] == ("吴委员", None, None, 1, 2)


def test_workstation_list_shows_figures(client, xuhui_admin, station):
    client.force_login(xuhui_admin)
    page = client.get(reverse("workstations:list"))
    assert page.status_code == 200 and station.name in page.text and "进站率" in page.text
