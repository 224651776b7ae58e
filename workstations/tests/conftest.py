import pytest

from core.roles import Role
from members.tests.factories import SeatFactory, UserFactory
from workstations.tests.factories import WorkstationFactory


@pytest.fixture
def station(xuhui):
    return WorkstationFactory(committee=xuhui)


@pytest.fixture
def liaison(xuhui, station):
    user = UserFactory(username="liaison", committee=xuhui, roles=[Role.WORKSTATION_LIAISON])
    station.liaisons.add(user)
    return user


@pytest.fixture
def seats(xuhui):
    return SeatFactory.create_batch(3, committee=xuhui)
