"""The API's scoped parts: the base viewset, the id field that resolves ids within the caller's
committees, the model serializer that also cleans names and titles (core.text), shows every
record's created and updated times and reads and renders `.values()` rows with their parts
(ValuesReadMixin), and the runner of workflow acts. Errors and pagination are in core.rest."""

import contextlib
import copy
from typing import Any, NamedTuple

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from rest_framework import ISO_8601, exceptions, permissions, relations, serializers, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings

from core.models import Stamped
from core.scoping import (
    can_write,
    committee_id_of,
    linkable,
    readable,
    readable_or_linkable,
    writable,
)
from core.text import Kind, normalise

_SCOPES = {
    "writable": writable,
    "linkable": linkable,
    "readable": readable,
    "readable_or_linkable": readable_or_linkable,
}


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id from the request, resolved within what the caller may write (or, with
    scope="linkable", their committee and those above it): another committee's id is answered
    like an id that does not exist."""

    def __init__(self, *, scope: str = "writable", **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        assert queryset is not None, "a scoped id field needs a queryset"
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return _SCOPES[self.scope](queryset, user)


class CleanCharField(serializers.CharField):
    """A model's `text_fields` entry in the API: normalised, or refused with a 400 naming it."""

    def __init__(self, *, kind: Kind, **kwargs):
        self.kind = kind
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return normalise(value, kind=self.kind, field=self.label or self.field_name)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error


class LabelField(serializers.CharField):
    """A choice's label in the active language, read from a dict built once per serializer and
    language: get_FOO_display per row rebuilds the field's choices on every call."""

    def __init__(self, *, choices, **kwargs):
        super().__init__(read_only=True, **kwargs)
        self.choices = choices
        self.labels: dict[str, dict] = {}

    def to_representation(self, value):
        language = get_language()
        if language not in self.labels:
            self.labels[language] = {key: str(label) for key, label in self.choices}
        return self.labels[language].get(value, value)


STAMPS = ("created_at", "updated_at")
_BUILT_FIELDS: dict[type, list] = {}
_READINGS: dict[tuple, "_Reading"] = {}
_STEPS: dict[type, tuple] = {}


class _Reading(NamedTuple):
    names: list[str]
    dotted: dict[str, models.F]
    parts: list[tuple[str, models.ForeignKey, type["ScopedModelSerializer"]]]


def _has_parts(field) -> bool:
    """A nested serializer, a list of ids or any field holding fields of its own (bound to it):
    copied deeply, parts and all."""
    return isinstance(field, serializers.BaseSerializer) or any(
        hasattr(field, part) for part in ("child", "child_relation")
    )


