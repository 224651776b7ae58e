import itertools

import pytest

from brands.tests import factories
from core.roles import Role
from members.tests.factories import UserFactory

_addresses = itertools.count(1)


@pytest.fixture
def next_ip():
    """A fresh client address per call: rate-limit windows in Redis outlive a test."""
    import uuid

    seed = uuid.uuid4().int
    return lambda: f"10.{seed % 250}.{(seed >> 8) % 250}.{next(_addresses) % 250 + 1}"


@pytest.fixture
def sh_brands(shanghai):
    return UserFactory(
        username="sh_brands", committee=shanghai, is_staff=True, roles=[Role.BRAND_OFFICE]
    )


@pytest.fixture
def xh_brands(xuhui):
    return UserFactory(
        username="xh_brands", committee=xuhui, is_staff=True, roles=[Role.BRAND_OFFICE]
    )


@pytest.fixture
def hp_brands(huangpu):
    return UserFactory(
        username="hp_brands", committee=huangpu, is_staff=True, roles=[Role.BRAND_OFFICE]
    )


@pytest.fixture
def three_series(shanghai):
    return factories.series(
        shanghai, "综合性工作和机关建设", "专委会履职和界别工作", "市区政协联动和区政协工作"
    )


@pytest.fixture
def experts(shanghai, xuhui, huangpu):
    """Three experts: one of the municipal office, one from Xuhui, one from Huangpu."""
    return [
        (UserFactory(username=f"expert{i}", committee=unit, roles=[Role.BRAND_EXPERT]), unit)
        for i, unit in enumerate([shanghai, xuhui, huangpu], start=1)
    ]


@pytest.fixture
def voting_round(shanghai, xuhui, huangpu, sh_brands, xh_brands, hp_brands, three_series, experts):
    """A municipal round in its voting window with three candidates: one municipal, one of
    Xuhui, one of Huangpu."""
    general, _special, linked = three_series
    brands = [
        (factories.brand(shanghai, sh_brands, general, "政协头条"), sh_brands),
        (factories.brand(xuhui, xh_brands, linked, "协商于民徐汇"), xh_brands),
        (factories.brand(huangpu, hp_brands, linked, "黄浦议事厅"), hp_brands),
    ]
    round_obj = factories.round_(shanghai, sh_brands, three_series)
    candidates = factories.to_voting(round_obj, sh_brands, brands, experts)
    return round_obj, candidates
