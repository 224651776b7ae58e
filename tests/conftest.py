"""Two districts of Shanghai, each with a row of every model (tests/world.py), and who tries
them: a Xuhui user with every staff role and the Xuhui district office's token."""

import pytest
from rest_framework.test import APIClient

from members.models import Level
from members.tests.factories import CommitteeFactory, UserFactory
from members.workflow import issue_api_token
from tests.world import ALL_ROLES, World


@pytest.fixture
def worlds(db):
    shanghai = CommitteeFactory(
        level=Level.MUNICIPAL, region_code="310000", short_name="上海市政协"
    )
    xuhui = CommitteeFactory(parent=shanghai, region_code="310104", short_name="徐汇区政协")
    huangpu = CommitteeFactory(parent=shanghai, region_code="310101", short_name="黄浦区政协")
    return World(xuhui).build_all(), World(huangpu).build_all()


@pytest.fixture
def world_staff(worlds):
    xuhui = worlds[0].committee
    return UserFactory(username="meta_staff", committee=xuhui, is_staff=True, roles=ALL_ROLES)


@pytest.fixture
def world_token(worlds, world_staff):
    _token, key = issue_api_token(committee=worlds[0].committee, name="meta", by=world_staff)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api
