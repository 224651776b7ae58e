"""The sections of the yearly statistics, one per area (DOMAIN §3.7, §4, §5, §6; later §7, §8).

An app declares its section in its own `yearbook.py` (found by YearbookConfig.ready):

    @section("proposals", title=_("提案工作"), order=10,
             figures=[Figure("submitted", _("提交提案"), _("件")), ...],
             breakdowns=[Breakdown("by_category", _("按类别"), chart="bar"), ...])
    def proposals(committee, year) -> dict: ...   # database aggregates, JSON-serialisable

The snapshot stores each section's dict under its key; the page, the Excel file and the API
read the labels from here, so stored snapshots stay language-neutral.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# The label of the proposals (or other rows) a breakdown cannot place: no party, no sector …
UNKNOWN = _("未注明")


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str = ""
    headline: bool = False  # shown when districts are compared side by side


@dataclass(frozen=True)
class Breakdown:
    """A dict of counts in the section's data, drawn as a chart; `labels` names its keys (a
    TextChoices class or a mapping) when they are codes rather than names."""

    key: str
    label: str
    chart: str = "bar"  # "bar" or "pie"
    labels: Mapping | type | None = None

    def label_of(self, key: str) -> str:
        labels = self.labels
        if labels is not None and not isinstance(labels, Mapping):
            labels = dict(labels.choices)
        if labels and key in labels:
            return str(labels[key])
        return key or str(UNKNOWN)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    order: int
    compute: Callable[..., dict]
    figures: list[Figure] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)


SECTIONS: dict[str, Section] = {}


def section(key: str, *, title, order: int, figures=(), breakdowns=()):
    """Register the decorated function(committee, year) -> dict as a section of the statistics."""

    def register(compute):
        SECTIONS[key] = Section(key, title, order, compute, list(figures), list(breakdowns))
        return compute

    return register


def ordered() -> list[Section]:
    return sorted(SECTIONS.values(), key=lambda s: (s.order, s.key))
