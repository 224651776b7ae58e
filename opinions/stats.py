"""Public-opinion figures (DOMAIN §8) of a committee and a calendar year, counted in the database.

Definitions: *received* — pieces that reached the committee's office that year (drafts and
withdrawn pieces aside; a district's report forwarded to the city counts as one piece received
by the city); *accepted* — of those, the ones accepted for editing (in a report or waiting);
*adopted at a level* / *instructed* — of those, the ones whose report has that outcome (recorded
by the office or relayed from above), whenever it came; *reports edited* — issues numbered that
year; *reported* — reports first sent that year.
"""

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q

from members.models import Level
from opinions.models import Outcome, Piece, PieceState, Report

RANKED = 10


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def received(committee_ids, year: int):
    return Piece.objects.filter(committee__in=committee_ids, received_at__year=year).exclude(
        state__in=[PieceState.DRAFT, PieceState.WITHDRAWN]
    )


def _outcome(kind: str, level: str | None = None):
    condition = Q(report=OuterRef("report"), kind=kind)
    if level:
        condition &= Q(level=level)
    return Exists(Outcome.objects.filter(condition))


def _counts(pieces) -> dict:
    return pieces.aggregate(
        received=Count("pk"),
        accepted=Count("pk", filter=Q(state__in=[PieceState.ACCEPTED, PieceState.IN_REPORT])),
        kept=Count("pk", filter=Q(state=PieceState.KEPT)),
        returned=Count("pk", filter=Q(state=PieceState.RETURNED)),
        unscreened=Count("pk", filter=Q(state=PieceState.SUBMITTED)),
        adopted_district=Count("pk", filter=Q(_outcome("adopted", Level.DISTRICT))),
        adopted_municipal=Count("pk", filter=Q(_outcome("adopted", Level.MUNICIPAL))),
        adopted_national=Count("pk", filter=Q(_outcome("adopted", Level.NATIONAL))),
        instructed=Count("pk", filter=Q(_outcome("instruction"))),
    )


def _grouped(pieces, field: str) -> dict:
    rows = pieces.order_by().values_list(field).annotate(n=Count("pk"))
    return {key if key is not None else "": n for key, n in rows}


def _ranking(pieces, name_field: str) -> dict:
    """The top submitters by pieces received (ties by name), with their count."""
    rows = (
        pieces.exclude(**{f"{name_field}__isnull": True})
        .order_by()
        .values_list(name_field)
        .annotate(n=Count("pk"))
        .order_by("-n", name_field)[:RANKED]
    )
    return dict(rows)


def tree_figures(committee_ids, year: int) -> dict:
    """The counts over several committees together (the roll-up of a city): a piece forwarded
    from one of them to another is counted once, where it was first received."""

    def pieces(year):
        return received(committee_ids, year).exclude(forwarded_from__committee__in=committee_ids)

    figures = _counts(pieces(year))
    previous = pieces(year - 1).count()
    return figures | {
        "received_previous_year": previous,
        "received_change": _rate(figures["received"] - previous, previous),
        "acceptance_rate": _rate(figures["accepted"], figures["received"]),
    }


def opinion_figures(committee, year: int) -> dict:
    pieces = received([committee.pk], year)
    figures = _counts(pieces)
    previous = received([committee.pk], year - 1).count()
    reports = Report.objects.filter(committee=committee)
    figures |= {
        "reports_edited": reports.filter(year=year, number__isnull=False).count(),
        "reported": reports.filter(reported_on__year=year).count(),
        "received_previous_year": previous,
        "received_change": _rate(figures["received"] - previous, previous),
        "acceptance_rate": _rate(figures["accepted"], figures["received"]),
        "by_submitter_kind": _grouped(pieces, "submitter_kind"),
        "by_sector": _grouped(pieces.exclude(sector=None), "sector__name"),
        "by_category": _grouped(pieces, "category"),
        "top_members": _ranking(pieces, "seat__person__name"),
        "top_sectors": _ranking(pieces, "sector__name"),
    }
    districts = list(committee.children.values_list("pk", "short_name"))
    if districts:
        side_by_side: dict[str, int] = defaultdict(int)
        rows = (
            received([pk for pk, _name in districts], year)
            .order_by()
            .values_list("committee__short_name")
            .annotate(n=Count("pk"))
        )
        side_by_side |= dict(rows)
        figures["districts_received"] = {name: side_by_side[name] for _pk, name in districts}
        figures["districts_total"] = sum(side_by_side.values())
    return figures
