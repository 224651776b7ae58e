"""People and seats: one person, seats at three levels; personal data for the right staff only."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from members.models import Level, Person, Seat
from members.privacy import can_see_personal_data
from members.tests.factories import CommitteeFactory, PersonFactory, SeatFactory


@pytest.fixture
def three_level_person(shanghai, xuhui):
    national = CommitteeFactory(level=Level.NATIONAL, region_code="100000", short_name="全国政协")
    shanghai.parent = national
    shanghai.save()
    person = PersonFactory(name="张三级", phone="13912345678", id_number="HK1234567")
    for committee in (national, shanghai, xuhui):
        SeatFactory(person=person, committee=committee)
    return person


def test_a_person_holds_three_seats(three_level_person):
    levels = sorted(three_level_person.seats.values_list("committee__level", flat=True))
    assert levels == ["district", "municipal", "national"]
    assert Person.objects.count() == 1 and Seat.objects.count() == 3


def test_the_api_shows_every_seat_and_no_personal_data(xuhui_api, three_level_person):
    rows = xuhui_api.get("/api/v1/members/").json()["results"]
    assert [row["name"] for row in rows] == ["张三级"]
    assert sorted(seat["level"] for seat in rows[0]["seats"]) == [
        "district",
        "municipal",
        "national",
    ]
    assert not {"phone", "id_number", "address"} & set(rows[0])
    detail = xuhui_api.get(f"/api/v1/members/{three_level_person.pk}/").json()
    assert "13912345678" not in str(detail)


def test_personal_data_only_for_staff_of_a_seat_committee(
    client, xuhui, huangpu, xuhui_office, huangpu_office, shanghai_office
):
    person = PersonFactory(name="李委员", phone="13700001111", id_number="HK7654321")
    SeatFactory(person=person, committee=xuhui)
    assert can_see_personal_data(xuhui_office, person)
    assert not can_see_personal_data(shanghai_office, person)  # reads Xuhui, no seat there
    assert not can_see_personal_data(huangpu_office, person)
    url = reverse("admin:members_person_change", args=[person.pk])
    client.force_login(xuhui_office)
    assert "13700001111" in client.get(url).text
    client.force_login(shanghai_office)
    page = client.get(url)
    assert page.status_code == 200 and "李委员" in page.text
    assert "13700001111" not in page.text and "HK7654321" not in page.text
    client.force_login(huangpu_office)
    assert "李委员" not in client.get(url, follow=True).text


def test_export_blanks_personal_data_for_other_committees(client, xuhui, shanghai_office):
    person = PersonFactory(name="王委员", phone="13600002222")
    seat = SeatFactory(person=person, committee=xuhui)
    client.force_login(shanghai_office)
    response = client.post(
        reverse("admin:members_seat_changelist"),
        {"action": "export_xlsx", "_selected_action": [seat.pk]},
    )
    sheet = load_workbook(BytesIO(response.content)).active
    header, row = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    assert row[header.index("姓名")] == "王委员"
    assert row[header.index("手机号码")] is None


def test_a_person_is_stored_once(xuhui):
    person = PersonFactory()
    SeatFactory(person=person, committee=xuhui)
    with pytest.raises(Exception, match="seat_one_per_term"):
        SeatFactory(person=person, committee=xuhui)


def test_a_nested_seat_is_readable_by_its_id_and_another_districts_is_neither(
    xuhui_api, three_level_person, huangpu
):
    elsewhere = SeatFactory(person=three_level_person, committee=huangpu)
    detail = xuhui_api.get(f"/api/v1/members/{three_level_person.pk}/").json()
    nested = [seat["id"] for seat in detail["seats"]]
    assert len(nested) == 3 and elsewhere.pk not in nested
    for seat in nested:
        assert xuhui_api.get(f"/api/v1/seats/{seat}/").status_code == 200
    assert xuhui_api.get(f"/api/v1/seats/{elsewhere.pk}/").status_code == 404
