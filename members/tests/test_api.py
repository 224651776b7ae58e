"""The directory API: token and session auth, committee scoping (404 across districts), writes
limited to the own committee, one error format, constant query counts."""

import pytest

from members.models import HandlingUnit
from members.tests.factories import HandlingUnitFactory, PlenarySessionFactory, TermFactory
from members.workflow import revoke_api_token


def test_token_lists_only_its_committee(xuhui_api, xuhui, huangpu, xuhui_unit, huangpu_unit):
    response = xuhui_api.get("/api/v1/committees/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [xuhui.pk]
    units = xuhui_api.get("/api/v1/handling-units/").json()["results"]
    assert [row["name"] for row in units] == ["区教育局"]


def test_other_district_answers_404(xuhui_api, huangpu, huangpu_unit):
    assert xuhui_api.get(f"/api/v1/committees/{huangpu.pk}/").status_code == 404
    response = xuhui_api.get(f"/api/v1/handling-units/{huangpu_unit.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert (
        xuhui_api.patch(
            f"/api/v1/handling-units/{huangpu_unit.pk}/", {"name": "x"}, format="json"
        ).status_code
        == 404
    )


def test_token_writes_its_own_district(xuhui_api, xuhui, huangpu):
    response = xuhui_api.post(
        "/api/v1/handling-units/",
        {"committee": xuhui.pk, "name": "区数据局", "kind": "government"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert HandlingUnit.objects.get(name="区数据局").committee == xuhui
    refused = xuhui_api.post(
        "/api/v1/handling-units/", {"committee": huangpu.pk, "name": "越权单位"}, format="json"
    )
    assert refused.status_code == 400
    assert "committee" in refused.json()["fields"]
    assert not HandlingUnit.objects.filter(name="越权单位").exists()


def test_invalid_input_gets_field_messages(xuhui_api, xuhui, xuhui_unit):
    response = xuhui_api.post(
        "/api/v1/handling-units/",
        {"committee": xuhui.pk, "name": "区体育局", "kind": "nonsense"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["message"]
    assert set(body["fields"]) == {"kind"}
    duplicate = xuhui_api.post(
        "/api/v1/handling-units/", {"committee": xuhui.pk, "name": "区教育局"}, format="json"
    )
    assert duplicate.status_code == 400
    assert set(duplicate.json()["fields"]) == {"non_field_errors"}
    assert HandlingUnit.objects.filter(committee=xuhui).count() == 1


def test_revoked_or_unknown_token_is_refused(api_client, xuhui_token, xuhui_admin):
    token, key = xuhui_token
    revoke_api_token(token, by=xuhui_admin)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api_client.get("/api/v1/committees/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-key")
    assert api_client.get("/api/v1/committees/").status_code == 401


def test_anonymous_is_refused(api_client, xuhui):
    response = api_client.get("/api/v1/committees/")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


def test_session_auth_municipal_reads_districts_but_cannot_write(
    api_client, shanghai_office, xuhui_unit
):
    api_client.force_login(shanghai_office)
    names = [u["name"] for u in api_client.get("/api/v1/handling-units/").json()["results"]]
    assert names == ["区教育局"]
    response = api_client.patch(
        f"/api/v1/handling-units/{xuhui_unit.pk}/", {"name": "改名"}, format="json"
    )
    assert response.status_code == 403
    xuhui_unit.refresh_from_db()
    assert xuhui_unit.name == "区教育局"


def test_member_without_directory_permission_is_forbidden(api_client, xuhui):
    from members.tests.factories import UserFactory

    api_client.force_login(UserFactory(committee=xuhui, roles=["member"]))
    assert api_client.get("/api/v1/handling-units/").status_code == 403


def test_me_describes_the_token(xuhui_api, xuhui):
    body = xuhui_api.get("/api/v1/me/").json()
    assert body["roles"] == ["district_office"]
    assert body["readable_committees"] == [xuhui.pk] == body["writable_committees"]


@pytest.mark.parametrize(
    ("url", "make_rows"),
    [
        ("/api/v1/handling-units/", lambda c, n: HandlingUnitFactory.create_batch(n, committee=c)),
        ("/api/v1/terms/", lambda c, n: TermFactory.create_batch(n, committee=c)),
        (
            "/api/v1/sessions/",
            lambda c, n: PlenarySessionFactory.create_batch(n, term=TermFactory(committee=c)),
        ),
    ],
)
def test_list_query_count_is_constant(
    xuhui_api, xuhui, url, make_rows, assert_constant_list_queries
):
    assert_constant_list_queries(xuhui_api, url, make_rows, xuhui)


def test_sessions_filter_by_committee_and_year(xuhui_api, xuhui):
    term = TermFactory(committee=xuhui, number=14)
    PlenarySessionFactory(term=term, number=2)
    PlenarySessionFactory(term=term, number=3)
    rows = xuhui_api.get("/api/v1/sessions/?year=2023").json()["results"]
    assert [row["title"] for row in rows] == ["十四届二次会议"]


def test_schema_and_offline_docs(api_client):
    schema = api_client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/handling-units/" in schema.content
    docs = api_client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "https://" not in html
