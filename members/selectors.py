"""Reads of the organisation directory, scoped to the user."""

from django.db.models import Count, Prefetch, QuerySet

from members.models import Committee, HandlingUnit, PlenarySession, Term
from members.roles import Role
from members.scoping import readable


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
