"""The roll-up 市区联动汇总: a committee's figures for its own work, for each committee directly
below it (a district; for the national committee, a province's own total) and as the total of
its tree — each figure totalled by its rule in yearbook.registry (a sum, a rate recomputed from
the summed counts, or a figure counted once over the tree) — and the year-on-year change.

The ONCE figures are counted by each section's `pooled` function over the committee's whole tree
when its snapshot is computed, and kept in the snapshot under POOLED.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import Committee
from yearbook.models import Snapshot
from yearbook.registry import Section, ordered

POOLED = "_tree"


def tree_ids(committee: Committee) -> list[int]:
    """The committee and every committee below it (at most two levels down)."""
    return list(
        Committee.objects.filter(
            Q(pk=committee.pk) | Q(parent=committee.pk) | Q(parent__parent=committee.pk)
        ).values_list("pk", flat=True)
    )


def pooled_figures(committee: Committee, year: int) -> dict | None:
    """The ONCE figures of every section over the committee's tree; None without committees
    below it (its own figures are then its total)."""
    ids = tree_ids(committee)
    if len(ids) == 1:
        return None
    return {s.key: s.pooled(ids, year) for s in ordered() if s.pooled is not None}


def _add(summed: dict, row: dict) -> None:
    for key, value in row.items():
        if isinstance(value, dict):
            items = summed.setdefault(key, {})
            if isinstance(items, dict):
                _add(items, value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            summed[key] = summed.get(key, 0) + value


def combine(section: Section, rows: list[dict], pooled: dict) -> dict:
    """The section's total over rows of figures: every count (and breakdown item) summed, then
    each figure by its rule (a rate recomputed from the sums, ONCE from `pooled`, None)."""
    summed: dict = {}
    for row in rows:
        _add(summed, row)
    total = dict(summed)
    for figure in section.figures:
        rule = figure.rule
        total[figure.key] = None if rule is None else rule.total(summed, pooled, figure.key)
    return total


class Tree:
    """The snapshots of one year of a committee and of those below it that the user reads."""

    def __init__(self, snapshot: Snapshot, below: list[Snapshot]):
        self.snapshot = snapshot
        self.children: dict[int, list[Snapshot]] = {}
        for child in below:
            self.children.setdefault(child.committee.parent_id, []).append(child)

    def parts(self, snapshot: Snapshot | None = None) -> list[Snapshot]:
        snapshot = snapshot or self.snapshot
        return self.children.get(snapshot.committee_id, [])

    def totals(self, snapshot: Snapshot | None = None) -> dict[str, dict]:
        """Section → figures of the snapshot's tree: its own with no committees below."""
        snapshot = snapshot or self.snapshot
        parts = self.parts(snapshot)
        if not parts:
            return {key: value for key, value in snapshot.figures.items() if key != POOLED}
        below = [self.totals(part) for part in parts]
        pooled = snapshot.figures.get(POOLED) or {}
        result = {}
        for section in ordered():
            own = snapshot.figures.get(section.key)
            if own is None:
                continue
            rows = [own, *(b[section.key] for b in below if section.key in b)]
            result[section.key] = combine(section, rows, pooled.get(section.key) or {})
        return result


def layout(tree: Tree, previous: Tree | None = None) -> dict:
    """Every figure of every section: own work, each part (a district, or a province's total),
    the total with the rule that made it, and each value's change on the previous year."""
    parts = tree.parts()
    own, totals = tree.snapshot.figures, tree.totals()
    part_values = [tree.totals(part) for part in parts]
    before_own, before_totals, before_parts = {}, {}, {}
    if previous is not None:
        before_own, before_totals = previous.snapshot.figures, previous.totals()
        before_parts = {p.committee_id: previous.totals(p) for p in previous.parts()}
    sections = []
    for section in ordered():
        if section.key not in own:
            continue
        figures = []
        for figure in section.figures:

            def value(figures, key=figure.key, section=section.key):
                return figures.get(section, {}).get(key)

            rule, points = figure.rule, figure.unit == "%"
            now = [value(p) for p in part_values]
            then = [value(before_parts.get(p.committee_id, {})) for p in parts]
            figures.append(
                {
                    "key": figure.key,
                    "label": str(figure.label),
                    "unit": str(figure.unit),
                    "headline": figure.headline,
                    "points": points,
                    "rule": rule.describe(section) if rule else str(_("不汇总")),
                    "own": value(own),
                    "own_previous": value(before_own),
                    "own_change": change(value(own), value(before_own), points=points),
                    "parts": now,
                    "parts_previous": then,
                    "parts_change": [
                        change(n, t, points=points) for n, t in zip(now, then, strict=True)
                    ],
                    "total": value(totals),
                    "total_previous": value(before_totals),
                    "total_change": change(value(totals), value(before_totals), points=points),
                }
            )
        sections.append({"key": section.key, "title": str(section.title), "figures": figures})
    return {
        "committee": tree.snapshot.committee,
        "year": tree.snapshot.year,
        "parts": [part.committee for part in parts],
        "sections": sections,
    }


def change(now, before, *, points: bool = False):
    """The change on the previous year: in % of the previous value, or for a rate (`points`) in
    percentage points; None when either is missing (or the base is 0)."""
    if not isinstance(now, int | float) or not isinstance(before, int | float):
        return None
    if points:
        return round(now - before, 1)
    return round(100 * (now - before) / before, 1) if before else None
