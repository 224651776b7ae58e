"""REST API of brands for district offices: the series they may file brands into, their brands
(registered, changed and retired through brands.workflow, with figures, milestones and images),
the rounds they may nominate to, their nominations (filed and withdrawn here, their PDF read
here) and a round's results once published. Individual expert scores are never exposed; a
candidacy's results only once its round is published."""

import django_filters
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from brands import workflow
from brands.models import Brand, Candidate, Image, KeyFigure, Milestone, Round, Series
from core.api import (
    CommitteeScopedViewSet,
    ScopedModelSerializer,
    ScopedPrimaryKeyRelatedField,
    run_act,
)
from core.errors import Invalid, WrongState
from core.files import file_response
from core.params import search_text
from core.rest import YearFilter
from core.scoping import linkable, readable
from members.models import Committee


def readable_or_linkable(queryset, user):
    """What the user reads (own committee and below) and what they may link to (the committees
    above): a district sees the municipal series and rounds it files brands and nominations to."""
    return queryset.filter(
        Q(pk__in=readable(queryset, user).values("pk"))
        | Q(pk__in=linkable(queryset, user).values("pk"))
    )


# --- Series --------------------------------------------------------------------------------------


class SeriesSerializer(ScopedModelSerializer):
    class Meta:
        model = Series
        fields = ["id", "committee", "name", "order"]
        read_only_fields = fields


class SeriesViewSet(CommitteeScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """品牌系列 of the caller's committee and of the committees above it."""

    queryset = Series.objects.all()
    serializer_class = SeriesSerializer
    filterset_fields = ["committee"]

    def get_queryset(self):
        return readable_or_linkable(Series.objects.all(), self.request.user)


# --- Brands --------------------------------------------------------------------------------------


class KeyFigureSerializer(serializers.ModelSerializer):
    class Meta:
        model = KeyFigure
        fields = ["id", "label", "value", "unit", "order"]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "happened_on", "title", "description"]


