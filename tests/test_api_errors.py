"""One error taxonomy for the whole API: every /api/ answer is JSON `{"code", "message",
"fields"?}` — unknown routes, methods a resource does not have, invalid query parameters and
page sizes included — and its messages follow the caller's Accept-Language."""

import ast
import gettext
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import Http404
from django.test import RequestFactory
from django.urls import get_resolver
from rest_framework.test import APIClient

from core.roles import Role
from cppcc_portal.urls import router
from members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _assert_error(response, status: int, code: str):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert body["code"] == code, body
    assert isinstance(body["message"], str) and body["message"], body
    return body


# --- Unknown routes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing/",
        "/api/v1/nothing/at/all/",
        "/api/v1/statistics/1/abc/",
        "/api/v1/proposals/abc/",
        "/api/nothing/",
        "/api/",
    ],
)
def test_unknown_api_routes_answer_json_404(path, xuhui_api):
    _assert_error(xuhui_api.get(path), 404, "not_found")


def test_unknown_api_route_answers_json_404_without_credentials(api_client):
    _assert_error(api_client.get("/api/v1/nothing/"), 404, "not_found")
    _assert_error(api_client.post("/api/v1/nothing/", {}), 404, "not_found")


def test_a_known_route_without_its_slash_still_redirects(xuhui_api):
    response = xuhui_api.get("/api/v1/committees")
    assert response.status_code == 301
    assert response["Location"].endswith("/api/v1/committees/")


def test_pages_keep_their_html_404(client):
    response = client.get("/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_not_found_handler_answers_json_for_the_api_only(settings, client, xuhui_api):
    """Without DEBUG, Django's 404 handler speaks JSON under /api/ and HTML elsewhere."""
    settings.DEBUG = False
    handler = get_resolver().resolve_error_handler(404)
    api = handler(RequestFactory().get("/api/v1/anything/"), Http404())
    assert api.status_code == 404
    assert json.loads(api.content)["code"] == "not_found"
    page = handler(RequestFactory().get("/anything/"), Http404())
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")
    _assert_error(xuhui_api.get("/api/v1/statistics/1/abc/"), 404, "not_found")
    assert client.get("/nothing-here/")["Content-Type"].startswith("text/html")


def test_server_error_handler_answers_json_for_the_api():
    handler = get_resolver().resolve_error_handler(500)
    api = handler(RequestFactory().get("/api/v1/proposals/"))
    assert api.status_code == 500
    assert api["Content-Type"].startswith("application/json")
    assert json.loads(api.content)["code"] == "server_error"


# --- Methods a resource does not have -----------------------------------------------------------

WRITE_METHODS = ("post", "put", "patch", "delete")


def _routes():
    return [(prefix, viewset) for prefix, viewset, _basename in router.registry]


@pytest.mark.parametrize(("prefix", "viewset"), _routes(), ids=[p for p, _v in _routes()])
def test_methods_a_resource_lacks_answer_405_with_allow(prefix, viewset, xuhui_api):
    """405 comes before the permission check: a DELETE on a read-only resource is not a 403."""
    list_methods = set(_list_mapping(viewset))
    detail_methods = set(_detail_mapping(viewset))
    urls = [(f"/api/v1/{prefix}/1/", detail_methods)]
    if list_methods:  # a route without list or create has no list URL at all
        urls.append((f"/api/v1/{prefix}/", list_methods))
    for url, have in urls:
        for method in WRITE_METHODS:
            if method in have:
                continue
            response = getattr(xuhui_api, method)(url, {}, format="json")
            _assert_error(response, 405, "method_not_allowed")
            allowed = {m.strip().lower() for m in response["Allow"].split(",")}
            assert method not in allowed
            assert allowed >= have


def _list_mapping(viewset):
    return {m: a for m, a in {"get": "list", "post": "create"}.items() if hasattr(viewset, a)}


def _detail_mapping(viewset):
    names = {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
    return {m: a for m, a in names.items() if hasattr(viewset, a)}


def test_delete_on_a_read_only_resource_is_405_not_403(xuhui_api, xuhui):
    response = xuhui_api.delete(f"/api/v1/committees/{xuhui.pk}/")
    _assert_error(response, 405, "method_not_allowed")
    assert "DELETE" not in response["Allow"]
    assert "GET" in response["Allow"]


# --- Invalid query parameters -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/proposals/?state=bogus", "state"),
        ("/api/v1/proposals/?committee=abc", "committee"),
        ("/api/v1/proposals/?year=abc", "year"),
        ("/api/v1/consultation-meetings/?year=abc", "year"),
        ("/api/v1/seats/?status=bogus", "status"),
        ("/api/v1/handling-units/?committee=abc", "committee"),
        ("/api/v1/assignments/?overdue=maybe", "overdue"),
        ("/api/v1/activities/?held_after=yesterday", "held_after"),
        ("/api/v1/committees/?ordering=secret", "ordering"),
        ("/api/v1/committees/?ordering=name,-secret", "ordering"),
        ("/api/v1/proposals/?cursor=garbage", "cursor"),
    ],
)
def test_invalid_filters_answer_400_naming_the_parameter(url, field, xuhui_api):
    body = _assert_error(xuhui_api.get(url), 400, "invalid")
    assert field in body["fields"], body


