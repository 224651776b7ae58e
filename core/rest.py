"""What REST_FRAMEWORK's, SPECTACULAR_SETTINGS' and the URLconf's settings name: the one
pagination (cursors), filtering (`updated_after`, date ranges, unknown parameters refused), the
one error format, the schema's error responses and who may read the schema.

Every error answers `{"code": ..., "message": ..., "fields": {field: [messages]}}`; `fields` is
present for invalid input. Domain errors from the workflow modules map to their status here:
Invalid 400, NotAllowed 403, NotFound 404, WrongState 409, Unavailable 503 (the task queue is down;
with Retry-After). Whatever answers under /api/ answers so — unknown routes (`api_not_found`, the
404 and 500 handlers) and invalid query parameters (filters, ordering, page sizes, a list's
unknown parameters: 400 naming the parameter, never silently ignored) included. (A module of its
own: the settings import it while DRF's views are still loading.)
"""

import copy
import re
from datetime import datetime, time
from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from django_filters import BooleanFilter
from django_filters.filters import FilterMethod
from django_filters.filterset import FilterSetMetaclass
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, filters, pagination, permissions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from core.errors import DomainError
from core.params import is_digits

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


# --- Filters -----------------------------------------------------------------------------------


class YearFilter(django_filters.NumberFilter):
    """A calendar year of a date field: a whole number from 1949 to 2100, else a 400 naming the
    parameter (a year such as -1 or 99999 would break the date lookup)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "year")
        kwargs.setdefault("min_value", 1949)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


class OnOrAfter(django_filters.DateFilter):
    """`<name>_after=YYYY-MM-DD`: on that day or later (of a date, or the Beijing date of a
    time with `time=True`)."""

    def __init__(self, field_name: str, *, time: bool = False, **kwargs):
        kwargs.setdefault("label", f"{field_name} on or after this date (YYYY-MM-DD)")
        lookup = ("date__" if time else "") + "gte"
        super().__init__(field_name=field_name, lookup_expr=lookup, **kwargs)


class OnOrBefore(django_filters.DateFilter):
    """`<name>_before=YYYY-MM-DD`: on that day or earlier."""

    def __init__(self, field_name: str, *, time: bool = False, **kwargs):
        kwargs.setdefault("label", f"{field_name} on or before this date (YYYY-MM-DD)")
        lookup = ("date__" if time else "") + "lte"
        super().__init__(field_name=field_name, lookup_expr=lookup, **kwargs)


# --- Pagination: a page size out of range is an error, not a quiet default ---------------------


def _page_size(paginator, request) -> int:
    raw = request.query_params.get(paginator.page_size_query_param, "")
    if raw == "":
        return paginator.page_size
    if not is_digits(raw) or not 1 <= int(raw) <= paginator.max_page_size:
        raise exceptions.ValidationError(
            {
                paginator.page_size_query_param: [
                    _("每页条数须为 1 到 %(max)d 之间的整数。") % {"max": paginator.max_page_size}
                ]
            }
        )
    return int(raw)


class CursorPagination(pagination.CursorPagination):
    """The one pagination of every list that can grow: `next` / `previous` cursors, stable while
    rows are added or changed. Newest first (`-id`) unless the view or `?ordering=` says
    otherwise; with `?updated_after=` (and no ordering) oldest change first (`updated_at`, then
    `id`), so that a mirror resumes from the last record it holds (core/sync.py)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "-id"

    def get_page_size(self, request):
        return _page_size(self, request)

    def get_ordering(self, request, queryset, view):
        params = request.query_params
        if UPDATED_AFTER in params and not params.get(OrderingFilter.ordering_param):
            return ("updated_at", "id")
        return super().get_ordering(request, queryset, view)

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise exceptions.ValidationError(
                {self.cursor_query_param: [_("分页游标无效。")]}
            ) from None


# --- Filters and ordering: an invalid value answers 400 -----------------------------------------

_BOOLEANS = {"true": "true", "1": "true", "false": "false", "0": "false"}


class _Filters(dict):
    """A filter set's filters, copied for each filter set as django-filter needs (each copy
    gets the set's model and itself as parent) but shallowly: its deep copy re-created every
    filter and its arguments for every request. A method filter's binding to its copy is
    renewed (the copy would call the method of another filter set)."""

    def __deepcopy__(self, memo) -> dict:
        copies = {}
        for name, base in self.items():
            copied = copies[name] = copy.copy(base)
            if isinstance(base.__dict__.get("filter"), FilterMethod):
                copied.filter = FilterMethod(copied)
        return copies


