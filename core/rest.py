"""What REST_FRAMEWORK's settings name: pagination and the one error format.

Every error answers `{"code": ..., "message": ..., "fields": {field: [messages]}}`; `fields` is
present for invalid input. Domain errors from the workflow modules map to their status here:
Invalid 400, NotAllowed 403, NotFound 404, WrongState and Conflict 409. (A module of its own: the
settings import it while DRF's views are still loading.)
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import set_rollback

from core.errors import DomainError


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


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
        return _error(exc.status_code, exc.code, exc.message, fields)
    if isinstance(exc, DjangoValidationError):
        set_rollback()
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return _error(
            status.HTTP_400_BAD_REQUEST, "invalid", _("提交的数据有误。"), _as_fields(detail)
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
