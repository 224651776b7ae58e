"""REST API of proposals for district offices and the portal: drafts (create, read, update),
every transition as a POST action answering the new state or 400/403/409 with reasons, the
history, filters (state, session, kind, category, unit, overdue, key) and cursor pagination."""

import django_filters
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import (
    LabelField,
    ScopedModelSerializer,
    ScopedPrimaryKeyRelatedField,
    ValuesReadMixin,
    row_data,
    run_act,
)
from core.files import file_response, media_types
from core.params import is_digits, year_of
from core.rest import FilterSet, OnOrAfter, OnOrBefore, YearFilter
from core.scoping import readable
from members.models import Committee, HandlingUnit, PlenarySession, Seat, SpecialCommittee, User
from proposals import workflow
from proposals.models import (
    ATTACHMENT_TYPES,
    Assignment,
    Attachment,
    Category,
    CoSigner,
    Feedback,
    HandlingConsultation,
    Proposal,
    Reply,
    State,
    Supervision,
    Transition,
)
from proposals.selectors import (
    assignments_for,
    attachment_for,
    is_overdue,
    mark_overdue,
    overdue_assignments,
    proposal_by_id,
    proposals_for,
)
from proposals.stats import proposal_figures


class ReplySerializer(ScopedModelSerializer):
    rating = serializers.CharField(
        source="feedback.rating", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Reply
        fields = [
            "id",
            "result",
            "text",
            "signatory",
            "replied_on",
            "publishable",
            "is_rehandling",
            "rating",
        ]


class HandlingConsultationSerializer(ScopedModelSerializer):
    class Meta:
        model = HandlingConsultation
        fields = ["id", "stage", "held_on", "form", "participants", "summary"]


class AssignmentSerializer(ScopedModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    replies = ReplySerializer(many=True, read_only=True)
    consultations = HandlingConsultationSerializer(many=True, read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "unit",
            "unit_name",
            "role",
            "status",
            "assigned_on",
            "acknowledge_by",
            "due_on",
            "replied_on",
            "opinion",
            "replies",
            "consultations",
        ]


class ProposalSerializer(ScopedModelSerializer):
    state_display = LabelField(source="state", choices=State.choices)
    lead_name = serializers.CharField(read_only=True, default=None, allow_null=True)
    overdue = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "committee",
            "session",
            "number",
            "kind",
            "timing",
            "title",
            "category",
            "lead",
            "lead_name",
            "body_kind",
            "body_name",
            "state",
            "state_display",
            "is_key",
            "is_excellent",
            "overdue",
            "submitted_at",
            "filed_at",
        ]
        read_only_fields = ["number", "state", "is_key", "is_excellent", "submitted_at", "filed_at"]


class CoSignerSerializer(ScopedModelSerializer):
    name = serializers.CharField(source="seat.person.name", read_only=True)

    class Meta:
        model = CoSigner
        fields = ["seat", "name", "status"]
        read_only_fields = fields


class AttachmentSerializer(ScopedModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "url"]

    def get_url(self, row: dict) -> str:
        """The address of its download (GET, the file under its original name); a part's row
        keeps its proposal's id (ScopedModelSerializer.read)."""
        return reverse("proposal-attachment", args=[row["proposal"], row["id"]])


class ProposalDetailSerializer(ProposalSerializer):
    """A proposal with its parts, serialized from the rows ScopedModelSerializer.read reads."""

    assignments = AssignmentSerializer(many=True, read_only=True)
    cosigners = CoSignerSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta(ProposalSerializer.Meta):
        fields = [
            *ProposalSerializer.Meta.fields,
            "reason",
            "analysis",
            "suggestions",
            "research_basis",
            "disclose",
            "disclosure_note",
            "cosigners",
            "attachments",
            "assignments",
            "disposition",
            "merged_into",
            "rehandled",
        ]

    def get_overdue(self, row: dict) -> bool:
        """From its assignments, read anyway (the list asks the database for its page)."""
        today = timezone.localdate()
        return any(is_overdue(a["status"], a["due_on"], today) for a in row["assignments"])


class DraftSerializer(ScopedModelSerializer):
    """Input of a draft; the workflow checks who may write it and for whom."""

    class Meta:
        model = Proposal
        fields = [
            "committee",
            "session",
            "category",
            "kind",
            "timing",
            "lead",
            "body_kind",
            "body_name",
            "title",
            "reason",
            "analysis",
            "suggestions",
            "research_basis",
            "disclose",
            "disclosure_note",
        ]
        extra_kwargs = {"committee": {"required": True}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.context["request"].user
        self.fields["committee"].queryset = readable(
            self.fields["committee"].queryset, user, via="id"
        )
        self.fields["session"].queryset = readable(
            PlenarySession.objects.all(), user, via="term__committee"
        )
        self.fields["category"].queryset = readable(Category.objects.all(), user)
        self.fields["lead"].queryset = readable(Seat.objects.all(), user)


class ProposalFilter(FilterSet):
    def filter_overdue(self, queryset, name, value):
        late = overdue_assignments().values("proposal")
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)

    # By number: the list is scoped already, a lookup of the committee or unit row would add a
    # query (and copying its queryset for every request).
    committee = django_filters.NumberFilter(field_name="committee")
    unit = django_filters.NumberFilter(field_name="assignments__unit", distinct=True)
    overdue = django_filters.BooleanFilter(method="filter_overdue")
    key = django_filters.BooleanFilter(field_name="is_key")
    year = YearFilter(field_name="session__opens_on")
    submitted_after = OnOrAfter("submitted_at", time=True)
    submitted_before = OnOrBefore("submitted_at", time=True)
    filed_after = OnOrAfter("filed_at", time=True)
    filed_before = OnOrBefore("filed_at", time=True)

    class Meta:
        model = Proposal
        fields = [
            "committee",
            "state",
            "session",
            "kind",
            "category",
            "unit",
            "overdue",
            "key",
            "year",
            "is_excellent",
            "submitted_after",
            "submitted_before",
            "filed_after",
            "filed_before",
        ]


class OpinionSerializer(serializers.Serializer):
    opinion = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewSerializer(OpinionSerializer):
    decision = serializers.ChoiceField(choices=["pass", "return"])


class FinalReviewSerializer(OpinionSerializer):
    decision = serializers.ChoiceField(choices=["file", "not_file", "merge", "return"])
    disposition = serializers.ChoiceField(
        choices=Proposal.Disposition.choices, required=False, allow_blank=True, default=""
    )
    merge_into = ScopedPrimaryKeyRelatedField(
        queryset=Proposal.objects.all(), required=False, default=None
    )


class AssignSerializer(serializers.Serializer):
    class UnitRole(serializers.Serializer):
        unit = ScopedPrimaryKeyRelatedField(queryset=HandlingUnit.objects.all())
        role = serializers.ChoiceField(choices=Assignment.Role.choices)

    units = UnitRole(many=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class KeySerializer(ReasonSerializer):
    supervisor = ScopedPrimaryKeyRelatedField(queryset=User.objects.all())
    supervising_committee = ScopedPrimaryKeyRelatedField(queryset=SpecialCommittee.objects.all())


class RehandleSerializer(ReasonSerializer):
    due_on = serializers.DateField()


class SupervisionSerializer(ScopedModelSerializer):
    by_name = serializers.CharField(source="by.name", read_only=True)

    class Meta:
        model = Supervision
        fields = ["id", "kind", "held_on", "notes", "promise_kept", "by", "by_name"]
        read_only_fields = ["by"]


class SupervisionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Supervision.Kind.choices)
    held_on = serializers.DateField()
    notes = serializers.CharField()
    promise_kept = serializers.BooleanField(required=False, allow_null=True, default=None)


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class TransitionSerializer(ScopedModelSerializer):
    by_name = serializers.CharField(source="by.name", read_only=True)

    class Meta:
        model = Transition
        fields = ["action", "from_state", "to_state", "by", "by_name", "at", "opinion"]


class ProposalViewSet(
    ValuesReadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """提案. Drafts are created and changed here; each step of the lifecycle is a POST action.
    Another committee's proposal answers 404. Who may do what is decided by the workflow (role,
    committee, proposer), so any signed-in caller may ask."""

    queryset = Proposal.objects.none()
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = ProposalFilter
    search_fields = ["title"]
    ordering_fields = ["id", "number", "submitted_at", "updated_at", "created_at"]

    def get_queryset(self):
        # The overdue flag: for a list page's rows only (mark_overdue); for a detail, from its
        # assignments.
        return proposals_for(self.request.user, overdue=False)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else mark_overdue(page)

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return DraftSerializer
        return ProposalSerializer if self.action == "list" else ProposalDetailSerializer

    def create(self, request, *args, **kwargs):
        draft = DraftSerializer(data=request.data, context={"request": request})
        draft.is_valid(raise_exception=True)
        proposal = workflow.create_draft(by=request.user, **draft.validated_data)
        return Response(self._detail(proposal), status=201)

    def update(self, request, *args, **kwargs):
        proposal = self.get_object()
        draft = DraftSerializer(
            proposal, data=request.data, partial=True, context={"request": request}
        )
        draft.is_valid(raise_exception=True)
        changes = {k: v for k, v in draft.validated_data.items() if k in workflow.EDITABLE_FIELDS}
        proposal = workflow.update_draft(proposal, by=request.user, **changes)
        return Response(self._detail(proposal))

    def perform_destroy(self, instance):
        workflow.delete_draft(instance, by=self.request.user)

    def _detail(self, proposal):
        # Read back unscoped: the act may have moved the proposal out of the caller's sight (a
        # reviewer returning it to its author's drafts), yet the caller is owed its new state.
        (row,) = ProposalDetailSerializer.read(proposal_by_id(proposal.pk))
        return row_data(ProposalDetailSerializer(row))

    def _act(self, request, act, body_class=None):
        proposal = run_act(self, request, act, body_class)
        return Response(self._detail(proposal))

    @extend_schema(request=None, responses=ProposalDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act(request, workflow.submit)

    @extend_schema(request=ReasonSerializer, responses=ProposalDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._act(request, workflow.withdraw, ReasonSerializer)

    @extend_schema(request=ReviewSerializer, responses=ProposalDetailSerializer)
    @action(detail=True, methods=["post"], url_path="first-review")
    def first_review(self, request, pk=None):
        return self._act(request, workflow.first_review, ReviewSerializer)

    @extend_schema(request=ReviewSerializer, responses=ProposalDetailSerializer)
    @action(detail=True, methods=["post"], url_path="second-review")
    def second_review(self, request, pk=None):
        return self._act(request, workflow.second_review, ReviewSerializer)

    @extend_schema(request=FinalReviewSerializer, responses=ProposalDetailSerializer)
    @action(detail=True, methods=["post"], url_path="final-review")
    def final_review(self, request, pk=None):
        return self._act(request, workflow.final_review, FinalReviewSerializer)

    @extend_schema(request=AssignSerializer, responses=ProposalDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        def assign(proposal, *, by, units):
            pairs = [(row["unit"], row["role"]) for row in units]
            return workflow.assign(proposal, units=pairs, by=by)

        run_act(self, request, assign, AssignSerializer)
        return Response(self._detail(self.get_object()))

    @extend_schema(request=RehandleSerializer, responses=ProposalDetailSerializer)
    @action(detail=True, methods=["post"])
    def rehandle(self, request, pk=None):
        return self._act(request, workflow.order_rehandling, RehandleSerializer)

    @extend_schema(request=ReasonSerializer, responses=ProposalDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._act(request, workflow.close, ReasonSerializer)

    @extend_schema(request=KeySerializer, responses=ProposalDetailSerializer)
    @action(detail=True, methods=["post"], url_path="select-key")
    def select_key(self, request, pk=None):
        return self._act(request, workflow.select_key, KeySerializer)

    @extend_schema(request=ReasonSerializer, responses=ProposalDetailSerializer)
    @action(detail=True, methods=["post"], url_path="select-excellent")
    def select_excellent(self, request, pk=None):
        return self._act(request, workflow.select_excellent, ReasonSerializer)

    @extend_schema(
        request={"multipart/form-data": UploadSerializer}, responses=ProposalDetailSerializer
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def attachments(self, request, pk=None):
        """Attach a file to a draft (pdf, Word, Excel or image; 20 MB at most)."""
        proposal = self.get_object()  # another committee's answers 404 whatever the body
        body = UploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        workflow.attach(proposal, upload=body.validated_data["file"], by=request.user)
        return Response(self._detail(proposal), status=201)

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
        """An attachment's file under its original name, for whoever may read the proposal."""
        found = attachment_for(request.user, int(attachment))
        if found is None or str(found.proposal_id) != str(pk):
            raise NotFound
        return file_response(found.file, name=found.name)

    @extend_schema(methods=["get"], responses=SupervisionSerializer(many=True), request=None)
    @extend_schema(methods=["post"], request=SupervisionSerializer, responses=SupervisionSerializer)
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def supervisions(self, request, pk=None):
        """督办: a key proposal's supervision activities and follow-up reviews (回头看); the
        supervising leader or the proposal office records one with POST."""
        if request.method == "GET":
            proposal = self.get_object()
            rows = proposal.supervisions.select_related("by")
            return Response(SupervisionSerializer(rows, many=True).data)
        supervision = run_act(
            self, request, workflow.record_supervision, SupervisionInputSerializer
        )
        return Response(SupervisionSerializer(supervision).data, status=201)

    @extend_schema(responses=TransitionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        """Every step: who, when, from which state to which, and why."""
        proposal = self.get_object()
        return Response(
            TransitionSerializer(proposal.transitions.select_related("by"), many=True).data
        )


class ConsultationSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=HandlingConsultation.Stage.choices)
    held_on = serializers.DateField()
    form = serializers.ChoiceField(choices=HandlingConsultation.Form.choices)
    participants = serializers.CharField(max_length=200)
    summary = serializers.CharField()


class ReplyInputSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=Reply.Result.choices)
    text = serializers.CharField()
    signatory = serializers.CharField(max_length=50)
    replied_on = serializers.DateField(required=False, default=None)
    publishable = serializers.BooleanField(default=True)
    not_publishable_reason = serializers.CharField(required=False, allow_blank=True, default="")


class OpinionInputSerializer(serializers.Serializer):
    text = serializers.CharField()
    sent_on = serializers.DateField(required=False, default=None)


class ReassignSerializer(serializers.Serializer):
    reason = serializers.CharField()


class DecideReassignSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    new_unit = ScopedPrimaryKeyRelatedField(
        queryset=HandlingUnit.objects.all(), required=False, default=None
    )
    opinion = serializers.CharField(required=False, allow_blank=True, default="")


class ExtendSerializer(serializers.Serializer):
    until = serializers.DateField()
    reason = serializers.CharField()


class FeedbackSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Feedback.Rating.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class AssignmentDetailSerializer(AssignmentSerializer):
    proposal_title = serializers.CharField(source="proposal.title", read_only=True)
    proposal_number = serializers.IntegerField(
        source="proposal.number", read_only=True, allow_null=True
    )

    class Meta(AssignmentSerializer.Meta):
        fields = [
            "proposal",
            "proposal_number",
            "proposal_title",
            *AssignmentSerializer.Meta.fields,
            "reassign_reason",
        ]


class AssignmentFilter(django_filters.FilterSet):
    overdue = django_filters.BooleanFilter(method="filter_overdue")
    replied_after = OnOrAfter("replied_on")
    replied_before = OnOrBefore("replied_on")

    class Meta:
        model = Assignment
        fields = [
            "status",
            "role",
            "unit",
            "proposal",
            "overdue",
            "replied_after",
            "replied_before",
        ]

    def filter_overdue(self, queryset, name, value):
        overdue = overdue_assignments().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """交办: a unit's workspace (accept, ask to re-assign, consult, reply) and the office's
    decisions (re-assignment, extension)."""

    queryset = Assignment.objects.none()
    serializer_class = AssignmentDetailSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = AssignmentFilter
    ordering_fields = ["due_on", "assigned_on", "id"]
    ordering = ["due_on", "id"]

    def get_queryset(self):
        return assignments_for(self.request.user)

    def _act(self, request, act, body_class=None):
        run_act(self, request, act, body_class)
        data = AssignmentDetailSerializer(self.get_queryset().get(pk=self.kwargs["pk"])).data
        return Response(data)

    @extend_schema(request=None, responses=AssignmentDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._act(request, workflow.accept)

    @extend_schema(request=ReassignSerializer, responses=AssignmentDetailSerializer)
    @action(detail=True, methods=["post"], url_path="request-reassignment")
    def request_reassignment(self, request, pk=None):
        return self._act(request, workflow.request_reassignment, ReassignSerializer)

    @extend_schema(request=DecideReassignSerializer, responses=AssignmentDetailSerializer)
    @action(detail=True, methods=["post"], url_path="decide-reassignment")
    def decide_reassignment(self, request, pk=None):
        return self._act(request, workflow.decide_reassignment, DecideReassignSerializer)

    @extend_schema(request=ExtendSerializer, responses=AssignmentDetailSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._act(request, workflow.extend_deadline, ExtendSerializer)

    @extend_schema(request=ConsultationSerializer, responses=AssignmentDetailSerializer)
    @action(detail=True, methods=["post"])
    def consultations(self, request, pk=None):
        return self._act(request, workflow.record_consultation, ConsultationSerializer)

    @extend_schema(request=OpinionInputSerializer, responses=AssignmentDetailSerializer)
    @action(detail=True, methods=["post"])
    def opinion(self, request, pk=None):
        """会办意见: a co-handling unit's answer, sent to the lead unit."""
        return self._act(request, workflow.send_opinion, OpinionInputSerializer)

    @extend_schema(request=ReplyInputSerializer, responses=AssignmentDetailSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        return self._act(request, workflow.reply, ReplyInputSerializer)


class ReplyFilter(django_filters.FilterSet):
    replied_after = OnOrAfter("replied_on")
    replied_before = OnOrBefore("replied_on")

    class Meta:
        model = Reply
        fields = ["assignment", "result", "replied_after", "replied_before"]


class ReplyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """答复 of the proposals the caller may read; the proposer rates one with POST …/feedback/."""

    queryset = Reply.objects.none()
    serializer_class = ReplySerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = ReplyFilter
    ordering_fields = ["replied_on", "id"]

    def get_queryset(self):
        return Reply.objects.filter(
            assignment__proposal__in=proposals_for(self.request.user).values("pk")
        ).select_related("assignment__proposal", "feedback")

    @extend_schema(request=FeedbackSerializer, responses=ReplySerializer)
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        answer = self.get_object()
        body = FeedbackSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        workflow.give_feedback(answer, by=request.user, **body.validated_data)
        return Response(ReplySerializer(self.get_queryset().get(pk=answer.pk)).data)


class FiguresView(APIView):
    """The proposal figures (DOMAIN §3.7) of a committee the caller may read, for a session
    (?session=) or a calendar year (?year=)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("committee", int),
            OpenApiParameter("session", int),
            OpenApiParameter("year", int),
        ],
        responses={200: dict},
    )
    def get(self, request):
        params = request.query_params
        if not is_digits(params.get("committee", "")) or not (
            is_digits(params.get("session", "")) ^ is_digits(params.get("year", ""))
        ):
            raise serializers.ValidationError(
                {"non_field_errors": [_("请提供 committee，以及 session 或 year 之一。")]}
            )
        committee = (
            readable(Committee.objects.all(), request.user, via="id")
            .filter(pk=int(params["committee"]))
            .first()
        )
        if committee is None:
            raise NotFound
        if params.get("session"):
            session = PlenarySession.objects.filter(
                pk=int(params["session"]), term__committee=committee
            ).first()
            if session is None:
                raise NotFound
            return Response(proposal_figures(committee, session=session))
        return Response(proposal_figures(committee, year=year_of(params["year"])))


def register(router) -> None:
    router.register("proposals", ProposalViewSet, basename="proposal")
    router.register("assignments", AssignmentViewSet, basename="assignment")
    router.register("replies", ReplyViewSet, basename="reply")
