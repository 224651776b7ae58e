"""GET /api/v1/statistics/{committee}/{year}/ — a committee's yearly statistics (own district;
a municipal office reads its districts, and its roll-up 市区联动汇总 under `rollup`); POST asks
for a recomputation (202; 503 when the task queue is down)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from yearbook import selectors, workflow
from yearbook.models import Snapshot
from yearbook.report import present
from yearbook.rollup import layout


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    value = serializers.FloatField(allow_null=True, help_text="null: not computable (no base)")


class BreakdownItemSerializer(serializers.Serializer):
    key = serializers.CharField(allow_blank=True)
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True)


class BreakdownSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    chart = serializers.ChoiceField(choices=["bar", "pie"])
    drawn = serializers.BooleanField(help_text="false: every count is zero (no chart to draw)")
    unknown = serializers.IntegerField(
        help_text="rows the breakdown cannot place (the item with the empty key)"
    )
    items = BreakdownItemSerializer(many=True)


class StatisticsSectionSerializer(serializers.Serializer):
    """One area of the statistics (proposals, consultations, workstations, …) as laid out by
    yearbook.report.present."""

    key = serializers.CharField()
    title = serializers.CharField()
    figures = FigureSerializer(many=True)
    breakdowns = BreakdownSerializer(many=True)


class RollupFigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    rule = serializers.CharField(help_text="how the total is made: a sum, a recomputed rate, …")
    own = serializers.FloatField(allow_null=True, help_text="the committee's own work")
    parts = serializers.ListField(
        child=serializers.FloatField(allow_null=True), help_text="in the order of `parts`"
    )
    total = serializers.FloatField(allow_null=True)
    total_change = serializers.FloatField(allow_null=True)


class RollupSectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    figures = RollupFigureSerializer(many=True)


class RollupPartSerializer(serializers.Serializer):
    committee = serializers.IntegerField(source="pk")
    committee_name = serializers.CharField(source="short_name")


class RollupSerializer(serializers.Serializer):
    """The roll-up 市区联动汇总 of a committee with committees below it."""

    parts = RollupPartSerializer(many=True)
    sections = RollupSectionSerializer(many=True)


class StatisticsSerializer(serializers.Serializer):
    committee = serializers.IntegerField(source="committee_id")
    committee_name = serializers.CharField(source="committee.name")
    year = serializers.IntegerField()
    computed_at = serializers.DateTimeField()
    sections = serializers.SerializerMethodField()

    rollup = RollupSerializer(
        required=False, help_text="a committee with committees below it: the city roll-up"
    )

    @extend_schema_field(StatisticsSectionSerializer(many=True))
    def get_sections(self, snapshot) -> list:
        return present(snapshot)


class StatisticsView(APIView):
    @extend_schema(responses=StatisticsSerializer, summary="年度统计")
    def get(self, request, committee: int, year: int):
        committee = selectors.committee_for(request.user, committee)
        snapshot = Snapshot.objects.filter(committee=committee, year=year).first()
        if snapshot is None:
            raise NotFound(_("该年度统计尚未生成。"))
        tree = selectors.tree(request.user, committee, year)
        if tree is not None:  # absent from the answer otherwise
            snapshot.rollup = layout(tree, selectors.tree(request.user, committee, year - 1))
        return Response(StatisticsSerializer(snapshot).data)

    @extend_schema(
        request=None,
        responses={
            202: inline_serializer("RecomputeAccepted", {"queued": serializers.IntegerField()}),
            503: OpenApiResponse(description="The task queue is down: nothing was queued."),
        },
        summary="重新计算年度统计",
    )
    def post(self, request, committee: int, year: int):
        committee = selectors.committee_for(request.user, committee)
        queued = workflow.request_recompute(request.user, [committee], year)
        return Response({"queued": queued}, status=status.HTTP_202_ACCEPTED)
