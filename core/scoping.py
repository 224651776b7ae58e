"""Which committees' records a user may read or write — the one place that decides it.

A user reads their own committee's records and those of the committees below it (a municipal
user reads its districts: 市区联动), and writes only their own committee's. A handling unit's staff
work within the unit's committee. Superusers are unrestricted.

Every model says how to reach its committee with a class attribute `committee_path` (e.g.
"term__committee"; a tuple of paths means any of them; "" marks reference data shared by all
committees). The admin's choices, the API's id fields and the selectors filter through
`readable()` / `writable()` / `linkable()`, which look that path up, so a model without one fails
loudly instead of leaking.
"""

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet

_CACHE = "_committee_scope_cache"
Ids = frozenset[int] | None  # None: unrestricted (a superuser)

# Paths of models that are not ours (set by register()); ours carry `committee_path`.
_PATHS: dict[type[Model], str | tuple[str, ...]] = {}


def register(model: type[Model], path: str | tuple[str, ...]) -> None:
    """Declare the committee path of a model we do not own (auth's Group, contenttypes …)."""
    _PATHS[model] = path


def committee_path(model: type[Model]) -> str | tuple[str, ...]:
    """The path from `model` to its committee; "" for reference data shared by all committees."""
    model = model._meta.concrete_model or model
    if model in _PATHS:
        return _PATHS[model]
    path = getattr(model, "committee_path", None)
    if path is None:
        raise ImproperlyConfigured(
            f"{model._meta.label} has no committee_path: say how its rows reach a committee."
        )
    return path


def _tree(home: int) -> frozenset[int]:
    committee = apps.get_model("members", "Committee")
    # Committees form a tree of at most three levels (national > municipal > district).
    return frozenset(
        committee.objects.filter(
            Q(pk=home) | Q(parent_id=home) | Q(parent__parent_id=home)
        ).values_list("pk", flat=True)
    )


def _ancestors(home: int) -> frozenset[int]:
    committee = apps.get_model("members", "Committee")
    row = committee.objects.filter(pk=home).values_list("parent_id", "parent__parent_id").first()
    return frozenset(pk for pk in (home, *(row or ())) if pk is not None)


Scope = tuple[frozenset[int], frozenset[int], frozenset[int]]


def _scope(user) -> Scope | None:
    """(readable, writable, linkable) committee ids; None means unrestricted (superuser)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset(), frozenset(), frozenset()
    if user.is_superuser:
        return None
    cached: Scope | None = getattr(user, _CACHE, None)
    if cached is not None:
        return cached
    home = user.home_committee_id
    scope: Scope
    if home is None:
        scope = (frozenset(), frozenset(), frozenset())
    else:
        scope = (_tree(home), frozenset([home]), _ancestors(home))
    setattr(user, _CACHE, scope)
    return scope


def committee_scope(user) -> Scope | None:
    """The user's (readable, writable, linkable) committee ids, for keeping between requests."""
    return _scope(user)


def remember_committee_scope(user, scope: Scope | None) -> None:
    """Give `user` a scope computed before (committee_scope); None only for a superuser."""
    if scope is not None:
        setattr(user, _CACHE, scope)


def readable_committee_ids(user) -> Ids:
    scope = _scope(user)
    return None if scope is None else scope[0]


def writable_committee_ids(user) -> Ids:
    scope = _scope(user)
    return None if scope is None else scope[1]


def linkable_committee_ids(user) -> Ids:
    """The user's own committee and those above it: a district may place or invite a municipal
    or national member, never another district's."""
    scope = _scope(user)
    return None if scope is None else scope[2]


def _crosses_many(model: type[Model], path: str) -> bool:
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        if field.related_model is None or isinstance(field.related_model, str):
            return False
        model = field.related_model
    return False


def _filter(queryset: QuerySet, ids: Ids, via: str | tuple[str, ...] | None) -> QuerySet:
    if ids is None:
        return queryset
    model = queryset.model
    paths = committee_path(model) if via is None else via
    if paths == "":
        return queryset  # reference data shared by every committee
    paths = (paths,) if isinstance(paths, str) else paths
    condition = Q()
    many = False
    for path in paths:
        lookup = "pk__in" if path == "id" else f"{path}__in"
        condition |= Q(**{lookup: ids})
        many = many or (path != "id" and _crosses_many(model, path))
    if many:  # a join through a to-many relation would repeat rows
        return queryset.filter(pk__in=model._default_manager.filter(condition).values("pk"))
    return queryset.filter(condition)


def readable(queryset: QuerySet, user, *, via: str | tuple[str, ...] | None = None) -> QuerySet:
    """The part of `queryset` the user may read; `via` overrides the model's committee path."""
    return _filter(queryset, readable_committee_ids(user), via)


def writable(queryset: QuerySet, user, *, via: str | tuple[str, ...] | None = None) -> QuerySet:
    """The part of `queryset` the user may change, or link a record of their own to."""
    return _filter(queryset, writable_committee_ids(user), via)


def linkable(queryset: QuerySet, user, *, via: str | tuple[str, ...] | None = None) -> QuerySet:
    """Rows of the user's committee and of the committees above it."""
    return _filter(queryset, linkable_committee_ids(user), via)


def readable_or_linkable(
    queryset: QuerySet, user, *, via: str | tuple[str, ...] | None = None
) -> QuerySet:
    """Rows of the committees the user reads or links to: a municipal office placing members of
    every level — its districts' too — in its own studios (the act checks the workstation)."""
    readable_ids, linkable_ids = readable_committee_ids(user), linkable_committee_ids(user)
    ids = None if readable_ids is None or linkable_ids is None else readable_ids | linkable_ids
    return _filter(queryset, ids, via)


def can_read(user, committee_id: int | None) -> bool:
    ids = readable_committee_ids(user)
    return ids is None or committee_id in ids


def can_write(user, committee_id: int | None) -> bool:
    ids = writable_committee_ids(user)
    return ids is None or committee_id in ids


def committee_id_of(obj, path: str | tuple[str, ...] | None = None) -> int | None:
    """Follow the committee path (the model's own unless given) from `obj` to a committee id;
    for a tuple of paths, the first that leads somewhere."""
    paths = committee_path(type(obj)) if path is None else path
    for single in (paths,) if isinstance(paths, str) else paths:
        if single == "id":
            return obj.pk
        target = obj
        for part in single.split("__"):
            target = getattr(target, part, None)
            if target is not None and hasattr(target, "all"):
                target = target.first()  # a to-many relation: its first row decides
            if target is None:
                break
        if target is not None:
            return target if isinstance(target, int) else target.pk
    return None
