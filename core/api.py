"""The API's scoped parts: the base viewset, the id field that resolves ids within the caller's
committees, the model serializer that also cleans names and titles (core.text) and shows every
record's created and updated times, and the runner of workflow acts. Errors and pagination are
in core.rest."""

import contextlib
import copy

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from rest_framework import ISO_8601, exceptions, permissions, relations, serializers, viewsets
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
_ROW_NAMES: dict[tuple, list[str]] = {}
_COLUMNS: dict[type, list[str]] = {}


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
        is a `.values()` row (ValuesListMixin): each field's value under its source's name."""
        plan = self.__dict__.get("_plan")
        if plan is None:
            plan = self._plan = [self._read_plan(field) for field in self._readable_fields]
        if isinstance(instance, dict):
            return self._row_representation(instance, plan)
        if not isinstance(instance, self.Meta.model):
            return super().to_representation(instance)
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

    def _row_representation(self, row: dict, plan) -> dict:
        ret = {}
        for name, attname, convert, field in plan:
            if field.source not in row:  # not read by .values(): DRF's own reading
                with contextlib.suppress(serializers.SkipField):
                    ret[name] = field.to_representation(field.get_attribute(row))
                continue
            value = row[field.source]
            if value is None or (attname is not None and convert is None):
                ret[name] = value  # None, or an id
            else:
                ret[name] = (convert or field.to_representation)(value)
        return ret

    @classmethod
    def row_names(cls, queryset: models.QuerySet) -> list[str]:
        """What `.values()` reads for this serializer's rows: the sources of its fields that are
        the model's own columns read directly (ids for foreign keys) or the queryset's
        annotations. Other fields (nested, dotted, computed later) are left to DRF's reading."""
        annotations = frozenset(queryset.query.annotations)
        key = (cls, annotations)
        names = _ROW_NAMES.get(key)
        if names is None:
            serializer = cls()
            plan = [serializer._read_plan(field) for field in serializer._readable_fields]
            names = _ROW_NAMES[key] = [
                field.source
                for _name, attname, _convert, field in plan
                if attname is not None or field.source in annotations
            ]
        return names

    @classmethod
    def columns(cls) -> list[str]:
        """The model's columns this serializer reads directly, time stamps included: what a
        queryset for it may narrow to with `only()` (its nested, dotted and computed fields
        need their own)."""
        names = _COLUMNS.get(cls)
        if names is None:
            serializer = cls()
            plan = [serializer._read_plan(field) for field in serializer._readable_fields]
            names = _COLUMNS[cls] = list(
                dict.fromkeys(field.source for _n, attname, _c, field in plan if attname)
            )
        return names

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
            if zone is not None and iso:
                return field.field_name, column.attname, _iso_datetime(zone), field
        return field.field_name, column.attname, field.to_representation, field


def _iso_datetime(zone):
    """DRF's ISO 8601 output of a stored (aware) date-time in `zone`, without its per-value
    settings and time-zone lookups."""

    def convert(value):
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return convert


class ValuesListMixin(viewsets.GenericViewSet):
    """A viewset whose list reads `.values()` rows of its serializer's columns and annotations
    (ScopedModelSerializer.row_names) rather than model instances: building fifty instances
    and reading them back was a fifth of a list page's time. The serializer's output is the
    same; fields it cannot read from a row (nested, dotted) must not be in a list serializer."""

    def paginate_queryset(self, queryset):
        serializer_class = self.get_serializer_class()
        if getattr(self, "action", None) == "list":
            assert issubclass(serializer_class, ScopedModelSerializer)
            queryset = queryset.values(*serializer_class.row_names(queryset))
        return super().paginate_queryset(queryset)


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
