"""REST API of workstations: list/detail for every reader; district offices create and update
their own district's workstations, placements and activities (through workstations.workflow)."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import CommitteeScopedViewSet, ScopedModelSerializer, ScopedPrimaryKeyRelatedField
from core.params import year_of
from core.rest import OnOrAfter, OnOrBefore, YearFilter
from core.scoping import readable
from members.models import Committee, Level, Seat, SeatStatus
from workstations import workflow
from workstations.models import Activity, Placement, Street, Workstation
from workstations.selectors import activities_for, placements_for, workstations_for
from workstations.stats import district_figures
from yearbook.registry import SECTIONS
from yearbook.rollup import combine


class StreetSerializer(ScopedModelSerializer):
    class Meta:
        model = Street
        fields = ["id", "committee", "name", "kind", "order"]


class StreetViewSet(CommitteeScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """街镇."""

    queryset = Street.objects.all()
    serializer_class = StreetSerializer
    filterset_fields = ["committee", "kind"]
    search_fields = ["name"]


class WorkstationSerializer(ScopedModelSerializer):
    tier_display = serializers.CharField(source="get_tier_display", read_only=True)
    member_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Workstation
        fields = [
            "id",
            "committee",
            "tier",
            "tier_display",
            "name",
            "street",
            "sector",
            "host",
            "address",
            "established_on",
            "is_active",
            "member_count",
        ]

    def validate(self, attrs):
        try:
            Workstation(**{**_current(self.instance), **attrs}).clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return attrs


def _current(instance) -> dict:
    if instance is None:
        return {}
    return {
        field: getattr(instance, field)
        for field in (
            "committee",
            "tier",
            "name",
            "street",
            "sector",
            "host",
            "address",
            "established_on",
            "is_active",
        )
    }


class WorkstationViewSet(
    CommitteeScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """站室点: member workstations, sector studios and contact points."""

    queryset = Workstation.objects.all()
    serializer_class = WorkstationSerializer
    filterset_fields = ["committee", "tier", "street", "sector", "is_active"]
    search_fields = ["name", "host"]
    ordering_fields = ["name", "id"]

    def get_queryset(self):
        return workstations_for(self.request.user)


class PlacementSerializer(ScopedModelSerializer):
    person_name = serializers.CharField(source="seat.person.name", read_only=True)
    level = serializers.CharField(source="seat.committee.level", read_only=True)
    seat = ScopedPrimaryKeyRelatedField(
        scope="readable_or_linkable",
        queryset=Seat.objects.filter(status=SeatStatus.ACTIVE),
        help_text="An active seat of this district or of a committee above it (a municipal or "
        "national member can join a district's station; another district's cannot); the "
        "municipal committee's studios and contact points also take its districts' members.",
    )

    class Meta:
        model = Placement
        fields = [
            "id",
            "workstation",
            "seat",
            "person_name",
            "level",
            "role",
            "joined_on",
            "left_on",
        ]
        read_only_fields = ["left_on"]


class EndPlacementSerializer(serializers.Serializer):
    left_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class PlacementFilter(django_filters.FilterSet):
    current = django_filters.BooleanFilter(field_name="left_on", lookup_expr="isnull")
    committee = django_filters.NumberFilter(field_name="workstation__committee")
    level = django_filters.ChoiceFilter(field_name="seat__committee__level", choices=Level.choices)

    class Meta:
        model = Placement
        fields = ["workstation", "seat", "role", "current", "committee", "level"]


class PlacementViewSet(
    CommitteeScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
):
    """落组进站: placements of members in workstations; end one with POST …/end/."""

    queryset = Placement.objects.all()
    serializer_class = PlacementSerializer
    filterset_class = PlacementFilter
    search_fields = ["seat__person__name"]

    def get_queryset(self):
        return placements_for(self.request.user)

    def perform_create(self, serializer):
        data = serializer.validated_data
        workstation = (
            readable(Workstation.objects.all(), self.request.user)
            .filter(pk=data["workstation"].pk)
            .first()
        )
        if workstation is None:
            raise serializers.ValidationError({"workstation": [_("站室点不存在。")]})
        serializer.instance = workflow.place(
            workstation=workstation,
            seat=data["seat"],
            role=data.get("role", "member"),
            joined_on=data["joined_on"],
            by=self.request.user,
        )

    @extend_schema(request=EndPlacementSerializer, responses=PlacementSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """The member leaves the workstation (the placement is kept as history)."""
        placement = self.get_object()
        body = EndPlacementSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        placement = workflow.end_placement(placement, by=request.user, **body.validated_data)
        return Response(PlacementSerializer(placement).data)


class ActivitySerializer(ScopedModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    attendees = ScopedPrimaryKeyRelatedField(
        scope="linkable", many=True, required=False, queryset=Seat.objects.all()
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "workstation",
            "kind",
            "kind_display",
            "held_on",
            "topic",
            "attendees",
            "public_participants",
            "outcomes",
        ]


class ActivityFilter(django_filters.FilterSet):
    committee = django_filters.NumberFilter(field_name="workstation__committee")
    year = YearFilter(field_name="held_on")
    held_after = OnOrAfter("held_on")
    held_before = OnOrBefore("held_on")

    class Meta:
        model = Activity
        fields = ["workstation", "kind", "committee", "year", "held_after", "held_before"]


class ActivityViewSet(
    CommitteeScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
):
    """站室点活动: recording one gives each member present a performance act."""

    queryset = Activity.objects.all()
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    search_fields = ["topic"]
    ordering_fields = ["held_on", "id"]

    def get_queryset(self):
        return activities_for(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        workstation = data.pop("workstation")
        if not readable(Workstation.objects.filter(pk=workstation.pk), self.request.user):
            raise serializers.ValidationError({"workstation": [_("站室点不存在。")]})
        serializer.instance = workflow.record_activity(
            workstation=workstation, by=self.request.user, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if data.pop("workstation", serializer.instance.workstation) != (
            serializer.instance.workstation
        ):
            raise serializers.ValidationError({"workstation": [_("活动不能移到其他站室点。")]})
        serializer.instance = workflow.update_activity(
            serializer.instance, by=self.request.user, **data
        )

    def perform_destroy(self, instance):
        workflow.delete_activity(instance, by=self.request.user)


class TotalFiguresSerializer(serializers.Serializer):
    """Workstation figures of one committee or, as `total`, of every committee the caller reads
    (districts and the municipal committee's own studios and contact points): counts summed,
    rates recomputed from the summed counts."""

    stations = serializers.IntegerField()
    studios = serializers.IntegerField()
    contact_points = serializers.IntegerField()
    certified = serializers.IntegerField(
        help_text="certified under the five-goods standard by the end of the year"
    )
    demonstrations = serializers.IntegerField(
        help_text="named demonstration sites by the end of the year"
    )
    streets = serializers.IntegerField()
    covered_streets = serializers.IntegerField()
    street_coverage = serializers.FloatField(allow_null=True, help_text="%")
    seats = serializers.IntegerField(help_text="active seats, Hong Kong and Macao excluded")
    placed_seats = serializers.IntegerField()
    entry_rate = serializers.FloatField(allow_null=True, help_text="%")
    activities = serializers.IntegerField()
    participants = serializers.IntegerField()
    workstations = serializers.IntegerField(help_text="of the three tiers")
    activities_per_workstation = serializers.FloatField(allow_null=True)


class DistrictFiguresSerializer(TotalFiguresSerializer):
    committee = serializers.IntegerField()
    committee_name = serializers.CharField()
    studio_sectors = serializers.IntegerField(help_text="sectors its studios cover")
    participants_per_workstation = serializers.FloatField(allow_null=True)


class FiguresSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    results = DistrictFiguresSerializer(many=True)
    own = DistrictFiguresSerializer(
        required=False,
        help_text="a municipal caller's own studios, contact points and members (absent for "
        "a district)",
    )
    total = TotalFiguresSerializer()


class FiguresView(APIView):
    """Workstation figures per district for a year: stations, street coverage, entry rate,
    activities and participants (DOMAIN §5). Districts the caller may read only; for a
    municipal caller also its own work and the city total (sums, rates recomputed)."""

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses=FiguresSerializer)
    def get(self, request):
        year = _year(request.query_params.get("year"))
        districts = readable(
            Committee.objects.filter(level=Level.DISTRICT),
            request.user,
            via="id",
        )
        names = dict(districts.values_list("pk", "short_name"))
        municipal = readable(
            Committee.objects.filter(level=Level.MUNICIPAL), request.user, via="id"
        ).values_list("pk", "short_name")
        owners = dict(municipal) | names
        figures = district_figures(list(owners), year)
        section = SECTIONS["workstations"]
        own = [
            {"committee": pk, "committee_name": owners[pk], **figures[pk]}
            for pk in owners
            if pk not in names
        ]
        body = {
            "year": year,
            "results": [
                {"committee": pk, "committee_name": names[pk], **figures[pk]} for pk in names
            ],
            # the figures with a total: not the intermediate sums of per-station ratios
            "total": TotalFiguresSerializer(combine(section, list(figures.values()), {})).data,
        }
        if len(own) == 1:
            body["own"] = own[0]
        return Response(body)


def _year(value) -> int:
    return year_of(value, default=timezone.localdate().year)


def register(router) -> None:
    router.register("streets", StreetViewSet)
    router.register("workstations", WorkstationViewSet)
    router.register("placements", PlacementViewSet)
    router.register("activities", ActivityViewSet)