class ImageSerializer(serializers.ModelSerializer):
    """An image's address is the portal's image view (it checks who may see the brand)."""

    url = serializers.SerializerMethodField()

    def get_url(self, image) -> str:
        path = reverse("brands:image", args=[image.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    class Meta:
        model = Image
        fields = ["id", "url", "caption", "order"]


class BrandSerializer(ScopedModelSerializer):
    """A brand's particulars; its status changes only by POST …/status/."""

    linkable_fields = ("series",)  # a district brand sits in a municipal series

    series_name = serializers.CharField(source="series.name", read_only=True)
    owner = serializers.CharField(source="owner_label", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Brand
        fields = [
            "id",
            "committee",
            "special_committee",
            "owner",
            "series",
            "series_name",
            "name",
            "founded_year",
            "overview",
            "highlights",
            "status",
            "status_display",
            "merged_into",
            "is_public",
            "workstation",
            "workstation_tier",
            "meeting_kind",
            "proposal_category",
            "updated_at",
        ]
        read_only_fields = ["status", "merged_into", "updated_at"]
        # The caller's own committee unless given; one name per committee is the act's rule.
        extra_kwargs = {"committee": {"required": False}}
        validators = []


class BrandDetailSerializer(BrandSerializer):
    figures = KeyFigureSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    images = ImageSerializer(many=True, read_only=True)

    class Meta(BrandSerializer.Meta):
        fields = [*BrandSerializer.Meta.fields, "figures", "milestones", "images"]


class BrandStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Brand.Status.choices)
    reason = serializers.CharField(allow_blank=True, default="")
    merged_into = ScopedPrimaryKeyRelatedField(
        queryset=Brand.objects.all(),
        scope="linkable",
        required=False,
        allow_null=True,
        default=None,
    )


class BrandFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search")

    class Meta:
        model = Brand
        fields = ["series", "status", "committee", "q"]

    def search(self, queryset, name, value):
        text = search_text(value)
        return queryset.filter(name__icontains=text) if text else queryset


class BrandViewSet(
    CommitteeScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """工作品牌 of the caller's committee (and, for a municipal caller, of its districts); merge,
    retire or restore one with POST …/status/."""

    queryset = Brand.objects.select_related("committee", "special_committee", "series")
    serializer_class = BrandSerializer
    filterset_class = BrandFilter

    def get_queryset(self):
        brands = super().get_queryset()
        if self.action == "list":
            return brands
        return brands.prefetch_related("figures", "milestones", "images")

    def get_serializer_class(self):
        return BrandSerializer if self.action == "list" else BrandDetailSerializer

    def _detail(self, brand):
        return BrandDetailSerializer(
            self.get_queryset().get(pk=brand.pk), context=self.get_serializer_context()
        ).data

    @extend_schema(request=BrandSerializer, responses={201: BrandDetailSerializer})
    def create(self, request, *args, **kwargs):
        body = BrandSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        committee = (
            data.pop("committee", None)
            or Committee.objects.filter(pk=request.user.home_committee_id).first()
        )
        if committee is None:
            raise Invalid(_("请指定品牌所属政协。"), field="committee")
        brand = workflow.create_brand(committee=committee, by=request.user, **data)
        return Response(self._detail(brand), status=201)

    @extend_schema(request=BrandSerializer, responses=BrandDetailSerializer)
    def update(self, request, *args, **kwargs):
        brand = self.get_object()
        body = BrandSerializer(
            brand,
            data=request.data,
            partial=kwargs.get("partial", False),
            context=self.get_serializer_context(),
        )
        body.is_valid(raise_exception=True)
        # What the act cannot change is passed on only when it would change (a PUT repeats it).
        changes = {
            name: value
            for name, value in body.validated_data.items()
            if name in workflow.EDITABLE or getattr(brand, name) != value
        }
        brand = workflow.update_brand(brand, by=request.user, **changes)
        return Response(self._detail(brand))

    @extend_schema(request=BrandStatusSerializer, responses=BrandDetailSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        brand = run_act(self, request, workflow.change_status, BrandStatusSerializer)
        return Response(self._detail(brand))


# --- Rounds --------------------------------------------------------------------------------------


class RoundSerializer(ScopedModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Round
        fields = [
            "id",
            "committee",
            "year",
            "title",
            "series",
            "state",
            "state_display",
            *workflow.RULE_FIELDS,
            *workflow.DATE_FIELDS,
            "published_at",
        ]
        read_only_fields = fields


class ResultSerializer(ScopedModelSerializer):
    """A candidate's published result."""

    brand_name = serializers.CharField(source="brand.name", read_only=True)
    series = serializers.IntegerField(source="brand.series_id", read_only=True)
    series_name = serializers.CharField(source="brand.series.name", read_only=True)
    owner = serializers.CharField(source="brand.owner_label", read_only=True)
    award_display = serializers.CharField(source="get_award_display", read_only=True)

    class Meta:
        model = Candidate
        fields = [
            "number",
            "brand",
            "brand_name",
            "series",
            "series_name",
            "owner",
            "expert_score",
            "votes",
            "composite",
            "rank",
            "award",
            "award_display",
            "certificate_no",
        ]
        read_only_fields = fields


class RoundFilter(django_filters.FilterSet):
    year = YearFilter(field_name="year", lookup_expr="exact")

    class Meta:
        model = Round
        fields = ["committee", "state", "year"]


class RoundViewSet(CommitteeScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """品牌评选 of the caller's committee and of the committees above it (a district nominates to
    the municipal round); GET …/results/ once a round is published."""

    queryset = Round.objects.all()
    serializer_class = RoundSerializer
    filterset_class = RoundFilter

    def get_queryset(self):
        rounds = readable_or_linkable(Round.objects.all(), self.request.user)
        return rounds.prefetch_related("series")

    @extend_schema(responses=ResultSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def results(self, request, pk=None):
        """The eligible candidates with their scores, votes, ranks, awards and certificates, in
        the order of the series and the rank; 409 until the round is published."""
        round_ = self.get_object()
        if round_.state != Round.State.PUBLISHED:
            raise WrongState(_("评选结果尚未发布。"))
        candidates = (
            round_.candidates.filter(state=Candidate.State.ELIGIBLE)
            .select_related("brand__series", "brand__committee", "brand__special_committee")
            .order_by("brand__series__order", "brand__series", "rank", "number")
        )
        return Response(ResultSerializer(candidates, many=True).data)


# --- Nominations ---------------------------------------------------------------------------------


class NominationSerializer(ScopedModelSerializer):
    """A brand's candidacy in a round; `result` stays null until the round is published."""

    round_title = serializers.CharField(source="round.title", read_only=True)
    brand_name = serializers.CharField(source="brand.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    material_file = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()

    class Meta:
        model = Candidate
        fields = [
            "id",
            "round",
            "round_title",
            "brand",
            "brand_name",
            "number",
            "materials",
            "material_file",
            "state",
            "state_display",
            "check_reason",
            "nominated_at",
            "result",
        ]
        read_only_fields = fields

    def get_material_file(self, candidate) -> str | None:
        """The address of the nomination's PDF (GET …/material/), if it has one."""
        if not candidate.material_file:
            return None
        path = reverse("brand-nomination-material", args=[candidate.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(ResultSerializer(allow_null=True))
    def get_result(self, candidate):
        if candidate.round.state != Round.State.PUBLISHED:
            return None
        return ResultSerializer(candidate).data


class NominateSerializer(serializers.Serializer):
    """A nomination: a round of the caller's committee or one above it, one of its own brands."""

    round = ScopedPrimaryKeyRelatedField(queryset=Round.objects.all(), scope="linkable")
    brand = ScopedPrimaryKeyRelatedField(queryset=Brand.objects.all())
    materials = serializers.CharField()
    material_file = serializers.FileField(required=False, allow_null=True, default=None)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, default="")


class NominationFilter(django_filters.FilterSet):
    class Meta:
        model = Candidate
        fields = ["round", "brand", "state"]


class NominationViewSet(
    CommitteeScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
):
    """参评品牌: the caller's nominations (and, for an organiser, its round's); file one with POST,
    withdraw it with POST …/withdraw/ while nominations are open."""

    queryset = Candidate.objects.select_related(
        "round", "brand__series", "brand__committee", "brand__special_committee"
    )
    serializer_class = NominationSerializer
    filterset_class = NominationFilter

    def get_serializer_class(self):
        return NominateSerializer if self.action == "create" else NominationSerializer

    def check_object_permissions(self, request, obj):
        # A candidacy belongs first to the organising committee's round, yet the brand's own
        # office withdraws it: the act decides who may (brands.workflow), not the round's scope.
        viewsets.GenericViewSet.check_object_permissions(self, request, obj)

    @extend_schema(request=NominateSerializer, responses={201: NominationSerializer})
    def create(self, request, *args, **kwargs):
        body = NominateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        candidate = workflow.nominate(
            data["round"],
            data["brand"],
            by=request.user,
            materials=data["materials"],
            material_file=data["material_file"],
        )
        row = self.get_queryset().get(pk=candidate.pk)
        return Response(
            NominationSerializer(row, context=self.get_serializer_context()).data, status=201
        )

    @extend_schema(request=WithdrawSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        run_act(self, request, workflow.withdraw_nomination, WithdrawSerializer)
        return Response(status=204)

    @extend_schema(request=None, responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def material(self, request, pk=None):
        """The nomination's PDF (404 without one), named after the brand."""
        candidate = self.get_object()
        if not candidate.material_file:
            raise NotFound
        return file_response(candidate.material_file, name=f"{candidate.brand.name}.pdf")


def register(router) -> None:
    router.register("series", SeriesViewSet, basename="brand-series")
    router.register("brands", BrandViewSet, basename="brand")
    router.register("brand-rounds", RoundViewSet, basename="brand-round")
    router.register("nominations", NominationViewSet, basename="brand-nomination")
