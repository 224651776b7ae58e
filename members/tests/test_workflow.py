"""Acts on the directory: API tokens are issued to one committee and revoked for good."""

import pytest

from core.errors import NotAllowed, WrongState
from core.roles import Role
from members.models import ApiToken
from members.workflow import issue_api_token, revoke_api_token


def test_issue_creates_a_service_account_in_the_committee(xuhui, xuhui_admin):
    token, key = issue_api_token(committee=xuhui, name="徐汇区政协办公室系统", by=xuhui_admin)
    assert ApiToken.find(key) == token
    assert token.key_hash != key and key.startswith(token.prefix)
    assert token.user.committee == xuhui
    assert list(token.user.groups.values_list("name", flat=True)) == [Role.DISTRICT_OFFICE]
    assert not token.user.has_usable_password()


def test_issue_only_for_own_committee(huangpu, xuhui_admin, xuhui_office):
    with pytest.raises(NotAllowed):
        issue_api_token(committee=huangpu, name="越权", by=xuhui_admin)
    with pytest.raises(NotAllowed):  # the proposal office may not issue tokens at all
        issue_api_token(committee=xuhui_office.committee, name="无权", by=xuhui_office)


def test_revoke_is_final_and_recorded(xuhui_token, xuhui_admin):
    token, key = xuhui_token
    revoke_api_token(token, by=xuhui_admin)
    assert ApiToken.find(key) is None
    token.user.refresh_from_db()
    assert token.user.is_active is False
    assert token.history.first().history_change_reason == "revoked by xh_admin"
    with pytest.raises(WrongState):
        revoke_api_token(token, by=xuhui_admin)


def test_other_district_cannot_revoke(xuhui_token, huangpu):
    from members.tests.factories import UserFactory

    huangpu_admin = UserFactory(committee=huangpu, roles=[Role.COMMITTEE_ADMIN])
    with pytest.raises(NotAllowed):
        revoke_api_token(xuhui_token[0], by=huangpu_admin)
