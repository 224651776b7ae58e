"""The OpenAPI schema is valid OpenAPI, documents the errors, and tells the truth: every GET
operation it lists is called on a small world of rows (tests/world.py: a row of every model,
plus rows whose optional links are empty) and each answer is validated against the operation's
response schema — strictly: a field the schema does not list, a null it does not allow or a
list it calls paginated that is not, fails here. A file download must answer one of the media
types it documents."""

import copy
import io
import re

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone
from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker
from openapi_spec_validator import validate as validate_spec
from rest_framework.test import APIClient

from core.roles import Role
from core.scoping import committee_path
from cppcc_portal.urls import router
from members.models import Level
from members.tests.factories import CommitteeFactory, UserFactory
from members.workflow import issue_api_token
from notifications.models import Notification
from tests.world import World, our_models

ALL_ROLES = [code for code in Role.labels if code not in (Role.MEMBER, Role.HANDLING_UNIT)]
SAFE = {"get", "head", "options"}


@pytest.fixture(scope="module")
def spec(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def _operations(spec):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


# --- The schema itself --------------------------------------------------------------------------


def test_the_schema_is_valid_openapi(spec):
    validate_spec(spec)


def test_every_operation_documents_its_errors(spec):
    assert set(spec["components"]["schemas"]["Error"]["properties"]) == {
        "code",
        "message",
        "fields",
    }
    for path, method, operation in _operations(spec):
        documented = set(operation["responses"])
        expected = {"401", "403", "404"}
        if method not in SAFE:
            expected |= {"400", "409"}
        if any(p["in"] == "query" for p in operation.get("parameters", [])):
            expected.add("400")
        assert expected <= documented, f"{method.upper()} {path}: {sorted(documented)}"
        for code in expected:
            response = operation["responses"][code]
            if "$ref" in response:
                response = spec["components"]["responses"][response["$ref"].split("/")[-1]]
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}, (path, method, code)


def _response_schema(spec, path, method="get", code="200"):
    return spec["paths"][path][method]["responses"][code]["content"]["application/json"]["schema"]


def _component(spec, schema):
    while "$ref" in schema or "allOf" in schema:
        if "allOf" in schema:
            schema = schema["allOf"][0]
            continue
        schema = spec["components"]["schemas"][schema["$ref"].split("/")[-1]]
    return schema


def test_history_is_documented_as_a_plain_list(spec):
    path = "/api/v1/proposals/{id}/history/"
    schema = _response_schema(spec, path)
    assert schema["type"] == "array"
    assert _component(spec, schema["items"])["properties"]["action"]
    parameters = {p["name"] for p in spec["paths"][path]["get"].get("parameters", [])}
    assert parameters == {"id"}


@pytest.mark.parametrize(
    ("component", "field"),
    [("Proposal", "lead_name"), ("ProposalDetail", "lead_name"), ("Reply", "rating")],
)
def test_optional_links_are_nullable(spec, component, field):
    assert spec["components"]["schemas"][component]["properties"][field].get("nullable")


def test_statistics_sections_are_typed(spec):
    statistics = _component(spec, _response_schema(spec, "/api/v1/statistics/{committee}/{year}/"))
    section = _component(spec, statistics["properties"]["sections"]["items"])
    assert set(section["properties"]) == {"key", "title", "figures", "breakdowns"}
    figure = _component(spec, section["properties"]["figures"]["items"])
    assert set(figure["properties"]) == {"key", "label", "unit", "value"}
    breakdown = _component(spec, section["properties"]["breakdowns"]["items"])
    item = _component(spec, breakdown["properties"]["items"]["items"])
    assert set(item["properties"]) == {"key", "label", "value"}


def test_figures_answers_are_objects(spec):
    for path in spec["paths"]:
        if path.endswith("-figures/") or path.endswith("/cadence/"):
            schema = _component(spec, _response_schema(spec, path))
            assert schema.get("type") in ("object", "array"), path


