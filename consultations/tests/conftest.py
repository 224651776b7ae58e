from datetime import date, timedelta

import pytest
from django.utils import timezone

from consultations.models import Meeting, MeetingKind, Plan
from core.roles import Role
from members.tests.factories import UserFactory


@pytest.fixture
def consult_office(xuhui):
    return UserFactory(
        username="xh_consult", committee=xuhui, is_staff=True, roles=[Role.CONSULTATION_OFFICE]
    )


@pytest.fixture
def plan(xuhui):
    return Plan.objects.create(committee=xuhui, year=2023)


@pytest.fixture
def meeting(xuhui):
    return Meeting.objects.create(
        committee=xuhui,
        kind=MeetingKind.BIMONTHLY,
        title="双月协商会：社区卫生",
        held_on=date(2023, 6, 20),
    )


@pytest.fixture
def upcoming(xuhui):
    """A salon next week."""
    return Meeting.objects.create(
        committee=xuhui,
        kind=MeetingKind.SALON,
        title="委员沙龙",
        held_on=timezone.localdate() + timedelta(days=7),
        venue="区政协三楼",
    )
