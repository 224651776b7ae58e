"""REST API of public-opinion information for district offices: enter and submit pieces, screen
them, see the duplicate suggestions, combine them into reports, issue and report those, and record
and read outcomes. A municipal office reads its districts' pieces and reports (市区联动); another
district's answer 404. Every act is a POST answering the new state or 400/403/409 with reasons."""

import django_filters
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from core.api import (
    CommitteeScopedViewSet,
    ScopedModelSerializer,
    ScopedPrimaryKeyRelatedField,
    run_act,
)
from core.files import file_response, media_types
from core.rest import OnOrAfter, OnOrBefore, YearFilter
from members.models import Level
from opinions import workflow
from opinions.models import ATTACHMENT_TYPES, Category, Outcome, Piece, Report, Step, Target
from opinions.selectors import (
    attachment_for,
    outcomes_of,
    piece_by_id,
    pieces_for,
    reports_for,
)
from opinions.similarity import similar_pieces


class OutcomeSerializer(ScopedModelSerializer):
    class Meta:
        model = Outcome
        fields = ["id", "kind", "level", "on", "leader", "department", "content", "relayed_from"]
        read_only_fields = fields


class PieceSerializer(ScopedModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    submitter = serializers.CharField(read_only=True)

    class Meta:
        model = Piece
        fields = [
            "id",
            "committee",
            "title",
            "category",
            "submitter_kind",
            "submitter",
            "seat",
            "state",
            "state_display",
            "report",
            "received_at",
        ]
        read_only_fields = fields


class PieceDetailSerializer(PieceSerializer):
    outcomes = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    class Meta(PieceSerializer.Meta):
        fields = [
            *PieceSerializer.Meta.fields,
            "content",
            "party",
            "sector",
            "special_committee",
            "workstation",
            "body_name",
            "co_authors",
            "source_activity",
            "source_proposal",
            "forwarded_from",
            "screening_note",
            "attachments",
            "outcomes",
        ]
        read_only_fields = fields

    def get_attachments(self, piece) -> list[dict]:
        """Each with the address of its download (GET, the file under its original name)."""
        return [
            {
                "id": a.pk,
                "name": a.name,
                "size": a.size,
                "url": reverse("opinion-piece-attachment", args=[piece.pk, a.pk]),
            }
            for a in piece.attachments.all()
        ]

    def get_outcomes(self, piece) -> list[dict]:
        return OutcomeSerializer(outcomes_of(piece), many=True).data


class OpinionDraftSerializer(ScopedModelSerializer):
    """Input of a piece entered by the office (for a member, a party, a sector …); the workflow
    checks who may write it and for whom."""

    class Meta:
        model = Piece
        fields = [
            "committee",
            "title",
            "content",
            "category",
            "submitter_kind",
            "seat",
            "co_authors",
            "party",
            "sector",
            "special_committee",
            "workstation",
            "body_name",
            "source_activity",
        ]
        extra_kwargs = {"committee": {"required": True}}


class PieceFilter(django_filters.FilterSet):
    year = YearFilter(field_name="received_at")
    submitted_after = OnOrAfter("submitted_at", time=True)
    submitted_before = OnOrBefore("submitted_at", time=True)

    class Meta:
        model = Piece
        fields = [
            "committee",
            "state",
            "category",
            "submitter_kind",
            "report",
            "year",
            "submitted_after",
            "submitted_before",
        ]


class OpinionScreenSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=workflow.Screening.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class OpinionReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class OpinionAttachmentSerializer(serializers.Serializer):
    file = serializers.FileField()


class OpinionSimilarSerializer(serializers.Serializer):
    piece = PieceSerializer()
    score = serializers.FloatField()


class OpinionStepSerializer(ScopedModelSerializer):
    by_name = serializers.CharField(source="by.name", read_only=True)

    class Meta:
        model = Step
        fields = ["action", "from_state", "to_state", "by", "by_name", "at", "opinion"]
        read_only_fields = fields


class PieceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    CommitteeScopedViewSet,
):
    """社情民意信息. The office enters a piece (a draft) and submits it; screening is a POST."""

    queryset = Piece.objects.none()
    filterset_class = PieceFilter
    search_fields = ["title"]
    ordering_fields = ["id"]
    ordering = ["-id"]

    def get_queryset(self):
        return pieces_for(self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return OpinionDraftSerializer
        return PieceSerializer if self.action == "list" else PieceDetailSerializer

    def create(self, request, *args, **kwargs):
        draft = OpinionDraftSerializer(data=request.data, context={"request": request})
        draft.is_valid(raise_exception=True)
        piece = workflow.create_draft(by=request.user, **draft.validated_data)
        return Response(self._detail(piece), status=201)

    def _detail(self, piece):
        return PieceDetailSerializer(piece_by_id(piece.pk).get()).data

    def _act(self, request, act, body_class=None):
        piece = run_act(self, request, act, body_class)
        return Response(self._detail(piece))

    @extend_schema(request=None, responses=PieceDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act(request, workflow.submit)

    @extend_schema(request=OpinionReasonSerializer, responses=PieceDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._act(request, workflow.withdraw, OpinionReasonSerializer)

    @extend_schema(request=OpinionScreenSerializer, responses=PieceDetailSerializer)
    @action(detail=True, methods=["post"])
    def screen(self, request, pk=None):
        return self._act(request, workflow.screen, OpinionScreenSerializer)

    @extend_schema(
        request={"multipart/form-data": OpinionAttachmentSerializer},
        responses=PieceDetailSerializer,
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def attachments(self, request, pk=None):
        """Attach a file to a draft (pdf, Word, Excel or image; 20 MB at most)."""
        piece = self.get_object()  # another committee's answers 404 whatever the body
        body = OpinionAttachmentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        workflow.attach(piece, upload=body.validated_data["file"], by=request.user)
        return Response(self._detail(piece), status=201)

    @extend_schema(
        request=None,
        responses={(200, t): OpenApiTypes.BINARY for t in media_types(ATTACHMENT_TYPES)},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment>[0-9]+)",
        url_name="attachment",
        pagination_class=None,
        filter_backends=[],
    )
    def attachment(self, request, pk=None, attachment=None):
        """An attachment's file under its original name, for whoever may read the piece."""
        found = attachment_for(request.user, int(attachment))
        if found is None or str(found.piece_id) != str(pk):
            raise NotFound
        return file_response(found.file, name=found.name)

    @extend_schema(responses=OpinionSimilarSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def similar(self, request, pk=None):
        """The most similar pieces of the last twelve months (possible duplicates)."""
        rows = similar_pieces(self.get_object())
        return Response([{"piece": PieceSerializer(p).data, "score": score} for p, score in rows])

    @extend_schema(responses=OpinionStepSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        piece = self.get_object()
        return Response(OpinionStepSerializer(piece.steps.select_related("by"), many=True).data)


class OpinionReportSerializer(ScopedModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    piece_count = serializers.IntegerField(read_only=True, default=0)
    has_outcome = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Report
        fields = [
            "id",
            "committee",
            "title",
            "category",
            "state",
            "state_display",
            "year",
            "number",
            "issued_on",
            "reported_on",
            "piece_count",
            "has_outcome",
        ]
        read_only_fields = fields


class OpinionReportDetailSerializer(OpinionReportSerializer):
    outcomes = OutcomeSerializer(many=True, read_only=True)
    deliveries = serializers.SerializerMethodField()
    pieces = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta(OpinionReportSerializer.Meta):
        fields = [
            *OpinionReportSerializer.Meta.fields,
            "content",
            "pieces",
            "deliveries",
            "outcomes",
        ]
        read_only_fields = fields

    def get_deliveries(self, report) -> list[dict]:
        return [
            {"target": d.target, "sent_on": d.sent_on.isoformat()} for d in report.deliveries.all()
        ]


class OpinionCombineSerializer(serializers.Serializer):
    pieces = ScopedPrimaryKeyRelatedField(queryset=Piece.objects.all(), many=True)
    title = serializers.CharField(required=False, allow_blank=True, default="")
    content = serializers.CharField(required=False, allow_blank=True, default="")
    category = serializers.ChoiceField(
        choices=Category.choices, required=False, allow_blank=True, default=""
    )


class OpinionEditSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    content = serializers.CharField()
    category = serializers.ChoiceField(
        choices=Category.choices, required=False, allow_blank=True, default=""
    )


class OpinionIssueSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, default=None)


class OpinionDeliverSerializer(serializers.Serializer):
    targets = serializers.ListField(child=serializers.ChoiceField(choices=Target.choices))
    on = serializers.DateField(required=False, default=None)


class OutcomeInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Outcome.Kind.choices)
    level = serializers.ChoiceField(
        choices=Level.choices, required=False, allow_blank=True, default=""
    )
    on = serializers.DateField(required=False, default=None)
    leader = serializers.CharField(required=False, allow_blank=True, default="", max_length=50)
    department = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    content = serializers.CharField(required=False, allow_blank=True, default="")


class ReportFilter(django_filters.FilterSet):
    waiting = django_filters.BooleanFilter(method="filter_waiting")

    class Meta:
        model = Report
        fields = ["committee", "state", "year", "waiting"]

    def filter_waiting(self, queryset, name, value):
        from opinions.selectors import waiting_for_outcome

        waiting = waiting_for_outcome(Report.objects.all()).values("pk")
        return queryset.filter(pk__in=waiting) if value else queryset.exclude(pk__in=waiting)


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommitteeScopedViewSet):
    """编报稿: created by combining pieces (POST with their ids), then edited, issued (期号),
    reported (报送) and given their outcomes."""

    queryset = Report.objects.none()
    filterset_class = ReportFilter
    ordering_fields = ["id"]
    ordering = ["-id"]

    def get_queryset(self):
        reports = reports_for(self.request.user)
        if self.action != "list":
            reports = reports.prefetch_related("outcomes", "deliveries", "pieces")
        return reports

    def get_serializer_class(self):
        if self.action == "create":
            return OpinionCombineSerializer
        return OpinionReportSerializer if self.action == "list" else OpinionReportDetailSerializer

    @extend_schema(request=OpinionCombineSerializer, responses={201: OpinionReportDetailSerializer})
    def create(self, request, *args, **kwargs):
        body = OpinionCombineSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        report = workflow.combine(by=request.user, **body.validated_data)
        return Response(self._detail(report), status=201)

    def _detail(self, report):
        return OpinionReportDetailSerializer(
            reports_for(self.request.user)
            .prefetch_related("outcomes", "deliveries", "pieces")
            .get(pk=report.pk)
        ).data

    def _act(self, request, act, body_class=None):
        run_act(self, request, act, body_class)
        return Response(self._detail(self.get_object()))

    @extend_schema(request=OpinionEditSerializer, responses=OpinionReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def edit(self, request, pk=None):
        return self._act(request, workflow.edit_report, OpinionEditSerializer)

    @extend_schema(request=OpinionIssueSerializer, responses=OpinionReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        return self._act(request, workflow.issue, OpinionIssueSerializer)

    @extend_schema(request=OpinionDeliverSerializer, responses=OpinionReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        return self._act(request, workflow.deliver, OpinionDeliverSerializer)

    @extend_schema(request=OutcomeInputSerializer, responses=OpinionReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def outcomes(self, request, pk=None):
        return self._act(request, workflow.record_outcome, OutcomeInputSerializer)

    @extend_schema(responses=OpinionStepSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        report = self.get_object()
        return Response(OpinionStepSerializer(report.steps.select_related("by"), many=True).data)


def register(router) -> None:
    router.register("opinion-pieces", PieceViewSet, basename="opinion-piece")
    router.register("opinion-reports", ReportViewSet, basename="opinion-report")
