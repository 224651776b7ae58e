"""Scoping that no door can forget: every admin model and every API route, walked.

Two districts of Shanghai each get a row of every model (tests/world.py). A Xuhui user holding
every staff role, the Xuhui district office's token and a plain Xuhui member then try every
admin page and every API route: Huangpu's rows must be invisible (404), absent from lists and
from every choice, and not writable; a member sees nothing that is not theirs. A model or route
added later is walked too, so forgetting its scope fails here.
"""

import pytest
from django.contrib import admin
from django.forms import ModelChoiceField
from django.urls import reverse
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField, RelatedField
from rest_framework.test import APIClient, APIRequestFactory

from core.api import ScopedPrimaryKeyRelatedField
from core.roles import Role
from core.scoping import committee_id_of, committee_path
from cppcc_portal.urls import router
from members.tests.factories import UserFactory
from tests.world import ALL_ROLES, World, our_models

pytestmark = pytest.mark.django_db


def _scoped_models():
    return [m for m in our_models() if committee_path(m) != ""]


def test_every_model_has_a_row_in_each_world(worlds):
    """The world really covers every model (else the walks below would prove nothing)."""
    xuhui, huangpu = worlds
    for model in _scoped_models():
        assert committee_id_of(xuhui[model]) == xuhui.committee.pk, model
        assert committee_id_of(huangpu[model]) == huangpu.committee.pk, model


# --- The admin ----------------------------------------------------------------------------------


def _admin_models():
    return [m for m in admin.site._registry if m in set(_scoped_models())]


def _choice_fields(form):
    for name, field in form.base_fields.items():
        if isinstance(field, ModelChoiceField):
            yield name, field


def _assert_no_foreign_choices(form, other: World, where: str, parent_link: str = ""):
    for name, field in _choice_fields(form):
        if name == parent_link:  # an inline's link to the row it belongs to
            continue
        model = field.queryset.model
        if committee_path(model) == "" or model not in other.rows:
            continue
        assert not field.queryset.filter(pk=other.rows[model].pk).exists(), (
            f"{where}: field {name} offers another district's {model.__name__}"
        )


@pytest.mark.parametrize("model", _admin_models(), ids=lambda m: m._meta.label)
def test_admin_keeps_other_districts_out(model, worlds, world_staff, client, rf):
    xuhui, huangpu = worlds
    model_admin = admin.site._registry[model]
    theirs, ours = huangpu[model], xuhui[model]
    client.force_login(world_staff)
    info = model._meta.app_label, model._meta.model_name

    listed = client.get(reverse("admin:{}_{}_changelist".format(*info)))
    assert listed.status_code in (200, 403)
    if listed.status_code == 200:
        shown = {row.pk for row in listed.context["cl"].result_list}
        assert theirs.pk not in shown

    for view in ("change", "history", "delete"):
        url = reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[theirs.pk])
        assert client.get(url).status_code in (403, 404), f"GET {view} of another district's row"
    before = model._default_manager.filter(pk=theirs.pk).values().get()
    posted = client.post(reverse("admin:{}_{}_change".format(*info), args=[theirs.pk]), {})
    assert posted.status_code in (403, 404)
    assert model._default_manager.filter(pk=theirs.pk).values().get() == before

    request = rf.get("/")
    request.user = world_staff
    for obj in (None, ours):
        where = f"{model.__name__} {'add' if obj is None else 'change'} form"
        if (obj is None and model_admin.has_add_permission(request)) or (
            obj is not None and model_admin.has_change_permission(request, obj)
        ):
            form = model_admin.get_form(request, obj)
            _assert_no_foreign_choices(form, huangpu, where)
        for inline in model_admin.get_inline_instances(request, obj):
            formset = inline.get_formset(request, obj)
            _assert_no_foreign_choices(
                formset.form, huangpu, f"{where}, inline {inline}", formset.fk.name
            )


@pytest.mark.parametrize("model", _admin_models(), ids=lambda m: m._meta.label)
def test_admin_municipal_staff_read_districts_without_changing_them(model, worlds, rf):
    xuhui, _huangpu = worlds
    shanghai = xuhui.committee.parent
    user = UserFactory(username="meta_sh", committee=shanghai, is_staff=True, roles=ALL_ROLES)
    request = rf.get("/")
    request.user = user
    model_admin = admin.site._registry[model]
    row = xuhui[model]
    if model_admin.has_view_permission(request):
        assert model_admin.get_queryset(request).filter(pk=row.pk).exists()
    assert not model_admin.has_change_permission(request, row)
    assert not model_admin.has_delete_permission(request, row)


# --- The API ------------------------------------------------------------------------------------


def _routes():
    return [(prefix, viewset) for prefix, viewset, _basename in router.registry]


def _rows_of(body) -> list[dict]:
    if isinstance(body, dict) and "results" in body:
        return body["results"]
    return body if isinstance(body, list) else []


