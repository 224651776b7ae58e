"""Personal API tokens (issue 14): issued by their holder in the portal or by a committee
administrator in the admin, stored hashed and shown once, acting with the holder's roles and
scope, refused once revoked or expired; the district token keeps working."""

import re
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.errors import Invalid, NotAllowed
from core.roles import Role
from members.models import ApiToken
from members.tests.factories import HandlingUnitFactory, UserFactory
from members.workflow import issue_personal_token, revoke_api_token


def _api(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _issue(owner, by=None, days=30):
    return issue_personal_token(
        owner=owner,
        name="测试",
        expires_at=timezone.now() + timedelta(days=days),
        by=by or owner,
    )


@pytest.fixture
def member(xuhui):
    return UserFactory(username="pt_member", committee=xuhui, roles=[Role.MEMBER])


def test_a_member_issues_one_in_the_portal_and_sees_its_key_once(client, member):
    client.force_login(member)
    page = client.post(reverse("members:tokens"), {"name": "办公系统同步", "days": "90"})
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    key = re.search(r'id="new-key">([^<]+)<', page.text).group(1)
    token = ApiToken.objects.get(owner=member)
    assert token.key_hash != key and key not in token.key_hash and token.prefix == key[:8]
    assert token.expires_at.date() == (timezone.now() + timedelta(days=90)).date()
    listed = client.get(reverse("members:tokens")).text
    assert "办公系统同步" in listed and key not in listed and "从未使用" in listed
    me = _api(key).get("/api/v1/me/")
    assert me.status_code == 200 and me.json()["username"] == "pt_member"
    token.refresh_from_db()
    assert token.last_used_at is not None
    client.post(reverse("members:token-revoke", args=[token.pk]))
    assert _api(key).get("/api/v1/me/").status_code == 401
    member.refresh_from_db()
    assert member.is_active  # revoking a personal token leaves its holder's account alone


def test_the_portal_refuses_a_bad_validity_and_anothers_token(client, member, xuhui):
    client.force_login(member)
    page = client.post(reverse("members:tokens"), {"name": "x", "days": "9999"})
    assert page.status_code == 200 and not ApiToken.objects.filter(owner=member).exists()
    other = UserFactory(username="pt_other", committee=xuhui, roles=[Role.MEMBER])
    token, key = _issue(other)
    assert client.post(reverse("members:token-revoke", args=[token.pk])).status_code == 404
    assert ApiToken.find(key) == token


def test_a_token_acts_with_its_holders_roles_and_scope(
    member, xuhui_office, huangpu_office, xuhui_unit
):
    _token, member_key = _issue(member)
    _token, office_key = _issue(xuhui_office)
    _token, huangpu_key = _issue(huangpu_office)
    # A member holds no staff permission: the committee's handling units are refused.
    assert _api(member_key).get("/api/v1/handling-units/").status_code == 403
    units = _api(office_key).get("/api/v1/handling-units/").json()["results"]
    assert [u["id"] for u in units] == [xuhui_unit.pk]
    assert _api(huangpu_key).get(f"/api/v1/handling-units/{xuhui_unit.pk}/").status_code == 404
    me = _api(office_key).get("/api/v1/me/").json()
    assert me["roles"] == [Role.PROPOSAL_OFFICE]


def test_a_unit_user_holds_one_acting_for_the_unit(xuhui):
    unit = HandlingUnitFactory(committee=xuhui, name="区民政局")
    staff = UserFactory(
        username="pt_unit", committee=None, handling_unit=unit, roles=[Role.HANDLING_UNIT]
    )
    _token, key = _issue(staff)
    assert _api(key).get("/api/v1/assignments/").status_code == 200


def test_expired_and_revoked_tokens_stop_working(member, xuhui_admin):
    expires_at = timezone.now() + timedelta(seconds=1)
    _token, key = issue_personal_token(owner=member, name="测试", expires_at=expires_at, by=member)
    assert _api(key).get("/api/v1/me/").status_code == 200  # the token is kept (authentication)
    time.sleep(max(0, (expires_at - timezone.now()).total_seconds()) + 0.05)
    refused = _api(key).get("/api/v1/me/")
    assert refused.status_code == 401 and refused.json()["code"] == "authentication_failed"
    token, key = _issue(member)
    assert _api(key).get("/api/v1/me/").status_code == 200
    revoke_api_token(token, by=xuhui_admin)  # the committee administrator revokes it
    assert _api(key).get("/api/v1/me/").status_code == 401


def test_who_may_issue_and_revoke(member, xuhui_admin, huangpu_office, xuhui_office, xuhui):
    with pytest.raises(NotAllowed):
        _issue(member, by=xuhui_office)  # not a committee administrator
    with pytest.raises(NotAllowed):
        _issue(member, by=huangpu_office)
    with pytest.raises(Invalid):
        _issue(member, days=400)
    token, _key = _issue(member, by=xuhui_admin)
    assert token.created_by == xuhui_admin
    with pytest.raises(NotAllowed):
        revoke_api_token(token, by=xuhui_office)
    superuser = UserFactory(username="pt_root", is_superuser=True)
    with pytest.raises(NotAllowed):
        _issue(superuser)


def test_an_administrator_issues_one_in_the_admin(client, xuhui_admin, member, xuhui):
    client.force_login(xuhui_admin)
    response = client.post(
        reverse("admin:members_apitoken_add"),
        {"name": "委员移动端", "committee": xuhui.pk, "owner": member.pk},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(owner=member)
    key = next(str(m) for m in response.context["messages"]).rsplit("：", 1)[1]
    assert ApiToken.find(key) == token and token.user is None
    assert token.expires_at > timezone.now() + timedelta(days=89)
    assert _api(key).get("/api/v1/me/").json()["username"] == "pt_member"


def test_the_district_token_keeps_working(xuhui_api, xuhui):
    assert xuhui_api.get("/api/v1/committees/").json()["results"][0]["id"] == xuhui.pk
