"""Who may read the OpenAPI schema and the docs page: everyone in development and demo mode; in
production a signed-in user or a valid token only (an anonymous browser is sent to log in)."""

import pytest
from rest_framework.test import APIClient

from core.roles import Role
from members.tests.factories import UserFactory


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.DEMO_MODE = False


@pytest.mark.parametrize(("debug", "demo"), [(True, False), (False, True)])
def test_open_in_development_and_demo_mode(db, settings, debug, demo):
    settings.DEBUG, settings.DEMO_MODE = debug, demo
    client = APIClient()
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/api/docs/?script=").status_code == 200


def test_closed_to_anonymous_callers_in_production(db, production):
    client = APIClient()
    schema = client.get("/api/schema/")
    assert schema.status_code == 401
    assert schema.json()["code"] == "not_authenticated"
    assert b"/api/v1/" not in schema.content
    for url in ("/api/docs/", "/api/docs/?script="):
        docs = client.get(url)
        assert docs.status_code == 302
        assert docs["Location"].startswith("/login/?next=/api/docs/")


def test_a_wrong_token_is_refused_in_production(db, production):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-valid-token")
    assert client.get("/api/schema/").status_code == 401


def test_open_to_a_token_and_a_signed_in_user_in_production(xuhui_api, xuhui, production):
    schema = xuhui_api.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/handling-units/" in schema.content
    member = UserFactory(committee=xuhui, roles=[Role.MEMBER])
    client = APIClient()
    client.force_login(member)
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert "swagger-ui" in docs.content.decode()