# --- Real answers against the schema ------------------------------------------------------------


def _strict(spec: dict) -> dict:
    """A copy of the schema in which no object accepts a property it does not list."""
    spec = copy.deepcopy(spec)

    def walk(node):
        if isinstance(node, dict):
            if "properties" in node and "additionalProperties" not in node:
                node["additionalProperties"] = False
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec["components"])
    return spec


def _validator(spec: dict, schema: dict):
    """A validator of `schema` whose `#/components/...` references resolve in the spec."""
    root = {"allOf": [schema], "components": spec["components"]}
    return OAS30ReadValidator(root, format_checker=oas30_format_checker)


@pytest.fixture
def world(db):
    shanghai = CommitteeFactory(
        level=Level.MUNICIPAL, region_code="310000", short_name="上海市政协"
    )
    xuhui = CommitteeFactory(parent=shanghai, region_code="310104", short_name="徐汇区政协")
    world = World(xuhui).build_all()
    _rows_with_empty_links(world)
    from yearbook.workflow import compute

    compute(xuhui, timezone.localdate().year)
    return world


def _rows_with_empty_links(world: World) -> None:
    """A second row of each model with every optional link empty (where the model's
    constraints allow it), so that the schema's nulls are exercised too."""
    for model in our_models():
        if committee_path(model) == "":
            continue
        nullable = [
            f.name
            for f in model._meta.concrete_fields
            if f.is_relation and f.null and f.related_model is not model
        ]
        if not nullable:
            continue
        try:
            with transaction.atomic():
                row = world._build(model)
        except IntegrityError:
            continue
        for name in nullable:
            try:
                with transaction.atomic():
                    model._default_manager.filter(pk=row.pk).update(**{name: None})
            except IntegrityError:
                continue
    # A collective proposal has no lead (the constraint wants both changes at once).
    from proposals.models import Proposal

    proposal = world._build(Proposal)
    Proposal.objects.filter(pk=proposal.pk).update(
        kind=Proposal.Kind.COLLECTIVE, lead=None, body_name="农工党区委"
    )


@pytest.fixture
def callers(world):
    """The district office's token and a Xuhui staff session holding every staff role."""
    staff = UserFactory(
        username="schema_staff", committee=world.committee, is_staff=True, roles=ALL_ROLES
    )
    _token, key = issue_api_token(committee=world.committee, name="schema", by=staff)
    # The world's notification is the staff member's, so that /notifications/ has it to check.
    Notification.objects.filter(pk=world[Notification].pk).update(recipient=staff)
    token = APIClient()
    token.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    session = APIClient()
    session.force_login(staff)
    return token, session


def _models_by_prefix() -> dict[str, type]:
    return {prefix: viewset.queryset.model for prefix, viewset, _b in router.registry}


def _url_and_query(path: str, world: World) -> tuple[str, dict]:
    """The operation's path with real ids, and the query parameters it needs."""
    year = timezone.localdate().year
    committee = world.committee.pk
    models = _models_by_prefix()
    match = re.match(r"^/api/v1/([^/]+)/\{id\}/", path)
    url = path
    if match:
        url = path.replace("{id}", str(world[models[match.group(1)]].pk))
    url = url.replace("{committee}", str(committee)).replace("{year}", str(year))
    if match and "{attachment}" in url:  # the row's own attachment (related_name "attachments")
        owner = models[match.group(1)]
        attachment = world[owner._meta.get_field("attachments").related_model]
        url = url.replace("{attachment}", str(attachment.pk))
    query = {
        "/api/v1/exports/statistics.{fmt}": {"committee": committee, "year": year},
        "/api/v1/proposal-figures/": {"committee": committee, "year": year},
        "/api/v1/consultation-figures/": {"committee": committee, "year": year},
        "/api/v1/workstation-figures/": {"year": year},
    }.get(path, {})
    return url, query


