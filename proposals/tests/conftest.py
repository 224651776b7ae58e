import pytest

from core.roles import Role
from members.tests.factories import (
    HandlingUnitFactory,
    PlenarySessionFactory,
    SeatFactory,
    TermFactory,
    UserFactory,
)
from proposals.models import Category


@pytest.fixture
def session(xuhui):
    return PlenarySessionFactory(term=TermFactory(committee=xuhui, number=14), number=2)


@pytest.fixture
def category(xuhui):
    return Category.objects.create(committee=xuhui, name="社会建设")


def _member(xuhui, username):
    user = UserFactory(username=username, committee=xuhui, roles=[Role.MEMBER])
    return user, SeatFactory(committee=xuhui, person__user=user, person__name=username)


@pytest.fixture
def member(xuhui):
    return _member(xuhui, "lead")


@pytest.fixture
def cosigner(xuhui):
    return _member(xuhui, "cosigner")


@pytest.fixture
def staff(xuhui, xuhui_office):
    """One user per role of the proposal workflow, in Xuhui."""
    return {
        Role.PROPOSAL_OFFICE: xuhui_office,
        Role.REVIEW_GROUP: UserFactory(
            username="review", committee=xuhui, is_staff=True, roles=[Role.REVIEW_GROUP]
        ),
        Role.DIRECTORS_MEETING: UserFactory(
            username="director", committee=xuhui, is_staff=True, roles=[Role.DIRECTORS_MEETING]
        ),
        Role.CHAIR_MEETING_MEMBER: UserFactory(
            username="chair", committee=xuhui, roles=[Role.CHAIR_MEETING_MEMBER]
        ),
    }


@pytest.fixture
def unit(xuhui):
    return HandlingUnitFactory(committee=xuhui, name="区卫生健康委")


@pytest.fixture
def unit_user(unit):
    return UserFactory(
        username="unit", committee=None, handling_unit=unit, roles=[Role.HANDLING_UNIT]
    )
