"""Which committees' records a user may read or write — the one place that decides it.

A user reads their own committee's records and those of the committees below it (a municipal
user reads its districts: 市区联动), and writes only their own committee's. A handling unit's staff
work within the unit's committee. Superusers are unrestricted. Admin, pages, API and workflow
functions all filter through `readable()` / `writable()`.
"""

from django.db.models import Q, QuerySet

from members.models import Committee

_CACHE = "_committee_scope_cache"


def _scope(user) -> tuple[frozenset[int], frozenset[int]] | None:
    """(readable ids, writable ids) for the user; None means unrestricted (superuser)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset(), frozenset()
    if user.is_superuser:
        return None
    cached = getattr(user, _CACHE, False)
    if cached is not False:
        return cached
    home = user.home_committee_id
    if home is None:
        scope = (frozenset(), frozenset())
    else:
        # Committees form a tree of at most three levels (national > municipal > district).
        below = Committee.objects.filter(
            Q(pk=home) | Q(parent_id=home) | Q(parent__parent_id=home)
        ).values_list("pk", flat=True)
        scope = (frozenset(below), frozenset([home]))
    setattr(user, _CACHE, scope)
    return scope


def readable_committee_ids(user) -> frozenset[int] | None:
    scope = _scope(user)
    return None if scope is None else scope[0]


def writable_committee_ids(user) -> frozenset[int] | None:
    scope = _scope(user)
    return None if scope is None else scope[1]


def _filter(queryset: QuerySet, ids: frozenset[int] | None, via: str) -> QuerySet:
    if ids is None:
        return queryset
    return queryset.filter(**{f"{via}__in": ids})


def readable(queryset: QuerySet, user, *, via: str = "committee") -> QuerySet:
    """The part of `queryset` the user may read; `via` is the path to the record's committee."""
    return _filter(queryset, readable_committee_ids(user), via)


def writable(queryset: QuerySet, user, *, via: str = "committee") -> QuerySet:
    """The part of `queryset` the user may change."""
    return _filter(queryset, writable_committee_ids(user), via)


def can_read(user, committee_id: int | None) -> bool:
    ids = readable_committee_ids(user)
    return ids is None or committee_id in ids


def can_write(user, committee_id: int | None) -> bool:
    ids = writable_committee_ids(user)
    return ids is None or committee_id in ids
