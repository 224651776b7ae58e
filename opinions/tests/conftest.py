"""Xuhui (a district of Shanghai) with its opinion office, a member, and the municipal office."""

import pytest

from core.roles import Role
from members.models import Level, Sector
from members.tests.factories import CommitteeFactory, SeatFactory, UserFactory


@pytest.fixture
def china(db):
    return CommitteeFactory(level=Level.NATIONAL, region_code="100000", short_name="全国政协")


@pytest.fixture
def shanghai(china):
    return CommitteeFactory(
        level=Level.MUNICIPAL, region_code="310000", short_name="上海市政协", parent=china
    )


def _member(committee, username, sector=None):
    user = UserFactory(username=username, committee=committee, roles=[Role.MEMBER])
    return user, SeatFactory(
        committee=committee, person__user=user, person__name=username, sector=sector
    )


@pytest.fixture
def sector(xuhui):
    return Sector.objects.create(committee=xuhui, name="医药卫生界")


@pytest.fixture
def member(xuhui, sector):
    """(user, seat) of a Xuhui member."""
    return _member(xuhui, "xh_writer", sector)


@pytest.fixture
def other_member(xuhui):
    return _member(xuhui, "xh_other")


@pytest.fixture
def office(xuhui):
    return UserFactory(
        username="xh_op", committee=xuhui, is_staff=True, roles=[Role.OPINION_OFFICE]
    )


@pytest.fixture
def city_office(shanghai):
    return UserFactory(
        username="sh_op", committee=shanghai, is_staff=True, roles=[Role.OPINION_OFFICE]
    )


@pytest.fixture
def huangpu_op(huangpu):
    return UserFactory(
        username="hp_op", committee=huangpu, is_staff=True, roles=[Role.OPINION_OFFICE]
    )
