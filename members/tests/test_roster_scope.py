"""A roster import never reaches another committee's people (issue: Integrity)."""

import pytest

from core.roles import Role
from members.models import Person, Seat
from members.roster import import_roster
from members.tests.factories import PersonFactory, SeatFactory, TermFactory, UserFactory
from members.tests.test_roster import VALID_ID, _xlsx


@pytest.fixture
def xuhui_person(xuhui):
    person = PersonFactory(
        name="徐汇委员",
        id_number=VALID_ID,
        phone="13911112222",
        address="徐汇区某路1号",
        employer="某公司",
    )
    SeatFactory(person=person, committee=xuhui)
    return person


def test_another_districts_id_number_is_refused_and_nothing_of_theirs_changes(
    huangpu, xuhui_person
):
    admin = UserFactory(
        username="hp_admin", committee=huangpu, is_staff=True, roles=[Role.COMMITTEE_ADMIN]
    )
    term = TermFactory(committee=huangpu)
    row = {"name": "冒名", "id_number": VALID_ID, "phone": "13000000000", "address": "黄浦"}
    report = import_roster(_xlsx([row]), term=term, by=admin)
    assert not report.ok
    (error,) = report.errors
    assert error.row == 2 and error.column == "证件号码"
    assert "徐汇" not in error.message and xuhui_person.name not in error.message
    person = Person.objects.get(pk=xuhui_person.pk)
    assert (person.name, person.phone, person.address, person.employer) == (
        "徐汇委员",
        "13911112222",
        "徐汇区某路1号",
        "某公司",
    )
    assert not Seat.objects.filter(committee=huangpu).exists()
    assert (report.created, report.updated) == (0, 0)


def test_own_committees_people_are_updated(xuhui, xuhui_admin, xuhui_person):
    term = TermFactory(committee=xuhui, number=15)
    report = import_roster(
        _xlsx([{"name": "徐汇委员", "id_number": VALID_ID, "phone": "13933334444"}]),
        term=term,
        by=xuhui_admin,
    )
    assert report.ok
    assert Person.objects.get(pk=xuhui_person.pk).phone == "13933334444"
