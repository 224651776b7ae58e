"""Committee scoping: who reads and writes which committee's records."""

import pytest
from django.contrib.auth.models import AnonymousUser

from core.scoping import readable, readable_committee_ids, writable, writable_committee_ids
from members.models import HandlingUnit
from members.tests.factories import CommitteeFactory, UserFactory


def test_district_user_reads_and_writes_only_its_district(xuhui_office, xuhui, huangpu):
    assert readable_committee_ids(xuhui_office) == {xuhui.pk}
    assert writable_committee_ids(xuhui_office) == {xuhui.pk}


def test_municipal_user_reads_its_districts_but_writes_only_its_own(
    shanghai_office, shanghai, xuhui, huangpu
):
    other_city = CommitteeFactory(level="municipal", region_code="320000", short_name="江苏省政协")
    CommitteeFactory(parent=other_city, region_code="320102", short_name="玄武区政协")
    assert readable_committee_ids(shanghai_office) == {shanghai.pk, xuhui.pk, huangpu.pk}
    assert writable_committee_ids(shanghai_office) == {shanghai.pk}


def test_national_user_reads_three_levels(shanghai, xuhui):
    national = CommitteeFactory(level="national", region_code="100000", short_name="全国政协")
    shanghai.parent = national
    shanghai.save()
    user = UserFactory(committee=national)
    assert readable_committee_ids(user) == {national.pk, shanghai.pk, xuhui.pk}


def test_handling_unit_staff_work_in_the_units_committee(xuhui, xuhui_unit):
    staff = UserFactory(committee=None, handling_unit=xuhui_unit)
    assert readable_committee_ids(staff) == {xuhui.pk}


def test_querysets_are_filtered(xuhui_office, shanghai_office, xuhui_unit, huangpu_unit):
    units = HandlingUnit.objects.all()
    assert list(readable(units, xuhui_office)) == [xuhui_unit]
    assert set(readable(units, shanghai_office)) == {xuhui_unit, huangpu_unit}
    assert list(writable(units, shanghai_office)) == []


@pytest.mark.django_db
def test_anonymous_inactive_and_superuser():
    assert readable_committee_ids(AnonymousUser()) == frozenset()
    inactive = UserFactory(is_active=False)
    assert readable_committee_ids(inactive) == frozenset()
    assert readable_committee_ids(UserFactory(is_superuser=True, committee=None)) is None
    assert readable_committee_ids(UserFactory(committee=None)) == frozenset()
