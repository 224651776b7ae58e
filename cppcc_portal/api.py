"""The API's parts that span the apps: tombstones (`/api/v1/deletions/`), reference data
(`/api/v1/reference/`) and exports (`/api/v1/exports/…`, xlsx or CSV, streamed)."""

import django_filters
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, mixins, permissions, serializers, viewsets
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from consultations.api import MeetingViewSet
from consultations.exports import MEETING_HEADINGS, MEETING_SHEET, meeting_rows
from core.api import refuse_missing_method
from core.excel import CSV, XLSX, streamed_csv, streamed_xlsx, xlsx_response
from core.models import Deletion
from core.params import year_of
from core.rest import UPDATED_AFTER, parse_moment
from core.scoping import readable
from members.api import SeatViewSet
from members.models import HandlingUnit, Party, Sector, SpecialCommittee
from members.roster import COLUMNS as ROSTER_COLUMNS
from members.roster import ROSTER_SHEET, roster_rows
from notifications import registry
from proposals.api import AssignmentViewSet, ProposalViewSet, ReplyViewSet
from proposals.exports import (
    ASSIGNMENT_HEADINGS,
    ASSIGNMENT_SHEET,
    PROPOSAL_HEADINGS,
    PROPOSAL_SHEET,
    REPLY_HEADINGS,
    REPLY_SHEET,
    assignment_rows,
    proposal_rows,
    reply_rows,
)
from proposals.models import Category
from yearbook import excel as yearbook_excel
from yearbook import selectors as yearbook_selectors
from yearbook.models import Snapshot

# --- Tombstones -------------------------------------------------------------------------------


class DeletionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Deletion
        fields = ["id", "model", "object_id", "committee", "owner", "reason", "updated_at"]
        read_only_fields = fields


class DeletionFilter(django_filters.FilterSet):
    class Meta:
        model = Deletion
        fields = ["model", "committee", "reason"]


class DeletionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """删除记录: records that were deleted (`reason=deleted`) or left staff's sight
    (`returned_to_draft`), with `updated_at` the time it happened; `model` is the record's type
    (`proposals.proposal`, `proposals.assignment`, …). Staff and district tokens read their
    committees' (those they read); anyone else the tombstones of what they created (a member's
    deleted drafts). A mirror drops its copy unless the copy's `updated_at` is later (the
    record came back)."""

    queryset = Deletion.objects.none()
    serializer_class = DeletionSerializer
    filterset_class = DeletionFilter
    permission_classes = [permissions.IsAuthenticated]

    def check_permissions(self, request):
        refuse_missing_method(request, self)
        super().check_permissions(request)

    def get_queryset(self):
        user = self.request.user
        if user.has_perm("core.view_deletion"):
            return readable(Deletion.objects.all(), user)
        return Deletion.objects.filter(owner=user)


# --- Reference data ---------------------------------------------------------------------------


def _entries(queryset, *extra: str):
    return list(
        queryset.order_by("committee_id", "order", "name", "id").values(
            "id", "committee", "name", "order", "is_active", *extra, "updated_at"
        )
    )


def _units(queryset):
    kinds = dict(HandlingUnit.Kind.choices)
    rows = list(
        queryset.order_by("committee_id", "name", "id").values(
            "id", "committee", "name", "kind", "is_active", "updated_at"
        )
    )
    for row in rows:
        row["kind_display"] = str(kinds.get(row["kind"], row["kind"]))
    return rows


DIRECTORY = {
    "categories": (Category, _entries),
    "sectors": (Sector, _entries),
    "parties": (Party, _entries),
    "special_committees": (SpecialCommittee, _entries),
    "handling_units": (HandlingUnit, _units),
}
CODES = ("reminder_kinds", "states")
SETS = (*DIRECTORY, *CODES)


def _labelled(choices) -> list[dict]:
    """Each value with its Chinese label and its English one."""
    rows = []
    for value, label in choices:
        with translation.override(settings.LANGUAGE_CODE):
            chinese = str(label)
        with translation.override("en"):
            english = str(label)
        rows.append({"value": value, "label": chinese, "label_en": english})
    return rows


def reminder_kinds() -> list[dict]:
    return _labelled(registry.kind_choices())