@pytest.mark.parametrize(("prefix", "viewset"), _routes(), ids=[p for p, _v in _routes()])
def test_api_keeps_other_districts_out(prefix, viewset, worlds, world_token, world_staff):
    _xuhui, huangpu = worlds
    model = viewset.queryset.model
    theirs = huangpu[model]
    staff = APIClient()
    staff.force_authenticate(world_staff)
    for api in (world_token, staff):
        listed = api.get(f"/api/v1/{prefix}/", {"page_size": 100})
        assert listed.status_code in (200, 403, 404, 405), listed.content
        if listed.status_code == 200:
            assert theirs.pk not in {row.get("id") for row in _rows_of(listed.json())}
        detail = f"/api/v1/{prefix}/{theirs.pk}/"
        for method in ("get", "patch", "put", "delete"):
            answer = getattr(api, method)(detail, {}, format="json")
            assert answer.status_code in (403, 404, 405), f"{method.upper()} {detail}"
        for name in _detail_actions(viewset):
            answer = api.post(f"{detail}{name}/", {}, format="json")
            assert answer.status_code in (403, 404, 405), f"POST {detail}{name}/"
    assert model._default_manager.filter(pk=theirs.pk).exists()


def _detail_actions(viewset) -> list[str]:
    return [
        action.url_path
        for action in viewset.get_extra_actions()
        if action.detail and "post" in action.mapping
    ]


@pytest.mark.parametrize(("prefix", "viewset"), _routes(), ids=[p for p, _v in _routes()])
def test_api_refuses_other_districts_ids(prefix, viewset, worlds, world_token):
    """Every id a create accepts is resolved within Xuhui: a Huangpu id is a field error."""
    _xuhui, huangpu = worlds
    if "post" not in viewset.http_method_names or not hasattr(viewset, "create"):
        return
    serializer = _serializer(viewset, "create")
    for name, field in serializer.fields.items():
        related = field.child_relation if isinstance(field, ManyRelatedField) else field
        if field.read_only or not isinstance(related, RelatedField):
            continue
        model = related.queryset.model
        if committee_path(model) == "":
            continue
        foreign = huangpu[model].pk
        payload = {name: [foreign] if isinstance(field, ManyRelatedField) else foreign}
        answer = world_token.post(f"/api/v1/{prefix}/", payload, format="json")
        if answer.status_code in (403, 405):
            continue
        assert answer.status_code == 400, f"{prefix}.{name}: {answer.status_code}"
        assert name in answer.json().get("fields", {}), f"{prefix}.{name}: {answer.json()}"


@pytest.mark.parametrize(("prefix", "viewset"), _routes(), ids=[p for p, _v in _routes()])
def test_api_member_sees_only_their_own(prefix, viewset, worlds):
    """A plain member who owns nothing in the world sees none of its rows."""
    xuhui, _huangpu = worlds
    member = UserFactory(username="meta_member", committee=xuhui.committee, roles=[Role.MEMBER])
    api = APIClient()
    api.force_authenticate(member)
    listed = api.get(f"/api/v1/{prefix}/")
    assert listed.status_code in (200, 403, 404, 405)  # 404, 405: a route without a list
    if listed.status_code == 200:
        assert _rows_of(listed.json()) == [], f"{prefix} shows a member others' rows"
    model = viewset.queryset.model
    answer = api.get(f"/api/v1/{prefix}/{xuhui[model].pk}/")
    assert answer.status_code in (403, 404)


# --- Every id field of every serializer is scoped -----------------------------------------------


def _serializer(viewset, action):
    request = APIRequestFactory().post("/")
    request.user = UserFactory(username="meta_anonymous_like")
    view = viewset(action=action, request=request, format_kwarg=None, kwargs={})
    return view.get_serializer_class()(context={"request": request, "view": view})


def _walk(serializer, path=""):
    for name, field in serializer.fields.items():
        here = f"{path}{name}"
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.Serializer):
            yield from _walk(field, f"{here}.")
            continue
        yield here, field


def _body_serializers():
    """Every serializer class our API modules define (request bodies included)."""
    import importlib

    from django.conf import settings

    found = set()
    for label in settings.PROJECT_APPS:
        if label == "core":  # the kernel's bases, not serializers of their own
            continue
        try:
            module = importlib.import_module(f"{label}.api")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, serializers.Serializer)
                and value.__module__ == module.__name__
            ):
                found.add(value)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


@pytest.mark.parametrize("serializer_class", _body_serializers(), ids=lambda c: c.__qualname__)
def test_every_accepted_id_is_scoped(serializer_class, db):
    request = APIRequestFactory().post("/")
    request.user = UserFactory(username="meta_reader")
    serializer = serializer_class(context={"request": request})
    for name, field in _walk(serializer):
        related = field.child_relation if isinstance(field, ManyRelatedField) else field
        if field.read_only or not isinstance(related, RelatedField):
            continue
        assert isinstance(related, ScopedPrimaryKeyRelatedField), (
            f"{serializer_class.__qualname__}.{name} accepts ids without scoping them"
        )


@pytest.mark.parametrize("model", _admin_models(), ids=lambda m: m._meta.label)
def test_admin_history_pages_of_own_rows_open(model, worlds, world_staff, client):
    """Models without a history table fall back to Django's log-based page (no crash)."""
    row = worlds[0][model]
    client.force_login(world_staff)
    info = model._meta.app_label, model._meta.model_name
    page = client.get(reverse(f"admin:{info[0]}_{info[1]}_history", args=[row.pk]))
    assert page.status_code in (200, 403)
