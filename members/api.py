"""REST API of the organisation directory: committees, terms, sessions, units, people and seats."""

import django_filters
from django.db.models import F
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import CommitteeScopedViewSet, ModelPermissions, ScopedModelSerializer
from core.rest import YearFilter
from core.roles import Role
from core.scoping import readable_committee_ids, writable_committee_ids
from members.models import Committee, HandlingUnit, Level, Person, PlenarySession, Seat, Term
from members.selectors import persons_for, seats_for


class CommitteeSerializer(ScopedModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Committee
        fields = ["id", "name", "short_name", "level", "level_display", "parent", "region_code"]


class CommitteeViewSet(CommitteeScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """政协委员会: the committees the caller may read."""

    queryset = Committee.objects.all()
    serializer_class = CommitteeSerializer
    filterset_fields = ["level", "parent"]
    search_fields = ["name", "short_name", "region_code"]
    ordering_fields = ["order", "region_code", "name"]


class TermSerializer(ScopedModelSerializer):
    class Meta:
        model = Term
        fields = ["id", "committee", "number", "starts_on", "ends_on"]


class TermViewSet(CommitteeScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """届."""

    queryset = Term.objects.all()
    serializer_class = TermSerializer
    filterset_fields = ["committee", "number"]


class PlenarySessionSerializer(ScopedModelSerializer):
    committee = serializers.IntegerField(source="term.committee_id", read_only=True)

    class Meta:
        model = PlenarySession
        fields = ["id", "committee", "term", "number", "title", "opens_on", "closes_on"]


class PlenarySessionFilter(django_filters.FilterSet):
    committee = django_filters.NumberFilter(field_name="term__committee")
    year = YearFilter(field_name="opens_on")

    class Meta:
        model = PlenarySession
        fields = ["committee", "term", "year"]


class PlenarySessionViewSet(
    CommitteeScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin
):
    """全体会议 (十四届二次会议 …)."""

    queryset = PlenarySession.objects.select_related("term")
    serializer_class = PlenarySessionSerializer
    filterset_class = PlenarySessionFilter


class HandlingUnitSerializer(ScopedModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = HandlingUnit
        fields = ["id", "committee", "name", "kind", "kind_display", "is_active"]


class HandlingUnitViewSet(
    CommitteeScopedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """承办单位: district offices keep their own district's list."""

    queryset = HandlingUnit.objects.all()
    serializer_class = HandlingUnitSerializer
    filterset_fields = ["committee", "kind", "is_active"]
    search_fields = ["name"]
    ordering_fields = ["name", "id"]


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    committee = serializers.IntegerField(allow_null=True, source="committee_id")
    handling_unit = serializers.IntegerField(allow_null=True, source="handling_unit_id")
    roles = serializers.ListField(child=serializers.CharField())
    readable_committees = serializers.ListField(child=serializers.IntegerField())
    writable_committees = serializers.ListField(child=serializers.IntegerField())


class MeView(APIView):
    """Who the caller is: account, roles and the committees it may read and write."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        every = Committee.objects.values_list("pk", flat=True)
        read, write = readable_committee_ids(user), writable_committee_ids(user)
        data = {
            "username": user.username,
            "name": user.name,
            "committee_id": user.committee_id,
            "handling_unit_id": user.handling_unit_id,
            "roles": sorted(
                code for code in user.groups.values_list("name", flat=True) if code in Role.labels
            ),
            "readable_committees": sorted(every if read is None else read),
            "writable_committees": sorted(every if write is None else write),
        }
        return Response(MeSerializer(data).data)


class SeatBriefSerializer(ScopedModelSerializer):
    committee_name = serializers.CharField(source="committee.short_name", read_only=True)
    level = serializers.CharField(source="committee.level", read_only=True)
    term_number = serializers.IntegerField(source="term.number", read_only=True)
    sector_name = serializers.CharField(source="sector.name", read_only=True, default=None)
    party_name = serializers.CharField(source="party.name", read_only=True, default=None)

    class Meta:
        model = Seat
        fields = [
            "id",
            "committee",
            "committee_name",
            "level",
            "term",
            "term_number",
            "sector",
            "sector_name",
            "party",
            "party_name",
            "position",
            "is_standing_committee",
            "status",
            "is_hk_macao",
            "started_on",
            "ended_on",
        ]


class PersonSerializer(ScopedModelSerializer):
    """A member with all their seats. Personal data (phone, ID number, address) is never part of
    the API."""

    seats = SeatBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "gender", "ethnicity", "employer", "seats"]


class PersonFilter(django_filters.FilterSet):
    committee = django_filters.NumberFilter(field_name="seats__committee", distinct=True)
    level = django_filters.ChoiceFilter(
        field_name="seats__committee__level", choices=Level.choices, distinct=True
    )
    sector = django_filters.NumberFilter(field_name="seats__sector", distinct=True)

    class Meta:
        model = Person
        fields = ["committee", "level", "sector", "gender"]


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """委员: people with a seat in a committee the caller may read, each with all their seats."""

    serializer_class = PersonSerializer
    queryset = Person.objects.none()  # for the schema; get_queryset scopes
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    filterset_class = PersonFilter
    search_fields = ["name", "employer"]

    def get_queryset(self):
        return persons_for(self.request.user)


class SeatSerializer(SeatBriefSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta(SeatBriefSerializer.Meta):
        fields = ["person", "person_name", *SeatBriefSerializer.Meta.fields, "special_committees"]


class SeatFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(field_name="committee__level", choices=Level.choices)

    class Meta:
        model = Seat
        fields = [
            "committee",
            "term",
            "level",
            "status",
            "sector",
            "party",
            "is_hk_macao",
            "is_standing_committee",
            "person",
        ]


class SeatViewSet(viewsets.ReadOnlyModelViewSet):
    """委员身份: seats (person × committee × term) in the committees the caller may read."""

    serializer_class = SeatSerializer
    queryset = Seat.objects.none()
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    filterset_class = SeatFilter
    search_fields = ["person__name", "person__employer"]
    ordering_fields = ["person_name", "started_on", "id"]

    def get_queryset(self):
        # Ordered by name through an alias: a cursor cannot follow a relation.
        return seats_for(self.request.user).annotate(person_name=F("person__name"))


def register(router) -> None:
    router.register("members", PersonViewSet, basename="person")
    router.register("seats", SeatViewSet, basename="seat")
    router.register("committees", CommitteeViewSet)
    router.register("terms", TermViewSet)
    router.register("sessions", PlenarySessionViewSet)
    router.register("handling-units", HandlingUnitViewSet)
