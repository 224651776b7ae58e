"""Personal data (phone, ID number, address) is for staff of a committee where the person holds a
seat: never for other districts, members, handling units, API clients or public pages — with one
need-to-know exception kept with its reason in proposals.permissions.proposer_phone (a unit
handling a proposal may call its proposer)."""

from django.db.models import Exists, OuterRef, QuerySet

from core.scoping import writable_committee_ids
from members.models import Person, Seat


def _committee_ids(user):
    if user.is_superuser:
        return None
    if not (user.is_active and user.is_staff) or hasattr(user, "api_token"):
        return frozenset()
    return writable_committee_ids(user)


def can_see_personal_data(user, person: Person) -> bool:
    ids = _committee_ids(user)
    if ids is None:
        return True
    return bool(ids) and person.seats.filter(committee__in=ids).exists()


def with_personal_data_flag(persons: QuerySet, user, *, via: str = "") -> QuerySet:
    """Annotate `personal_visible` on each row (`via` is the path to the Person, e.g. "person")."""
    ids = _committee_ids(user)
    if ids is None:
        return persons.annotate(personal_visible=Exists(Seat.objects.all()))
    person_ref = OuterRef(f"{via}__pk" if via else "pk")
    return persons.annotate(
        personal_visible=Exists(Seat.objects.filter(person=person_ref, committee__in=ids))
    )
