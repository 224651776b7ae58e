"""Duplicate suggestions: the earlier pieces of the last twelve months most like a new one, by the
character bigrams the proposals' search stores (proposals.search), so that ten notes on one
topic become one report.

Similarity is the Jaccard index of the two texts' bigram sets. The GIN index narrows the
candidates to pieces that share one of the piece's title bigrams or a sample of its content's
(leaving out bigrams nearly every piece has); the overlap is then counted in SQL for those
candidates only, as the size of a candidate's vector less its size once the piece's bigrams are
deleted from it (`ts_delete`, a binary search per bigram instead of comparing arrays).
"""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from opinions.models import Piece, PieceState
from proposals.search import _lexeme

WINDOW = timedelta(days=365)
THRESHOLD = 0.2
# Bigrams shared by nearly every piece say nothing about its topic.
COMMON = {"关于", "建议", "问题", "我们", "进一", "一步", "加强", "工作", "社会", "相关", "部门"}

_SQL = """
WITH source AS (SELECT tsvector_to_array(search) AS grams FROM opinions_piece WHERE id = %s)
SELECT id, shared::float / (cardinality(grams) + size - shared) AS score
FROM (SELECT p.id, source.grams, length(p.search) AS size,
             length(p.search) - length(ts_delete(p.search, source.grams)) AS shared
      FROM opinions_piece p, source
      WHERE p.committee_id = %s AND p.id <> %s AND p.received_at >= %s AND p.received_at <= %s
        AND p.state <> %s AND p.search @@ %s::tsquery) AS candidates
ORDER BY score DESC, id DESC
LIMIT %s
"""


def _probe(piece: Piece) -> str:
    """A tsquery matching texts that share at least one of the piece's title bigrams or the
    first distinctive bigrams of its content."""
    text = "".join((piece.title or "").lower().split())
    grams = [text[i : i + 2] for i in range(len(text) - 1)]
    body = "".join((piece.content or "").lower().split())[:400]
    grams += [body[i : i + 2] for i in range(0, max(len(body) - 1, 0), 3)]
    kept = list(dict.fromkeys(g for g in grams if g not in COMMON and g.strip()))[:64]
    return " | ".join(_lexeme(g) for g in kept) or "''"


def similar_pieces(piece: Piece, *, limit: int = 5, threshold: float = THRESHOLD):
    """[(piece, score)] of the same committee, received in the twelve months before the piece
    (or before now, for a draft), most similar first, scoring at least `threshold`."""
    until = piece.received_at or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            _SQL,
            [
                piece.pk,
                piece.committee_id,
                piece.pk,
                until - WINDOW,
                until,
                PieceState.DRAFT,
                _probe(piece),
                limit * 4,
            ],
        )
        scores = [(pk, score) for pk, score in cursor.fetchall() if score >= threshold][:limit]
    rows = Piece.objects.select_related("seat__person", "report").in_bulk([pk for pk, _ in scores])
    return [(rows[pk], round(score, 3)) for pk, score in scores if pk in rows]
