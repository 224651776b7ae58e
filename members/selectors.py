"""Reads of the organisation directory, scoped to the user."""

from django.db.models import Count, Prefetch, Q, QuerySet

from core.roles import Role
from core.scoping import linkable_committee_ids, readable, readable_committee_ids
from members.models import Committee, HandlingUnit, Person, PlenarySession, Seat, Term
from members.performance import yearly_record


def user_roles(user) -> list[tuple[str, str]]:
    """The user's roles as (code, label), in the order of Role.labels."""
    codes = set(user.groups.values_list("name", flat=True))
    return [(code, Role.label(code)) for code in Role.labels if code in codes]


def committees_for(user) -> QuerySet[Committee]:
    return (
        readable(Committee.objects.all(), user, via="id")
        .select_related("parent")
        .annotate(unit_count=Count("handling_units", distinct=True))
        .order_by("order", "region_code")
    )


def committee_detail_for(user, pk: int) -> Committee:
    """The committee with its terms, sessions and handling units; DoesNotExist when not readable."""
    terms = Term.objects.prefetch_related(
        Prefetch("sessions", queryset=PlenarySession.objects.order_by("number"))
    )
    return (
        readable(Committee.objects.all(), user, via="id")
        .select_related("parent")
        .prefetch_related(
            Prefetch("terms", queryset=terms),
            Prefetch("handling_units", queryset=HandlingUnit.objects.filter(is_active=True)),
            "children",
        )
        .get(pk=pk)
    )


def visible_seats(user) -> QuerySet[Seat]:
    """Seats in the committees the user may read, and the seats that the same people hold in
    the committees above (a district sees its three-level members' municipal and national
    seats — public facts — but never a seat of another district)."""
    readable_ids, above = readable_committee_ids(user), linkable_committee_ids(user)
    if readable_ids is None or above is None:
        return Seat.objects.all()
    own_people = Seat.objects.filter(committee__in=readable_ids).values("person")
    return Seat.objects.filter(
        Q(committee__in=readable_ids) | Q(committee__in=above, person__in=own_people)
    )


def seats_for(user) -> QuerySet[Seat]:
    """The seats the user may read (visible_seats), with what every list shows."""
    return (
        visible_seats(user)
        .select_related("person", "committee", "term", "sector", "party")
        .prefetch_related("special_committees")
    )


def persons_for(user) -> QuerySet[Person]:
    """People with a seat the user may read, each with their visible seats (the same seats
    `/seats/{id}/` answers)."""
    return (
        Person.objects.filter(pk__in=readable(Seat.objects.all(), user).values("person"))
        .prefetch_related(
            Prefetch(
                "seats",
                queryset=visible_seats(user)
                .select_related("committee", "term", "sector", "party")
                .order_by("committee__order", "-term__number"),
            )
        )
        .order_by("name", "id")
    )


def performance_of(person: Person, year: int):
    """A member's record for the year: per seat, the acts by kind with points (derived)."""
    seat_ids = [seat.pk for seat in person.seats.all()]
    return yearly_record(seat_ids, year)
