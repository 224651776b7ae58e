"""A snapshot laid out for people — sections with labelled figures and breakdowns, and districts
side by side — shared by the statistics page, its Excel export and the API."""

from django.utils.translation import gettext_lazy as _

from yearbook.models import Snapshot
from yearbook.registry import UNKNOWN, Breakdown, ordered


def present(snapshot: Snapshot) -> list[dict]:
    """Each section with its figures (label, value, unit) and breakdowns (label, chart, items)."""
    sections = []
    for section in ordered():
        data = snapshot.figures.get(section.key)
        if data is None:  # a section added after this snapshot was computed
            continue
        sections.append(
            {
                "key": section.key,
                "title": str(section.title),
                "figures": [
                    {
                        "key": figure.key,
                        "label": str(figure.label),
                        "unit": str(figure.unit),
                        "value": data.get(figure.key),
                    }
                    for figure in section.figures
                ],
                "breakdowns": [
                    _breakdown(breakdown, data.get(breakdown.key) or {})
                    for breakdown in section.breakdowns
                ],
            }
        )
    return sections


def _breakdown(breakdown: Breakdown, counts: dict) -> dict:
    """A breakdown's items and what its chart shows: coded breakdowns (kinds, A/B/C) in their
    own order, named ones (categories, sectors) largest first. What it cannot place (the "" key:
    a collective proposal has no party) is listed last as 未注明 and left out of the chart;
    a breakdown whose counts are all zero draws no chart (`drawn`), the page says so instead."""
    pairs = [(key, value) for key, value in counts.items() if key != ""]
    if breakdown.labels is None:
        pairs.sort(key=lambda pair: (-(pair[1] or 0), pair[0]))
    items = [{"key": key, "label": breakdown.label_of(key), "value": value} for key, value in pairs]
    drawn = any(item["value"] for item in items)
    unknown = counts.get("") or 0
    if unknown:
        items.append({"key": "", "label": str(UNKNOWN), "value": unknown})
    return {
        "key": breakdown.key,
        "label": str(breakdown.label),
        "chart": breakdown.chart,
        "drawn": drawn,
        "unknown": unknown,
        "items": items,
    }


def headline_columns() -> list[dict]:
    return [
        {
            "section": section.key,
            "key": figure.key,
            "label": str(figure.label),
            "unit": str(figure.unit),
        }
        for section in ordered()
        for figure in section.figures
        if figure.headline
    ]


def compare(snapshots: list[Snapshot]) -> dict:
    """Headline figures of several committees' snapshots, one row per committee."""
    columns = headline_columns()
    return {
        "columns": columns,
        "rows": [
            {
                "committee": snapshot.committee,
                "values": [snapshot.value(c["section"], c["key"]) for c in columns],
            }
            for snapshot in snapshots
        ],
    }


def charts(sections: list[dict], comparison: dict | None) -> list[dict]:
    """What the page's charts.js draws: one chart per breakdown with a count above zero (its
    unplaced rows left out) and, for a committee with districts, their first four headline
    counts side by side (unless all are zero)."""
    drawn = [
        {
            "id": f"chart-{section['key']}-{breakdown['key']}",
            "type": breakdown["chart"],
            "title": breakdown["label"],
            "labels": [item["label"] for item in breakdown["items"] if item["key"] != ""],
            "series": [
                {
                    "name": breakdown["label"],
                    "values": [i["value"] for i in breakdown["items"] if i["key"] != ""],
                }
            ],
        }
        for section in sections
        for breakdown in section["breakdowns"]
        if breakdown["drawn"]
    ]
    if comparison and any(any(row["values"]) for row in comparison["rows"]):
        counts = [(i, c) for i, c in enumerate(comparison["columns"]) if c["unit"] != "%"][:4]
        drawn.append(
            {
                "id": "chart-districts",
                "type": "bar",
                "title": str(_("各区主要指标")),
                "labels": [row["committee"].short_name for row in comparison["rows"]],
                "series": [
                    {
                        "name": column["label"],
                        "values": [row["values"][index] for row in comparison["rows"]],
                    }
                    for index, column in counts
                ],
            }
        )
    return drawn