class ScopedModelSerializer(serializers.ModelSerializer):
    """A model serializer whose every foreign-key and many-to-many id is a scoped field, and whose
    names and titles (the model's `text_fields`) are cleaned by core.text.
    `linkable_fields` name the ids that may point to the committees above the caller's.
    A stamped record (core.models.Stamped) always shows its created_at and updated_at."""

    serializer_related_field = ScopedPrimaryKeyRelatedField
    linkable_fields: tuple[str, ...] = ()

    def get_fields(self):
        """DRF's fields of the class, built from the model once per class and copied for each
        serializer (as DRF copies the declared ones): building them was a sixth of a detail's
        time. A field without parts is copied shallowly (binding sets the copy's own attributes;
        the built one is never bound nor changed), others deeply: DRF's deep copy re-creates
        each field from its arguments, querysets and choices included, a tenth of a list page's
        time. Nothing here depends on the request; a serializer scoping its ids per caller sets
        them on its copies (DraftSerializer)."""
        built = _BUILT_FIELDS.get(type(self))
        if built is None:
            built = _BUILT_FIELDS[type(self)] = [
                (name, field, copy.deepcopy if _has_parts(field) else copy.copy)
                for name, field in super().get_fields().items()
            ]
        return {name: copied(field) for name, field, copied in built}

    def get_field_names(self, declared_fields, info):
        names = list(super().get_field_names(declared_fields, info))
        if issubclass(self.Meta.model, Stamped) and "id" in names:
            names += [name for name in STAMPS if name not in names]
        return names

    def build_relational_field(self, field_name, relation_info):
        field_class, kwargs = super().build_relational_field(field_name, relation_info)
        if field_class is ScopedPrimaryKeyRelatedField and field_name in self.linkable_fields:
            kwargs["scope"] = "linkable"
        return field_class, kwargs

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        kind = getattr(self.Meta.model, "text_fields", {}).get(field_name)
        if kind is not None and issubclass(field_class, serializers.CharField):
            field_class, kwargs["kind"] = CleanCharField, kind
        return field_class, kwargs

    def to_representation(self, instance):
        """DRF's output, field for field, with the model's own columns read directly: a
        column's value (a foreign key's id) by `getattr` and its field's `to_representation`;
        other fields (nested, computed, annotated, sources with dots) as DRF reads them. DRF's
        generic `get_attribute` per field and row was a third of a 50-row list's time. A dict
        is a row of `values()` or `read()`: see _render."""
        if isinstance(instance, dict):
            return _render(type(self), instance, self, timezone.get_current_timezone())
        if not isinstance(instance, self.Meta.model):
            return super().to_representation(instance)
        plan = self.__dict__.get("_plan")
        if plan is None:
            plan = self._plan = [self._read_plan(field) for field in self._readable_fields]
        ret = {}
        for name, attname, convert, field in plan:
            if attname is None:
                try:
                    attribute = field.get_attribute(instance)
                except serializers.SkipField:
                    continue
                pk_only = isinstance(attribute, relations.PKOnlyObject)
                check = attribute.pk if pk_only else attribute
                ret[name] = None if check is None else field.to_representation(attribute)
                continue
            value = getattr(instance, attname)
            ret[name] = value if value is None or convert is None else convert(value)
        return ret

    @classmethod
    def _steps(cls) -> tuple[list["_Step"], "ScopedModelSerializer"]:
        """How a row is rendered, worked out once per class on a prototype of the serializer
        (returned too): DRF copies and binds every field of a serializer, and of each nested
        one, for every response — with four nested lists, a detail's serializing cost a third
        of what reading its six tables cost. The prototype's fields convert the values; a
        part's method fields are the prototype's, called without a request in their context."""
        cached = _STEPS.get(cls)
        if cached is None:
            prototype = cls()
            steps = []
            for name, attname, convert, field in map(
                prototype._read_plan, prototype._readable_fields
            ):
                child = getattr(field, "child", None)
                if isinstance(child, ScopedModelSerializer):
                    steps.append(_Step(name, field.source, _PART, field, type(child)))
                elif convert is not None and getattr(convert, "iso_datetime", False):
                    steps.append(_Step(name, field.source, _DATETIME, field, None))
                elif attname is not None and convert is None:
                    steps.append(_Step(name, field.source, None, field, None))  # an id
                else:
                    steps.append(_Step(name, field.source, field.to_representation, field, None))
            cached = _STEPS[cls] = (steps, prototype)
        return cached

    @classmethod
    def _reading(cls, annotations: frozenset) -> "_Reading":
        """How `.values()` reads this serializer's rows off a queryset with these annotations:
        the sources of its fields that are the model's own columns (ids for foreign keys) or
        annotations; dotted sources (`unit.name`) as expressions under their own name; nested
        lists of a reverse relation as parts read by their own serializer. Other fields
        (computed) are left to DRF's reading of the row."""
        key = (cls, annotations)
        reading = _READINGS.get(key)
        if reading is None:
            serializer = cls._steps()[1]
            names, dotted, parts = [], {}, []
            for _name, attname, _convert, field in map(
                serializer._read_plan, serializer._readable_fields
            ):
                child = getattr(field, "child", None)
                if attname is not None or field.source in annotations:
                    names.append(field.source)
                elif isinstance(child, ScopedModelSerializer):
                    model: type[models.Model] = cls.Meta.model
                    relation = model._meta.get_field(field.source)
                    assert isinstance(relation, models.ManyToOneRel), f"{field.source}: no part"
                    parts.append((field.source, relation.field, type(child)))
                elif "." in field.source and not isinstance(field, serializers.BaseSerializer):
                    dotted[field.source] = models.F(field.source.replace(".", "__"))
            reading = _READINGS[key] = _Reading(list(dict.fromkeys(names)), dotted, parts)
        return reading

    @classmethod
    def values(cls, queryset: models.QuerySet) -> models.QuerySet:
        """The queryset as this serializer's rows (ValuesListMixin): no model instances."""
        names, dotted, parts = cls._reading(frozenset(queryset.query.annotations))
        assert not parts, f"{cls.__name__}: parts are read by read(), not in a lazy list"
        return queryset.values(*names, **dotted)

    @classmethod
    def read(cls, queryset: models.QuerySet, *, keep: str | None = None) -> list[dict]:
        """The queryset's rows with their parts (each nested list in one query over the rows'
        ids, in its model's order), ready for this serializer: what prefetching would read,
        without building a model instance per row. `keep` also reads that column (a part's
        link to its parent)."""
        names, dotted, parts = cls._reading(frozenset(queryset.query.annotations))
        if keep is not None and keep not in names:
            names = [*names, keep]
        rows = list(queryset.values(*names, **dotted))
        if parts and rows:
            by_id = {row["id"]: row for row in rows}
            for source, link, serializer_class in parts:
                for row in rows:
                    row[source] = []
                children = link.model._default_manager.filter(**{f"{link.name}__in": list(by_id)})
                for child in serializer_class.read(children, keep=link.name):
                    by_id[child[link.name]][source].append(child)
        return rows

    def _read_plan(self, field):
        """(name, the column's attribute or None for DRF's own reading, the conversion or None
        for the value itself, the field)."""
        model: type[models.Model] = self.Meta.model
        try:
            column = model._meta.get_field(field.source)
        except (FieldDoesNotExist, TypeError):
            return field.field_name, None, None, field
        if not column.concrete or column.many_to_many or "." in field.source:
            return field.field_name, None, None, field
        if column.is_relation:
            if type(field) is ScopedPrimaryKeyRelatedField and field.pk_field is None:
                return field.field_name, column.attname, None, field
            return field.field_name, None, None, field
        if isinstance(field, serializers.RelatedField | serializers.Serializer):
            return field.field_name, None, None, field
        if isinstance(field, serializers.DateTimeField):
            # The request's time zone, looked up once rather than for every value (DRF's
            # default_timezone per value was half the time of a list's date-times).
            zone = field.default_timezone()
            iso = getattr(field, "format", api_settings.DATETIME_FORMAT) == ISO_8601
            if zone is not None and iso and getattr(field, "timezone", None) is None:
                return field.field_name, column.attname, _iso_datetime(zone), field
        return field.field_name, column.attname, field.to_representation, field