@pytest.mark.parametrize("value", ["0", "-1", "abc", "1000", "101", "2.5"])
@pytest.mark.parametrize("prefix", ["committees", "handling-units", "proposals", "assignments"])
def test_bad_page_sizes_answer_400(prefix, value, xuhui_api):
    body = _assert_error(xuhui_api.get(f"/api/v1/{prefix}/?page_size={value}"), 400, "invalid")
    assert "page_size" in body["fields"], body


@pytest.mark.parametrize("prefix", ["committees", "proposals"])
def test_good_page_sizes_are_honoured(prefix, xuhui_api):
    for value in ("1", "100"):
        assert xuhui_api.get(f"/api/v1/{prefix}/?page_size={value}").status_code == 200


def test_every_list_uses_the_one_strict_cursor_pagination():
    from core.rest import CursorPagination

    for prefix, viewset in _routes():
        assert viewset.pagination_class is CursorPagination, prefix


# --- Languages ----------------------------------------------------------------------------------


def test_api_errors_follow_accept_language(xuhui_api):
    for url in ("/api/v1/nothing/", "/api/v1/committees/999999/"):
        english = xuhui_api.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert not CJK.search(english.json()["message"]), english.json()
        assert "Accept-Language" in english["Vary"]
        chinese = xuhui_api.get(url)
        assert CJK.search(chinese.json()["message"]), chinese.json()
        assert "Accept-Language" in chinese["Vary"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/committees/?page_size=0",
        "/api/v1/proposals/?page_size=abc",
        "/api/v1/assignments/?overdue=maybe",
        "/api/v1/committees/?ordering=secret",
        "/api/v1/workstation-figures/?year=abc",
        "/api/v1/proposal-figures/",
        "/api/v1/consultation-figures/",
    ],
)
def test_errors_in_english(url, xuhui_api):
    answer = xuhui_api.get(url, HTTP_ACCEPT_LANGUAGE="en")
    body = _assert_error(answer, 400, "invalid")
    assert not CJK.search(str([body["message"], body.get("fields")])), body
    assert answer["Content-Language"] == "en"


def test_the_kernels_own_message_in_english(shanghai, xuhui_unit):
    """A municipal administrator may read a district's unit but not change it: the kernel's
    403 message comes back in English when asked for."""
    admin = UserFactory(username="sh_admin", committee=shanghai, roles=[Role.COMMITTEE_ADMIN])
    api = APIClient()
    api.force_authenticate(admin)
    url = f"/api/v1/handling-units/{xuhui_unit.pk}/"
    assert api.get(url).status_code == 200
    chinese = _assert_error(api.patch(url, {"name": "x"}, format="json"), 403, "permission_denied")
    english = _assert_error(
        api.patch(url, {"name": "x"}, format="json", HTTP_ACCEPT_LANGUAGE="en"),
        403,
        "permission_denied",
    )
    assert CJK.search(chinese["message"])
    assert not CJK.search(english["message"]), english


