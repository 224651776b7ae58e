"""A token, its service account's permissions and committee scope are kept between its requests,
and forgotten as soon as the token is revoked or its roles or the committees change."""

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from members.authentication import _token_key
from members.tests.factories import CommitteeFactory, UserFactory
from members.workflow import issue_api_token, revoke_api_token


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, [q["sql"] for q in captured]


def test_a_token_request_reads_its_data_only(xuhui_api, xuhui):
    url = "/api/v1/proposals/"
    xuhui_api.get(url)  # the first request reads and keeps the token and its account
    response, sql = _queries(xuhui_api, url)
    assert response.status_code == 200
    assert not any(
        "auth_permission" in q or '"members_committee"' in q or "members_apitoken" in q for q in sql
    )
    assert "proposals_proposal" in sql[0]


def test_a_revoked_token_is_refused_at_once(xuhui_api, xuhui_token, xuhui_admin):
    url = "/api/v1/committees/"
    assert xuhui_api.get(url).status_code == 200
    assert xuhui_api.get(url).status_code == 200  # from the kept token
    revoke_api_token(xuhui_token[0], by=xuhui_admin)
    assert xuhui_api.get(url).status_code == 401


def test_a_token_kept_by_a_request_racing_its_revocation_is_refused(
    xuhui_api, xuhui_token, xuhui_admin, django_capture_on_commit_callbacks
):
    """A request that read the token just before the revocation and keeps it afterwards (the
    cache set lands after the revocation's delete) does not make it usable again."""
    url = "/api/v1/committees/"
    assert xuhui_api.get(url).status_code == 200
    key = _token_key(xuhui_token[0].key_hash)
    kept_by_the_racing_request = cache.get(key)
    assert kept_by_the_racing_request is not None
    with django_capture_on_commit_callbacks(execute=True):
        revoke_api_token(xuhui_token[0], by=xuhui_admin)
    cache.set(key, kept_by_the_racing_request, 60)
    assert xuhui_api.get(url).status_code == 401


def test_a_role_taken_away_counts_at_once(xuhui_api, xuhui_token, xuhui):
    url = "/api/v1/committees/"
    assert xuhui_api.get(url).status_code == 200
    assert xuhui_api.get(url).status_code == 200  # from the kept account
    xuhui_token[0].user.groups.remove(Group.objects.get(name=Role.DISTRICT_OFFICE))
    assert xuhui_api.get(url).status_code == 403


def test_a_new_district_is_in_scope_at_once(shanghai, client):
    admin = UserFactory(username="sh_admin", committee=shanghai, roles=[Role.COMMITTEE_ADMIN])
    _token, key = issue_api_token(committee=shanghai, name="市数据交换", by=admin)
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.get("/api/v1/committees/", **headers).status_code == 200
    district = CommitteeFactory(parent=shanghai, region_code="310105", short_name="长宁区政协")
    listed = client.get("/api/v1/committees/", **headers).json()
    assert district.pk in {row["id"] for row in listed["results"]}