class _FormFields(dict):
    """A filter form's fields, shared by its forms rather than deep-copied for each: they only
    clean query parameters (and show them in the browsable API), which changes no field."""

    def __deepcopy__(self, memo) -> dict:
        return dict(self)


class _FilterSetMetaclass(FilterSetMetaclass):
    def __new__(mcs, name, bases, attrs):
        new_class = super().__new__(mcs, name, bases, attrs)
        new_class.base_filters = _Filters(new_class.base_filters)
        return new_class


class FilterSet(django_filters.FilterSet, metaclass=_FilterSetMetaclass):
    """A filter set whose form class is built once per class (django-filter builds it, with a
    form field per filter, on every request), whose forms share its fields and whose filters
    are copied shallowly per request (_Filters). Only for filters whose querysets are not
    callables of the request, which is checked."""

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            assert not any(
                callable(getattr(f, "queryset", None)) for f in cls.base_filters.values()
            ), f"{cls.__name__}: a queryset per request needs django-filter's own form"
            form_class = super().get_form_class()
            form_class.base_fields = _FormFields(form_class.base_fields)
            cls._form_class = form_class
        return form_class


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, strict about yes/no filters too: `?overdue=maybe` is an error
    (django-filter would ignore it and answer everything), and `1`/`0`/`True` mean what they
    say for every boolean filter."""

    def _booleans(self, view, queryset) -> list[str]:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return []
        return [
            name
            for name, field in filterset_class.base_filters.items()
            if isinstance(field, BooleanFilter)
        ]

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        data = kwargs["data"].copy()
        for name in self._booleans(view, queryset):
            value = _BOOLEANS.get(data.get(name, "").lower())
            if value is not None:
                data[name] = value
        kwargs["data"] = data
        return kwargs

    def _known(self, request, queryset, view) -> set[str]:
        """The query parameters a list understands: its filters, search, ordering, cursor
        pagination, updated_after (and DRF's `format`)."""
        known = {UPDATED_AFTER, "format", "cursor", "page_size"}
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            known.update(filterset_class.base_filters)
        if getattr(view, "search_fields", None):
            known.add(filters.SearchFilter.search_param)
        known.add(OrderingFilter.ordering_param)
        return known

    def filter_queryset(self, request, queryset, view):
        if not request.query_params and getattr(view, "action", None) != "list":
            return queryset  # one record: nothing to filter it by, no empty form to build and check
        errors = {
            name: [_("请填写 true 或 false。")]
            for name in self._booleans(view, queryset)
            if request.query_params.get(name, "").lower() not in ("", *_BOOLEANS)
        }
        if getattr(view, "action", None) == "list":
            # An unknown parameter (a misspelt filter) is an error, never a silent full list.
            known = self._known(request, queryset, view)
            for name in request.query_params:
                if name not in known:
                    errors[name] = [_("不支持此查询参数。")]
        if errors:
            raise exceptions.ValidationError(errors)
        return super().filter_queryset(request, queryset, view)


UPDATED_AFTER = "updated_after"


def parse_moment(raw: str, field: str):
    """An ISO 8601 time (`2026-05-01T08:00:00+08:00`, `…Z`, or a date, its midnight); without
    an offset it is Beijing time. A "+" sent unencoded arrives as a space and is read as "+".
    Anything else is a 400 naming `field`."""
    text = re.sub(r" (\d\d:?\d\d)$", r"+\1", raw.strip())
    try:
        moment = parse_datetime(text)
        if moment is None and (day := parse_date(text)) is not None:
            moment = datetime.combine(day, time.min)
    except ValueError:
        moment = None
    if moment is None:
        raise exceptions.ValidationError(
            {field: [_("请填写 ISO 8601 格式的时间，如 2026-05-01T08:00:00+08:00。")]}
        )
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class UpdatedAfterFilter(filters.BaseFilterBackend):
    """`?updated_after=<time>`: only records created or changed after that time (every list;
    core/sync.py explains the mirror)."""

    def filter_queryset(self, request, queryset, view):
        raw = request.query_params.get(UPDATED_AFTER)
        if raw is None or getattr(view, "action", "list") != "list":
            return queryset
        return queryset.filter(updated_at__gt=parse_moment(raw, UPDATED_AFTER))

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": UPDATED_AFTER,
                "in": "query",
                "required": False,
                "description": "Only records created or changed after this time (ISO 8601; "
                "without an offset Beijing time). Ordered by updated_at, then id, unless "
                "`ordering` says otherwise: follow `next` to the end, then ask again with the "
                "largest `updated_at` you hold. Deletions: /api/v1/deletions/.",
                "schema": {"type": "string", "format": "date-time"},
            }
        ]


