"""The sections of the yearly statistics, one per area (DOMAIN §3.7, §4, §5, §6; later §7, §8).

An app declares its section in its own `yearbook.py` (found by YearbookConfig.ready):

    @section("proposals", title=_("提案工作"), order=10,
             figures=[Figure("submitted", _("提交提案"), _("件")), ...],
             breakdowns=[Breakdown("by_category", _("按类别"), chart="bar"), ...])
    def proposals(committee, year) -> dict: ...   # database aggregates, JSON-serialisable

The snapshot stores each section's dict under its key; the page, the Excel file and the API
read the labels from here, so stored snapshots stay language-neutral.

The roll-up 市区联动汇总 (yearbook.rollup) totals a committee's own figures and those of the
committees below it; each figure says how (`total=`): SUM adds the parts' counts; Rate(part,
whole) recomputes a rate from the summed counts (never an average of percentages); Change(key,
previous) a year-on-year change from the sums; ONCE takes the figure the section's `pooled`
function counted once over the whole tree (joint work 联动 credited to each organiser); None
leaves the total empty. By default a count is summed and a percentage is not totalled.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# The label of the proposals (or other rows) a breakdown cannot place: no party, no sector …
UNKNOWN = _("未注明")


def _number(value) -> float:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else 0


def lookup(values: dict, key: str) -> float:
    """A summed count, or an item of a summed breakdown ("ratings.satisfied"), or a whole
    breakdown added up ("ratings")."""
    name, _dot, item = key.partition(".")
    value = values.get(name)
    if isinstance(value, dict):
        return _number(value.get(item)) if item else sum(map(_number, value.values()))
    return _number(value)


@dataclass(frozen=True)
class Sum:
    """The parts' values added (records of one committee each: nothing is counted twice)."""

    def total(self, summed: dict, pooled: dict, key: str):
        return summed.get(key)

    def describe(self, section) -> str:
        return str(_("合计"))


@dataclass(frozen=True)
class Rate:
    """A rate recomputed from the summed counts: sum(part) ÷ sum(whole) × scale."""

    part: tuple[str, ...]
    whole: tuple[str, ...]
    scale: int = 100

    def total(self, summed: dict, pooled: dict, key: str):
        whole = sum(lookup(summed, k) for k in self.whole)
        if not whole:
            return None
        return round(self.scale * sum(lookup(summed, k) for k in self.part) / whole, 1)

    def describe(self, section) -> str:
        def names(keys):
            return "+".join(section.label_of(k) for k in keys)

        return str(_("按合计重算：%(part)s ÷ %(whole)s")) % {
            "part": names(self.part),
            "whole": names(self.whole),
        }


@dataclass(frozen=True)
class Change:
    """The year-on-year change (%) recomputed from the summed counts of both years."""

    key: str
    previous: str

    def total(self, summed: dict, pooled: dict, key: str):
        previous = lookup(summed, self.previous)
        if not previous:
            return None
        return round(100 * (lookup(summed, self.key) - previous) / previous, 1)

    def describe(self, section) -> str:
        return str(_("按合计重算同比：（%(now)s − %(before)s）÷ %(before)s")) % {
            "now": section.label_of(self.key),
            "before": section.label_of(self.previous),
        }


@dataclass(frozen=True)
class Once:
    """Counted once over the whole tree by the section's `pooled` function: joint work is
    credited to each organiser in their own column but appears once in the total."""

    def total(self, summed: dict, pooled: dict, key: str):
        return pooled.get(key)

    def describe(self, section) -> str:
        return str(_("合并去重统计（同一记录只计一次）"))


SUM, ONCE = Sum(), Once()
TotalRule = Sum | Rate | Change | Once


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str = ""
    headline: bool = False  # shown when districts are compared side by side
    total: TotalRule | str | None = "default"  # how the roll-up totals it (see the docstring)

    @property
    def rule(self) -> TotalRule | None:
        if self.total == "default":
            return None if self.unit == "%" else SUM
        return self.total  # type: ignore[return-value]


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
    # (committee ids, year) -> the ONCE figures counted over those committees together
    pooled: Callable[..., dict] | None = None

    def label_of(self, key: str) -> str:
        """A figure's label, or a breakdown's (item's) label, for stating how a total is made."""
        name, _dot, item = key.partition(".")
        for figure in self.figures:
            if figure.key == name:
                return str(figure.label)
        for breakdown in self.breakdowns:
            if breakdown.key == name:
                return breakdown.label_of(item) if item else str(breakdown.label)
        return key


SECTIONS: dict[str, Section] = {}


def section(key: str, *, title, order: int, figures=(), breakdowns=(), pooled=None):
    """Register the decorated function(committee, year) -> dict as a section of the statistics;
    `pooled(committee_ids, year) -> dict` supplies the figures whose total is ONCE."""

    def register(compute):
        SECTIONS[key] = Section(key, title, order, compute, list(figures), list(breakdowns), pooled)
        return compute

    return register


def ordered() -> list[Section]:
    return sorted(SECTIONS.values(), key=lambda s: (s.order, s.key))
