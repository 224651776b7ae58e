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


def dashboard_charts(board: dict) -> list[dict]:
    """One bar chart per headline count of the dashboard: each committee below (and the own
    work), this year beside the previous one."""
    names = [str(_("本级")), *(part.short_name for part in board["parts"])]
    drawn = []
    for section in board["sections"]:
        for figure in section["figures"]:
            if not figure["headline"] or figure["points"]:
                continue
            drawn.append(
                {
                    "id": f"chart-{section['key']}-{figure['key']}",
                    "type": "bar",
                    "title": f"{figure['label']}（{figure['unit']}）",
                    "labels": names,
                    "series": [
                        {
                            "name": str(_("%(year)d年")) % {"year": board["year"]},
                            "values": [figure["own"], *figure["parts"]],
                        },
                        {
                            "name": str(_("%(year)d年")) % {"year": board["year"] - 1},
                            "values": [figure["own_previous"], *figure["parts_previous"]],
                        },
                    ],
                }
            )
    return drawn


def dashboard_tables(board: dict) -> list[dict]:
    """Per section, its headline figures as columns and one row per committee below, the own
    work and the total: each cell a value with its change on the previous year."""
    tables = []
    for section in board["sections"]:
        figures = [f for f in section["figures"] if f["headline"]]
        if not figures:
            continue

        def row(name, committee, values, changes, figures=figures):
            cells = [
                {"value": v, "change": c, "points": f["points"]}
                for f, v, c in zip(figures, values, changes, strict=True)
            ]
            return {"name": name, "committee": committee, "cells": cells}

        rows = [
            row(
                str(_("本级")),
                None,
                [f["own"] for f in figures],
                [f["own_change"] for f in figures],
            )
        ]
        for index, part in enumerate(board["parts"]):
            rows.append(
                row(
                    part.short_name,
                    part,
                    [f["parts"][index] for f in figures],
                    [f["parts_change"][index] for f in figures],
                )
            )
        total = row(
            str(_("合计")),
            None,
            [f["total"] for f in figures],
            [f["total_change"] for f in figures],
        )
        tables.append({"title": section["title"], "columns": figures, "rows": rows, "total": total})
    return tables