def _iso_datetime(zone):
    """DRF's ISO 8601 output of a stored (aware) date-time in `zone`, without its per-value
    settings and time-zone lookups."""

    def convert(value):
        return _iso(value, zone)

    convert.iso_datetime = True  # type: ignore[attr-defined]  # in the request's zone: _render
    return convert


def _iso(value, zone) -> str:
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text  # DRF's rule for UTC


_PART, _DATETIME = object(), object()


class _Step(NamedTuple):
    name: str
    key: str  # the value's name in the row: the field's source
    convert: Any  # of a value present and not None: a function, _PART, _DATETIME or None
    field: serializers.Field  # the prototype's
    part: Any  # for _PART: the part's serializer class


def _render(cls: type[ScopedModelSerializer], row: dict, serializer, zone) -> dict:
    """`serializer`'s output (of class `cls`) for a row of `values()` or `read()`: each value
    under its field's source, a part as a list of rows. A value not in the row is computed as
    DRF computes it (a method field calls `serializer`'s method: the prototype's for a part).
    Date-times in ISO 8601 as DRF writes them, in `zone` (fields naming a zone or another
    format are converted by DRF)."""
    ret = {}
    for name, key, convert, field, part in cls._steps()[0]:
        if key not in row:
            if isinstance(field, serializers.SerializerMethodField):
                ret[name] = getattr(serializer, field.method_name)(row)
            else:
                with contextlib.suppress(serializers.SkipField):
                    ret[name] = field.to_representation(field.get_attribute(row))
            continue
        value = row[key]
        if value is None or convert is None:
            ret[name] = value
        elif convert is _PART:
            prototype = part._steps()[1]
            ret[name] = [_render(part, child, prototype, zone) for child in value]
        elif convert is _DATETIME:
            ret[name] = _iso(value, zone)
        else:
            ret[name] = convert(value)
    return ret