def _rows(body):
    if isinstance(body, dict) and isinstance(body.get("results"), list):
        return body["results"]
    return body if isinstance(body, list) else None


def _store_world_files(world: World) -> None:
    """A stored file behind every file field of the world's rows (optional ones filled too)."""
    from django.core.files.storage import default_storage
    from django.db.models import FileField

    for row in world.rows.values():
        for field in row._meta.concrete_fields:
            if not isinstance(field, FileField):
                continue
            name = getattr(row, field.name).name or f"world/{field.name}-{row.pk}.pdf"
            type(row)._default_manager.filter(pk=row.pk).update(**{field.name: name})
            if not default_storage.exists(name):
                default_storage.save(name, io.BytesIO(b"%PDF-1.4\n"))


def test_every_get_operation_answers_what_the_schema_says(spec, world, callers, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _store_world_files(world)
    strict = _strict(spec)
    failures, empty = [], []
    for path, method, operation in _operations(strict):
        if method != "get":
            continue
        url, query = _url_and_query(path, world)
        for parameter in operation.get("parameters", []):  # a path choice: its first value
            if parameter["in"] == "path" and "enum" in parameter["schema"]:
                url = url.replace(f"{{{parameter['name']}}}", parameter["schema"]["enum"][0])
        content = operation["responses"]["200"]["content"]
        if "application/json" not in content:  # a file: one of the documented media types
            answers = [caller.get(url, query) for caller in callers]
            if not any(a.status_code == 200 and a["Content-Type"] in content for a in answers):
                failures.append(
                    f"GET {url}: {[(a.status_code, a.get('Content-Type')) for a in answers]}"
                )
            continue
        schema = content["application/json"]["schema"]
        answered = False
        for caller in callers:
            response = caller.get(
                url, {**query, "page_size": 100} if _paginated(operation) else query
            )
            if response.status_code != 200:
                continue
            body = response.json()
            rows = _rows(body)
            if rows == [] and caller is not callers[-1]:
                continue  # the staff session may see what the token does not
            answered = True
            errors = sorted(
                _validator(strict, schema).iter_errors(body), key=lambda e: list(e.path)
            )
            failures += [
                f"GET {url}: {'/'.join(map(str, e.path))}: {e.message[:200]}" for e in errors[:3]
            ]
            if rows == []:
                empty.append(url)
            break
        if not answered:
            failures.append(f"GET {url}: {response.status_code} {response.content[:200]!r}")
    assert failures == [], "\n".join(failures)
    assert empty == [], "\n".join(empty)


def _paginated(operation) -> bool:
    return any(p["name"] == "page_size" for p in operation.get("parameters", []))


def test_the_validation_is_strict(spec):
    """An undocumented property or a null the schema does not allow is reported (else the walk
    above would prove little)."""
    strict = _strict(spec)
    committee = {"$ref": "#/components/schemas/Committee"}
    row = {
        "id": 1,
        "name": "n",
        "short_name": "s",
        "level": "district",
        "level_display": "区",
        "parent": None,
        "region_code": "310104",
        "created_at": "2026-01-01T08:00:00+08:00",
        "updated_at": "2026-01-02T08:00:00+08:00",
    }
    assert list(_validator(strict, committee).iter_errors(row)) == []
    assert list(_validator(strict, committee).iter_errors({**row, "secret": 1}))
    assert list(_validator(strict, committee).iter_errors({**row, "name": None}))


def test_errors_answer_what_the_schema_says(spec, callers):
    token, _session = callers
    error = spec["components"]["schemas"]["Error"]
    strict = _strict(spec)
    for response in (
        token.get("/api/v1/committees/?page_size=0"),
        token.get("/api/v1/nothing/"),
        token.delete("/api/v1/committees/1/"),
        APIClient().get("/api/v1/committees/"),
    ):
        assert response.status_code >= 400
        errors = list(_validator(strict, error).iter_errors(response.json()))
        assert errors == [], (response.status_code, response.json())
