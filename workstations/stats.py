"""Workstation figures (DOMAIN §5), computed in the database: a constant number of queries
however many districts and stations there are."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from members.models import Level, Seat, SeatStatus
from workstations.models import Activity, Placement, Street, Tier, Workstation


def _subquery(queryset, *, ref: str, aggregate):
    """One figure per outer row: `aggregate` over `queryset` rows whose `ref` is the outer pk."""
    rows = queryset.filter(**{ref: OuterRef("pk")}).order_by().values(ref)
    return Coalesce(
        Subquery(rows.annotate(figure=aggregate).values("figure"), output_field=IntegerField()),
        Value(0),
    )


def current_placements():
    return Placement.objects.filter(left_on__isnull=True)


def district_figures(committee_ids, year: int) -> dict[int, dict]:
    """Per committee (a district, or the municipal committee's own studios and contact points):
    stations, streets and street coverage, entry rate (active seats placed in at least one
    workstation ÷ active seats, Hong Kong and Macao members excluded), the sectors its studios
    cover, the workstations certified 达标授牌 and named 示范点 by the end of the year,
    activities and public participants of the year, in all and per workstation (of any tier)."""
    figures = {
        pk: {
            "stations": 0,
            "studios": 0,
            "contact_points": 0,
            "studio_sectors": 0,
            "certified": 0,
            "demonstrations": 0,
            "streets": 0,
            "covered_streets": 0,
            "seats": 0,
            "placed_seats": 0,
            "activities": 0,
            "participants": 0,
        }
        for pk in committee_ids
    }
    active = Workstation.objects.filter(committee__in=committee_ids, is_active=True)
    for row in (
        active.order_by()
        .values("committee")
        .annotate(
            stations=Count("pk", filter=Q(tier=Tier.STATION)),
            studios=Count("pk", filter=Q(tier=Tier.STUDIO)),
            contact_points=Count("pk", filter=Q(tier=Tier.CONTACT_POINT)),
            studio_sectors=Count("sector", filter=Q(tier=Tier.STUDIO), distinct=True),
            certified=Count("pk", filter=Q(certified_year__lte=year)),
            demonstrations=Count("pk", filter=Q(demonstration_year__lte=year)),
        )
    ):
        figures[row.pop("committee")].update(row)
    streets = Street.objects.filter(committee__in=committee_ids).annotate(
        covered=Exists(active.filter(tier=Tier.STATION, street=OuterRef("pk")))
    )
    for row in (
        streets.order_by()
        .values("committee")
        .annotate(streets=Count("pk"), covered_streets=Count("pk", filter=Q(covered=True)))
    ):
        figures[row.pop("committee")].update(row)
    seats = Seat.objects.filter(
        committee__in=committee_ids, status=SeatStatus.ACTIVE, is_hk_macao=False
    ).annotate(placed=Exists(current_placements().filter(seat=OuterRef("pk"))))
    for row in (
        seats.order_by()
        .values("committee")
        .annotate(seats=Count("pk"), placed_seats=Count("pk", filter=Q(placed=True)))
    ):
        figures[row.pop("committee")].update(row)
    activities = Activity.objects.filter(
        workstation__committee__in=committee_ids, held_on__year=year
    )
    for row in (
        activities.order_by()
        .values("workstation__committee")
        .annotate(activities=Count("pk"), participants=Coalesce(Sum("public_participants"), 0))
    ):
        figures[row.pop("workstation__committee")].update(row)
    for values in figures.values():
        values["street_coverage"] = _rate(values["covered_streets"], values["streets"])
        values["entry_rate"] = _rate(values["placed_seats"], values["seats"])
        workstations = values["stations"] + values["studios"] + values["contact_points"]
        values["workstations"] = workstations
        values["activities_per_workstation"] = _ratio(values["activities"], workstations)
        values["participants_per_workstation"] = _ratio(values["participants"], workstations)
    return figures


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 1) if whole else None


def station_figures(workstations, year: int):
    """Each workstation with its current members by level and its activities of the year."""
    placements = current_placements()
    activities = Activity.objects.filter(held_on__year=year)
    attendances = Activity.attendees.through.objects.filter(activity__held_on__year=year)
    return workstations.annotate(
        national_members=_subquery(
            placements.filter(seat__committee__level=Level.NATIONAL),
            ref="workstation",
            aggregate=Count("pk"),
        ),
        municipal_members=_subquery(
            placements.filter(seat__committee__level=Level.MUNICIPAL),
            ref="workstation",
            aggregate=Count("pk"),
        ),
        district_members=_subquery(
            placements.filter(seat__committee__level=Level.DISTRICT),
            ref="workstation",
            aggregate=Count("pk"),
        ),
        activity_count=_subquery(activities, ref="workstation", aggregate=Count("pk")),
        participants=_subquery(activities, ref="workstation", aggregate=Sum("public_participants")),
        member_attendances=_subquery(
            attendances, ref="activity__workstation", aggregate=Count("pk")
        ),
    )
