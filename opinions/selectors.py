"""Reads of public-opinion information, scoped to the user: the office's queues, a member's own
pieces, and the outcomes a piece inherits from its report."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from core.scoping import readable
from opinions.models import Attachment, Outcome, Piece, PieceState, Report, ReportState


def pieces_for(user) -> QuerySet[Piece]:
    """Office staff and API clients: their committees' pieces (drafts stay private to their
    authors); anyone else: the pieces they submitted, entered or co-wrote."""
    own = Q(seat__person__user=user) | Q(created_by=user)
    if user.has_perm("opinions.view_piece"):
        visible = readable(Piece.objects.all(), user).filter(~Q(state=PieceState.DRAFT) | own)
    else:
        coauthored = Piece.co_authors.through.objects.filter(
            piece=OuterRef("pk"), seat__person__user=user
        )
        visible = Piece.objects.filter(
            pk__in=Piece.objects.filter(own | Q(Exists(coauthored))).values("pk")
        )
    return visible.select_related("committee", "seat__person", "report", "sector")


def attachment_for(user, pk: int) -> Attachment | None:
    """An attachment, if the user may read its piece (pieces_for: its authors, the office staff of
    its committee and those above); anonymous users read none."""
    if not user.is_authenticated:
        return None
    return (
        Attachment.objects.filter(pk=pk, piece__in=pieces_for(user).values("pk"))
        .select_related("piece")
        .first()
    )


def piece_by_id(pk: int) -> QuerySet[Piece]:
    """One piece, unscoped, as the lists show it: for reading back what an act just did."""
    return Piece.objects.filter(pk=pk).select_related("committee", "seat__person", "report")


def with_outcome(reports: QuerySet[Report]) -> QuerySet[Report]:
    return reports.annotate(
        has_outcome=Exists(Outcome.objects.filter(report=OuterRef("pk"))),
        piece_count=Count("pieces", distinct=True),
    )


def reports_for(user) -> QuerySet[Report]:
    """The committees' reports the user may read (a municipal office reads its districts')."""
    return with_outcome(readable(Report.objects.all(), user)).select_related("committee")


def waiting_for_outcome(reports: QuerySet[Report]) -> QuerySet[Report]:
    return reports.filter(state=ReportState.REPORTED).exclude(
        Exists(Outcome.objects.filter(report=OuterRef("pk")))
    )


def outcomes_of(piece: Piece) -> QuerySet[Outcome]:
    """What came of a piece: the outcomes of the report it was edited into."""
    if piece.report_id is None:
        return Outcome.objects.none()
    return Outcome.objects.filter(report=piece.report_id).order_by("on", "id")