def test_pages_still_ignore_accept_language(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert page.wsgi_request.LANGUAGE_CODE == "zh-hans"


def _api_modules():
    return [*sorted(ROOT.glob("*/api.py")), ROOT / "core" / "rest.py"]


def _untranslated_literals(path: Path) -> list[str]:
    """Chinese string literals of a module that no gettext call wraps (docstrings aside)."""
    tree = ast.parse(path.read_text())
    wrapped, docstrings = set(), set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("_", "gettext", "gettext_lazy", "pgettext", "ngettext")
        ):
            for arg in node.args:
                wrapped.add(id(arg))
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            docstrings.add(id(body[0].value))
    return [
        f"{path.relative_to(ROOT)}:{node.lineno}: {node.value}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and CJK.search(node.value)
        and id(node) not in wrapped
        and id(node) not in docstrings
        and not _is_schema_text(node, tree)
    ]


def _is_schema_text(node, tree) -> bool:
    """Summaries of the schema (`summary="年度统计"`) are documentation, not messages."""
    return any(
        isinstance(parent, ast.keyword)
        and parent.arg in ("summary", "description")
        and parent.value is node
        for parent in ast.walk(tree)
    )


@pytest.mark.parametrize("path", _api_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_api_messages_are_wrapped_in_gettext(path):
    assert _untranslated_literals(path) == []


def test_api_messages_have_english_translations():
    """Every Chinese message of the API modules and the kernel's errors has an English
    translation in the compiled catalogue."""
    with (ROOT / "locale" / "en" / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        english = gettext.GNUTranslations(mo)
    missing = []
    for path in [*_api_modules(), ROOT / "core" / "api.py", ROOT / "core" / "errors.py"]:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "gettext", "gettext_lazy")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and CJK.search(node.args[0].value)
                and english.gettext(node.args[0].value) == node.args[0].value
            ):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.args[0].value}")
    assert missing == []


def test_boolean_filters_understand_1_0_and_true_false(xuhui_api, xuhui):
    """`?key=1` filters the proposals (django-filter's plain BooleanFilter took it for
    "unknown" and answered everything), as `?is_active=0` filters the units."""
    from members.tests.factories import HandlingUnitFactory
    from proposals.models import Proposal
    from tests.world import World

    proposal = World(xuhui)[Proposal]
    assert not proposal.is_key
    for yes, no in (("1", "0"), ("true", "false"), ("True", "False")):
        keys = xuhui_api.get(f"/api/v1/proposals/?key={yes}").json()["results"]
        others = xuhui_api.get(f"/api/v1/proposals/?key={no}").json()["results"]
        assert [row["id"] for row in keys] == [], yes
        assert [row["id"] for row in others] == [proposal.pk], no

    active = HandlingUnitFactory(committee=xuhui, is_active=True)
    retired = HandlingUnitFactory(committee=xuhui, is_active=False)
    for yes, no in (("1", "0"), ("true", "false"), ("True", "False")):
        rows = xuhui_api.get(f"/api/v1/handling-units/?is_active={no}").json()["results"]
        assert retired.pk in {row["id"] for row in rows}
        assert active.pk not in {row["id"] for row in rows}
        rows = xuhui_api.get(f"/api/v1/handling-units/?is_active={yes}").json()["results"]
        assert active.pk in {row["id"] for row in rows}
        assert retired.pk not in {row["id"] for row in rows}


def test_a_delete_another_record_still_refers_to_is_409_not_500(worlds, world_staff, client):
    """Found by the schema fuzzing: an activity that produced a piece of public-opinion
    information cannot be deleted — said as a conflict, not as a server error."""
    from opinions.models import Piece
    from workstations.models import Activity

    piece = worlds[0][Piece]
    assert piece.source_activity_id is not None
    client.force_login(world_staff)  # a liaison may delete a mistaken activity
    response = client.delete(f"/api/v1/activities/{piece.source_activity_id}/")
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "wrong_state"
    assert Activity.objects.filter(pk=piece.source_activity_id).exists()
