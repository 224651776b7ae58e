"""The staff workbench on the admin's home page: each user's own queues, a count per stage, each
linking to its list (newest or most urgent first).

Each app declares its stages in its own `workbench.py` (found by CoreConfig.ready):

    @queue(_("提案"))
    def proposals(user) -> list[Stage]:
        ...  # the stages of the roles the user holds, counted in one query where possible

A queue shows only the stages of the user's roles, and only to a user who holds one of them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.http import urlencode


@dataclass(frozen=True)
class Stage:
    label: str
    count: int
    url: str
    urgent: bool = False  # shown in red while its count is above zero


SOURCES: list[tuple[str, Callable[..., list[Stage]]]] = []


def queue(title):
    """Register the decorated function (user → stages) as the queue named `title`."""

    def register(function):
        SOURCES.append((title, function))
        return function

    return register


def queues(user) -> list[tuple[str, list[Stage]]]:
    """(title, stages) of every queue with a stage for this user."""
    found = [(str(title), function(user)) for title, function in SOURCES]
    return [(title, stages) for title, stages in found if stages]


def counts(queryset: QuerySet, **stages: Q) -> dict[str, int]:
    """Count the rows of each stage (a filter) in one query."""
    if not stages:
        return {}
    return queryset.aggregate(**{name: Count("pk", filter=q) for name, q in stages.items()})


def list_url(model, **filters) -> str:
    """The admin's change list of `model`, filtered (`status__exact="planned"` …)."""
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url