# Ordering every list offers besides its own: stable, never empty, cursor-friendly.
SYNC_ORDERING = ("id", "updated_at", "created_at")


class OrderingFilter(filters.OrderingFilter):
    """DRF's ordering, but a field that cannot be ordered by is an error, not ignored. Every
    list may also be ordered by id, updated_at and created_at."""

    def get_valid_fields(self, queryset, view, context=None):
        # A cursor keeps its position by the first field's value: never through a relation.
        valid = [
            (name, label)
            for name, label in super().get_valid_fields(queryset, view, context or {})
            if "__" not in name
        ]
        names = {name for name, _label in valid}
        model_fields = {f.name for f in queryset.model._meta.fields}
        extra = [(n, n) for n in SYNC_ORDERING if n in model_fields and n not in names]
        return [*valid, *extra]

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        invalid = [term for term in fields if term and term not in valid]
        if invalid:
            raise exceptions.ValidationError(
                {
                    self.ordering_param: [
                        _("不能按 %(fields)s 排序。") % {"fields": ", ".join(invalid)}
                    ]
                }
            )
        return valid


# --- Who may read the schema and its docs ------------------------------------------------------


class SchemaAccess(permissions.BasePermission):
    """The OpenAPI schema and the docs page (SPECTACULAR_SETTINGS' SERVE_PERMISSIONS): open in
    development and demo mode; in production only to a signed-in user or a valid token."""

    def has_permission(self, request, view) -> bool:
        if settings.DEBUG or settings.DEMO_MODE:
            return True
        return bool(request.user and request.user.is_authenticated)


# --- JSON answers outside DRF's views: unknown routes and the error handlers --------------------


def _json_error(status_code: int, code: str, message) -> JsonResponse:
    return JsonResponse(
        {"code": code, "message": str(message)},
        status=status_code,
        json_dumps_params={"ensure_ascii": False},
    )


@csrf_exempt
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any):
    """The last route under /api/: whatever matched nothing else is a JSON 404 (a known route
    asked for without its final slash is still redirected to it, as CommonMiddleware would)."""
    path = request.path_info
    if settings.APPEND_SLASH and not path.endswith("/") and request.method in ("GET", "HEAD"):
        try:
            match = resolve(path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return _json_error(status.HTTP_404_NOT_FOUND, "not_found", exceptions.NotFound.default_detail)


def not_found(request: HttpRequest, exception: Exception | None = None):
    """handler404: JSON under /api/, the portal's page elsewhere."""
    if is_api(request):
        return _json_error(
            status.HTTP_404_NOT_FOUND, "not_found", exceptions.NotFound.default_detail
        )
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest):
    """handler500: JSON under /api/, the portal's page elsewhere."""
    if is_api(request):
        return _json_error(
            status.HTTP_500_INTERNAL_SERVER_ERROR, "server_error", _("服务器出错了，请稍后再试。")
        )
    return defaults.server_error(request)


# --- The exception handler ----------------------------------------------------------------------


def _error(status_code: int, code: str, message, fields=None) -> Response:
    body = {"code": code, "message": str(message)}
    if fields:
        body["fields"] = fields
    return Response(body, status=status_code)


def _as_fields(detail) -> dict:
    if isinstance(detail, dict):
        return {
            key: [str(m) for m in (value if isinstance(value, list) else [value])]
            for key, value in detail.items()
        }
    return {
        "non_field_errors": [str(m) for m in (detail if isinstance(detail, list) else [detail])]
    }