def states() -> dict:
    """The states and statuses of every resource the API lists: {resource: {field: [...]}}."""
    from cppcc_portal.urls import router

    found: dict = {}
    for prefix, viewset, _basename in router.registry:
        model = viewset.queryset.model
        for field in model._meta.fields:
            if field.name in ("state", "status") and field.choices:
                found.setdefault(prefix, {})[field.name] = _labelled(field.choices)
    return found


class ReferenceQuery(serializers.Serializer):
    committee = serializers.IntegerField(required=False, min_value=1)
    updated_after = serializers.CharField(required=False)


def _reference(request, names) -> dict:
    unknown = set(request.query_params) - {"committee", UPDATED_AFTER, "format"}
    if unknown:
        raise exceptions.ValidationError({name: [_("不支持此查询参数。")] for name in unknown})
    query = ReferenceQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    committee = query.validated_data.get("committee")
    after = request.query_params.get(UPDATED_AFTER)
    moment = parse_moment(after, UPDATED_AFTER) if after is not None else None
    body = {}
    for name in names:
        if name in DIRECTORY:
            model, read = DIRECTORY[name]
            rows = readable(model.objects.all(), request.user)
            if committee is not None:
                rows = rows.filter(committee=committee)
            if moment is not None:
                rows = rows.filter(updated_at__gt=moment)
            body[name] = read(rows)
        elif name == "reminder_kinds":
            body[name] = reminder_kinds()
        else:
            body[name] = states()
    return body


class ReferenceCodeSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField(help_text="Chinese")
    label_en = serializers.CharField()


class ReferenceEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    committee = serializers.IntegerField()
    name = serializers.CharField()
    order = serializers.IntegerField()
    is_active = serializers.BooleanField()
    updated_at = serializers.DateTimeField()


class ReferenceUnitSerializer(ReferenceEntrySerializer):
    order = None  # type: ignore[assignment]  # units are listed by name
    kind = serializers.CharField()
    kind_display = serializers.CharField()


def _schema(name: str):
    """A fresh list serializer of the set `name` (an instance is bound to one parent)."""
    if name == "handling_units":
        return ReferenceUnitSerializer(many=True)
    if name in DIRECTORY:
        return ReferenceEntrySerializer(many=True)
    return ReferenceCodeSerializer(many=True)


def _states():
    return serializers.DictField(
        child=serializers.DictField(child=ReferenceCodeSerializer(many=True)),
        help_text="{resource (the API path's name): {state or status: [codes]}}",
    )


REFERENCE_PARAMETERS = [
    OpenApiParameter("committee", int, description="Only this committee's entries."),
    OpenApiParameter(
        UPDATED_AFTER,
        OpenApiTypes.DATETIME,
        description="Only entries created or changed after this time (lists of names only).",
    ),
]
STATES_SCHEMA = {
    "type": "object",
    "description": "{resource (the API path's name): {state or status: [{value, label, "
    "label_en}]}}; label is Chinese.",
    "additionalProperties": {
        "type": "object",
        "additionalProperties": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "value": {"type": "string"},
                    "label": {"type": "string"},
                    "label_en": {"type": "string"},
                },
                "required": ["value", "label", "label_en"],
            },
        },
    },
}


def reference_view(name: str | None = None):
    """参考数据 — every set at once (name None), or one: proposal categories, sectors, parties,
    special committees and handling units of the committees the caller reads, reminder kinds,
    and the states of every resource with their Chinese (and English) labels. Any signed-in
    caller; a constant number of queries (one per list of names)."""
    if name is None:
        sets = SETS
        fields = {n: _schema(n) for n in SETS if n != "states"}
        response = inline_serializer("Reference", {**fields, "states": _states()})
    else:
        sets = (name,)
        response = STATES_SCHEMA if name == "states" else _schema(name)

    @extend_schema(
        parameters=REFERENCE_PARAMETERS if name not in CODES else [],
        responses={200: response},
        operation_id=f"reference_{name or 'all'}",
        description=reference_view.__doc__,
    )
    def get(self, request):
        body = _reference(request, sets)
        return Response(body if name is None else body[name])

    title = "".join(part.title() for part in (name or "all").split("_"))
    return type(f"Reference{title}View", (APIView,), {"get": get}).as_view()


# --- Exports ----------------------------------------------------------------------------------