def row_data(serializer: serializers.BaseSerializer) -> dict:
    """A row's output as a plain dict, not tied to its serializer: DRF's browsable API fills
    its edit forms from the serializer's instance, with the view's other serializers (a draft's
    input), which a row is not."""
    return dict(serializer.data)


class ValuesReadMixin(viewsets.GenericViewSet):
    """A viewset whose list and detail read `.values()` rows of its serializer
    (ScopedModelSerializer.values and .read) rather than model instances: building fifty
    instances and reading them back was a fifth of a list page's time. The serializer's output
    is the same; a list serializer has no parts, and its computed fields read the row (a
    dict). Other actions (changes, workflow acts) get model instances as usual."""

    def paginate_queryset(self, queryset):
        serializer_class = self.get_serializer_class()
        if getattr(self, "action", None) == "list":
            assert issubclass(serializer_class, ScopedModelSerializer)
            queryset = serializer_class.values(queryset)
        return super().paginate_queryset(queryset)

    def retrieve(self, request, *args, **kwargs):
        serializer_class = self.get_serializer_class()
        assert issubclass(serializer_class, ScopedModelSerializer)
        lookup = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        try:  # as DRF's get_object: a malformed id is an id that does not exist
            queryset = (
                self.filter_queryset(self.get_queryset())
                .filter(**{self.lookup_field: lookup})
                .order_by()
            )
        except (TypeError, ValueError, DjangoValidationError) as error:
            raise Http404 from error
        rows = serializer_class.read(queryset)
        if len(rows) != 1:
            raise Http404
        self.check_object_permissions(request, rows[0])
        return Response(row_data(self.get_serializer(rows[0])))


def refuse_missing_method(request, view) -> None:
    """405 (with Allow) for a method the view has no handler for — before any permission check,
    so that a DELETE on a read-only resource is not answered 403 as if it existed."""
    method = request.method.lower()
    if method not in view.http_method_names or not hasattr(view, method):
        raise exceptions.MethodNotAllowed(request.method)


class ModelPermissions(permissions.DjangoModelPermissions):
    """Model permissions of the user's roles, reads included (view_<model>). A method the view
    does not have answers 405, not 403."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request, view):
        refuse_missing_method(request, view)
        return super().has_permission(request, view)


class CommitteeScopedViewSet(viewsets.GenericViewSet):
    """Reads are limited to the committees the user may read (others answer 404); writes to the
    committees the user may write (a municipal user reading a district's record gets 403 when
    changing it). The model's `committee_path` says how a row reaches its committee."""

    permission_classes = [permissions.IsAuthenticated, ModelPermissions]

    def get_queryset(self):
        return readable(super().get_queryset(), self.request.user)

    def check_permissions(self, request):
        refuse_missing_method(request, self)
        super().check_permissions(request)

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, obj)
        if request.method not in permissions.SAFE_METHODS and not can_write(
            request.user, committee_id_of(obj)
        ):
            raise exceptions.PermissionDenied(_("只能修改本政协的数据。"))


def run_act(view, request, act, body_class=None):
    """Validate the POST body with `body_class` (its ids scoped to the caller), then run the
    workflow act on the view's object as the caller; return what the act returned."""
    obj = view.get_object()
    data = {}
    if body_class is not None:
        body = body_class(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
    return act(obj, by=request.user, **data)