def exception_handler(exc, context):
    """DRF exception handler: one format for every error, domain errors included."""
    if isinstance(exc, DomainError):
        set_rollback()
        fields = {exc.field: [str(exc.message)]} if exc.field else None
        response = _error(exc.status_code, exc.code, exc.message, fields)
        if exc.status_code == status.HTTP_503_SERVICE_UNAVAILABLE:
            response["Retry-After"] = "30"
        return response
    if isinstance(exc, DjangoValidationError):
        set_rollback()
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return _error(
            status.HTTP_400_BAD_REQUEST, "invalid", _("提交的数据有误。"), _as_fields(detail)
        )
    if isinstance(exc, ProtectedError | RestrictedError):
        # A delete the workflow let through but another record still refers to: not a 500.
        set_rollback()
        return _error(
            status.HTTP_409_CONFLICT,
            "wrong_state",
            _("该记录已被其他记录引用，不能删除。"),
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    set_rollback()
    if isinstance(exc, exceptions.ValidationError):
        response = _error(exc.status_code, "invalid", _("提交的数据有误。"), _as_fields(exc.detail))
    else:
        codes = exc.get_codes()
        response = _error(
            exc.status_code, codes if isinstance(codes, str) else exc.default_code, exc.detail
        )
    auth_header, wait = getattr(exc, "auth_header", None), getattr(exc, "wait", None)
    if auth_header:
        response["WWW-Authenticate"] = auth_header
    if wait:
        response["Retry-After"] = str(int(wait))
    return response


# --- The schema: the error format and the errors each operation may answer ----------------------

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error of the API.",
    "properties": {
        "code": {
            "type": "string",
            "description": "invalid, not_authenticated, authentication_failed, not_allowed, "
            "permission_denied, not_found, method_not_allowed, wrong_state, conflict, …",
        },
        "message": {"type": "string", "description": "For people, in the request's language."},
        "fields": {
            "type": "object",
            "description": "Invalid input only: the messages of each field or query parameter "
            "(non_field_errors for the input as a whole).",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["code", "message"],
}

ERROR_RESPONSES = {
    "400": ("BadRequest", "Invalid input: a field, a query parameter or a page size (`fields`)."),
    "401": ("Unauthorized", "No credentials, or a token that is invalid or revoked."),
    "403": ("Forbidden", "The caller's role or committee does not allow it."),
    "404": ("NotFound", "No such record for this caller (another committee's answers the same)."),
    "405": ("MethodNotAllowed", "The resource has no such method (see the Allow header)."),
    "409": ("Conflict", "Not possible in the record's present state, or changed by someone else."),
    "429": (
        "TooManyRequests",
        "Over the rate limit of the token, user or address (settings.API_RATES): wait the "
        "seconds of Retry-After.",
    ),
    # Only where an operation declares it (one that queues background work).
    "503": ("Unavailable", "The task queue is down: nothing was queued; try again later."),
}
_SECONDS = {"schema": {"type": "integer"}}
RATE_HEADERS = {
    "RateLimit-Limit": {**_SECONDS, "description": "Requests allowed in the window."},
    "RateLimit-Remaining": {**_SECONDS, "description": "Requests left in the window."},
    "RateLimit-Reset": {**_SECONDS, "description": "Seconds until the window has room again."},
}
NOT_MODIFIED = {
    "description": "Not Modified: the request's If-None-Match named the answer's current ETag "
    "(every JSON answer of a GET carries one); no body.",
}
_SAFE = {"get", "head", "options"}


def _errors_of(method: str, operation: dict) -> list[str]:
    codes = ["401", "403", "404", "429"]
    has_input = "requestBody" in operation or any(
        parameter.get("in") == "query" for parameter in operation.get("parameters", [])
    )
    if has_input or method not in _SAFE:
        codes.append("400")
    if method not in _SAFE:
        codes.append("409")
    return sorted(codes)


def error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: an `Error` component, the error responses as
    reusable components, and on every operation those it may answer (429 included); the
    rate-limit headers of every answer, and 304 on the GETs that answer JSON (ETags)."""
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    responses = components.setdefault("responses", {})
    for name, description in ERROR_RESPONSES.values():
        responses[name] = {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    responses["TooManyRequests"]["headers"] = {
        "Retry-After": {**_SECONDS, "description": "Seconds to wait before trying again."},
        **RATE_HEADERS,
    }
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code, answer in operation["responses"].items():
                if code.startswith("2") and isinstance(answer, dict) and "$ref" not in answer:
                    answer.setdefault("headers", {}).update(RATE_HEADERS)
            if method == "get" and "application/json" in str(operation["responses"].get("200")):
                operation["responses"].setdefault("304", NOT_MODIFIED)
            for code in _errors_of(method, operation):
                operation["responses"].setdefault(
                    code, {"$ref": f"#/components/responses/{ERROR_RESPONSES[code][0]}"}
                )
            if "503" in operation["responses"]:
                operation["responses"]["503"] = {"$ref": "#/components/responses/Unavailable"}
    return result