class AnyAccept(BaseContentNegotiation):
    """A file is a file whatever the client accepts (no 406 for `Accept: text/csv`)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


# kind: (the list it exports — its scope and filters —, permission, sheet, headings, rows)
EXPORTS = {
    "proposals": (
        ProposalViewSet,
        "proposals.view_proposal",
        PROPOSAL_SHEET,
        PROPOSAL_HEADINGS,
        lambda rows, user: proposal_rows(rows),
    ),
    "assignments": (
        AssignmentViewSet,
        "proposals.view_assignment",
        ASSIGNMENT_SHEET,
        ASSIGNMENT_HEADINGS,
        lambda rows, user: assignment_rows(rows),
    ),
    "replies": (
        ReplyViewSet,
        "proposals.view_reply",
        REPLY_SHEET,
        REPLY_HEADINGS,
        lambda rows, user: reply_rows(rows),
    ),
    "members": (
        SeatViewSet,
        "members.view_seat",
        ROSTER_SHEET,
        [heading for _name, heading in ROSTER_COLUMNS],
        lambda rows, user: roster_rows(rows, user=user),
    ),
    "meetings": (
        MeetingViewSet,
        "consultations.view_meeting",
        MEETING_SHEET,
        MEETING_HEADINGS,
        lambda rows, user: meeting_rows(rows),
    ),
}
FORMATS = ("xlsx", "csv")
CSV_UTF8 = f"{CSV}; charset=utf-8"
FILE_RESPONSES = {(200, XLSX): OpenApiTypes.BINARY, (200, CSV_UTF8): OpenApiTypes.STR}


def _send(fmt: str, filename: str, title: str, headings, rows):
    if fmt == "csv":
        return streamed_csv(f"{filename}.csv", headings, rows)
    return streamed_xlsx(f"{filename}.xlsx", title, headings, rows)


class ExportView(APIView):
    """导出: what staff export in the admin, as xlsx or CSV (UTF-8 with BOM), streamed. The rows
    are those of the matching list for the caller — the same scope, and the same filters as
    query parameters (e.g. `/api/v1/exports/proposals.csv?year=2024&state=handling`); the
    caller needs the staff permission to read them. Members' personal data only as the admin
    shows it (staff of a committee where the person holds a seat; never to a district token)."""

    content_negotiation_class = AnyAccept

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=list(EXPORTS)),
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(FORMATS)),
        ],
        responses=FILE_RESPONSES,
    )
    def get(self, request, kind: str, fmt: str):
        viewset, permission, title, headings, rows = EXPORTS[kind]
        if not request.user.has_perm(permission):
            raise exceptions.PermissionDenied
        view = viewset(request=request, action="list", kwargs={}, format_kwarg=None, args=())
        view.headers = {}
        query = view.filter_queryset(view.get_queryset())
        return _send(fmt, kind, title, headings, rows(query, request.user))


class StatisticsExportView(APIView):
    """年度统计 of a committee the caller may read (as on the statistics page): xlsx with one
    sheet per area and its districts side by side, or CSV (area, figure, value, unit)."""

    content_negotiation_class = AnyAccept

    @extend_schema(
        parameters=[
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(FORMATS)),
            OpenApiParameter("committee", int, required=True),
            OpenApiParameter("year", int, required=True),
        ],
        responses=FILE_RESPONSES,
    )
    def get(self, request, fmt: str):
        params = request.query_params
        unknown = set(params) - {"committee", "year"}
        raw = params.get("committee", "")
        if unknown or not raw.isascii() or not raw.isdigit():
            errors = {name: [_("不支持此查询参数。")] for name in unknown}
            if not raw.isascii() or not raw.isdigit():
                errors["committee"] = [_("请填写政协委员会的编号。")]
            raise exceptions.ValidationError(errors)
        year = year_of(params.get("year"))
        committee = yearbook_selectors.committee_for(request.user, int(raw))
        snapshot = Snapshot.objects.filter(committee=committee, year=year).first()
        if snapshot is None:
            raise exceptions.NotFound(_("该年度统计尚未生成。"))
        filename = f"statistics-{committee.region_code or committee.pk}-{year}"
        if fmt == "xlsx":
            districts = yearbook_selectors.district_snapshots(request.user, committee, year)
            content = yearbook_excel.workbook(snapshot, districts)
            return xlsx_response(content, f"{filename}.xlsx")
        return streamed_csv(
            f"{filename}.csv", yearbook_excel.CSV_HEADINGS, yearbook_excel.csv_rows(snapshot)
        )


def register(router) -> None:
    router.register("deletions", DeletionViewSet, basename="deletion")
