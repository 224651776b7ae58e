"""REST API of consultations: plans, topics (with their decisions as actions), meetings,
suggestions (with the addressee's response as an action) and leader instructions, plus the
year's figures and a plan's cadence. District offices write their own district's records."""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from consultations import workflow
from consultations.models import Instruction, Meeting, Plan, Suggestion, Topic
from consultations.selectors import topics_for
from consultations.stats import cadence, year_figures
from core.api import (
    CommitteeScopedViewSet,
    ScopedModelSerializer,
    ScopedPrimaryKeyRelatedField,
    run_act,
)
from core.params import is_digits, year_of
from core.rest import OnOrAfter, OnOrBefore, YearFilter
from core.scoping import readable
from members.models import Committee

WRITE = [
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
]


class PlanSerializer(ScopedModelSerializer):
    class Meta:
        model = Plan
        fields = ["id", "committee", "year", "approved_on", "notes"]
        read_only_fields = ["approved_on"]
        validators = []  # one plan a year: the act answers, naming the field


class ApprovePlanSerializer(serializers.Serializer):
    approved_on = serializers.DateField()


class PlanViewSet(CommitteeScopedViewSet, *WRITE):
    """年度协商计划; approve one with POST …/approve/."""

    queryset = Plan.objects.all()
    serializer_class = PlanSerializer
    filterset_fields = ["committee", "year"]

    def perform_create(self, serializer):
        serializer.instance = workflow.create_plan(
            by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = workflow.update_plan(
            serializer.instance, by=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=ApprovePlanSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        plan = run_act(self, request, workflow.approve_plan, ApprovePlanSerializer)
        return Response(self.get_serializer(plan).data)

    @extend_schema(
        responses=inline_serializer(
            "CadenceWindow",
            {
                "months": serializers.ListField(child=serializers.IntegerField()),
                "meetings": serializers.ListField(child=serializers.DictField()),
                "topics": serializers.ListField(child=serializers.DictField()),
                "gap": serializers.BooleanField(),
            },
            many=True,
        )
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def cadence(self, request, pk=None):
        """The six two-month windows of the year; `gap` marks those without a bi-monthly
        consultation meeting."""
        return Response(cadence(self.get_object()))


class TopicSerializer(ScopedModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Topic
        fields = [
            "id",
            "committee",
            "year",
            "title",
            "reason",
            "proposer_kind",
            "proposer",
            "meeting_kind",
            "state",
            "state_display",
            "plan",
            "planned_month",
        ]
        read_only_fields = ["state", "plan", "planned_month"]


class DecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ConfirmSerializer(DecisionSerializer):
    plan = ScopedPrimaryKeyRelatedField(queryset=Plan.objects.all())
    planned_month = serializers.IntegerField(min_value=1, max_value=12)


class TopicFilter(django_filters.FilterSet):
    class Meta:
        model = Topic
        fields = ["committee", "year", "state", "meeting_kind", "proposer_kind", "plan"]


class TopicViewSet(CommitteeScopedViewSet, *WRITE):
    """协商议题: proposed → shortlisted → confirmed or rejected, by POST actions."""

    queryset = Topic.objects.all()
    serializer_class = TopicSerializer
    filterset_class = TopicFilter
    search_fields = ["title", "proposer"]

    def get_queryset(self):
        return topics_for(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = workflow.propose_topic(
            by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = workflow.update_topic(
            serializer.instance, by=self.request.user, **serializer.validated_data
        )

    def _decide(self, request, act, body_class=DecisionSerializer):
        topic = run_act(self, request, act, body_class)
        return Response(TopicSerializer(topic, context=self.get_serializer_context()).data)

    @extend_schema(request=DecisionSerializer, responses=TopicSerializer)
    @action(detail=True, methods=["post"])
    def shortlist(self, request, pk=None):
        return self._decide(request, workflow.shortlist_topic)

    @extend_schema(request=ConfirmSerializer, responses=TopicSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._decide(request, workflow.confirm_topic, ConfirmSerializer)

    @extend_schema(request=DecisionSerializer, responses=TopicSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, workflow.reject_topic)


class MeetingSerializer(ScopedModelSerializer):
    """A meeting's particulars; its status moves only by POST …/hold/ and …/cancel/."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "committee",
            "kind",
            "kind_display",
            "title",
            "topic",
            "held_on",
            "venue",
            "organiser",
            "leaders",
            "is_closed",
            "status",
            "status_display",
            "cancel_reason",
            "materials",
            "summary",
        ]
        read_only_fields = ["status", "cancel_reason"]


class HoldSerializer(serializers.Serializer):
    summary = serializers.CharField(allow_blank=True, default="")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, default="")


class MeetingFilter(django_filters.FilterSet):
    year = YearFilter(field_name="held_on")
    held_after = OnOrAfter("held_on")
    held_before = OnOrBefore("held_on")

    class Meta:
        model = Meeting
        fields = [
            "committee",
            "kind",
            "status",
            "topic",
            "year",
            "is_closed",
            "held_after",
            "held_before",
        ]


class MeetingViewSet(CommitteeScopedViewSet, *WRITE):
    """协商会议 of every kind: planned, then held (POST …/hold/) or cancelled (…/cancel/)."""

    queryset = Meeting.objects.select_related("committee")
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    search_fields = ["title", "venue"]
    ordering_fields = ["held_on", "id"]

    def perform_create(self, serializer):
        serializer.instance = workflow.plan_meeting(
            by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = workflow.update_meeting(
            serializer.instance, by=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=HoldSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        meeting = run_act(self, request, workflow.hold_meeting, HoldSerializer)
        return Response(self.get_serializer(meeting).data)

    @extend_schema(request=CancelSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        meeting = run_act(self, request, workflow.cancel_meeting, CancelSerializer)
        return Response(self.get_serializer(meeting).data)


class SuggestionSerializer(ScopedModelSerializer):
    """A suggestion's text, meeting and addressee; the response is recorded by POST
    …/respond/."""

    status_display = serializers.CharField(source="get_status_display", read_only=True)
    committee = serializers.IntegerField(source="meeting.committee_id", read_only=True)

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "committee",
            "meeting",
            "text",
            "addressee",
            "status",
            "status_display",
            "response",
            "responded_on",
        ]
        read_only_fields = ["status", "response", "responded_on"]


class RespondSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[Suggestion.Status.ADOPTED, Suggestion.Status.PARTLY, Suggestion.Status.NOT_ADOPTED]
    )
    response = serializers.CharField(allow_blank=True, default="")
    responded_on = serializers.DateField()


class SuggestionFilter(django_filters.FilterSet):
    committee = django_filters.NumberFilter(field_name="meeting__committee")
    year = YearFilter(field_name="meeting__held_on")

    class Meta:
        model = Suggestion
        fields = ["meeting", "addressee", "status", "committee", "year"]


class SuggestionViewSet(CommitteeScopedViewSet, *WRITE):
    """意见建议; record the addressee's decision with POST …/respond/."""

    queryset = Suggestion.objects.select_related("meeting")
    serializer_class = SuggestionSerializer
    filterset_class = SuggestionFilter
    search_fields = ["text"]

    def perform_create(self, serializer):
        serializer.instance = workflow.record_suggestion(
            by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = workflow.update_suggestion(
            serializer.instance, by=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=RespondSerializer, responses=SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        suggestion = run_act(self, request, workflow.respond_to_suggestion, RespondSerializer)
        return Response(self.get_serializer(suggestion).data)


class InstructionSerializer(ScopedModelSerializer):
    """A leader's instruction on one outcome report or one suggestion (give one of the two)."""

    class Meta:
        model = Instruction
        fields = ["id", "report", "suggestion", "leader", "given_on", "text"]


class InstructionViewSet(CommitteeScopedViewSet, *WRITE):
    """领导批示 on an outcome report or a suggestion."""

    queryset = Instruction.objects.select_related("report__meeting", "suggestion__meeting")
    serializer_class = InstructionSerializer
    filterset_fields = ["report", "suggestion", "leader"]
    search_fields = ["leader", "text"]

    def perform_create(self, serializer):
        serializer.instance = workflow.record_instruction(
            by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = workflow.update_instruction(
            serializer.instance, by=self.request.user, **serializer.validated_data
        )


class FiguresView(APIView):
    """The year's consultation figures of a committee the caller may read."""

    @extend_schema(
        parameters=[OpenApiParameter("committee", int), OpenApiParameter("year", int)],
        responses={200: dict},
    )
    def get(self, request):
        year = year_of(request.query_params.get("year"))
        committee_id = request.query_params.get("committee", "")
        if not is_digits(committee_id):
            raise serializers.ValidationError({"committee": [_("请提供 committee 与 year 参数。")]})
        committee = (
            readable(Committee.objects.all(), request.user, via="id")
            .filter(pk=committee_id)
            .first()
        )
        if committee is None:
            raise NotFound
        return Response(year_figures(committee, year))


def register(router) -> None:
    router.register("consultation-plans", PlanViewSet)
    router.register("consultation-topics", TopicViewSet)
    router.register("consultation-meetings", MeetingViewSet)
    router.register("suggestions", SuggestionViewSet)
    router.register("instructions", InstructionViewSet)
