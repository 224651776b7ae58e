"""Proposal figures (DOMAIN §3.7) for a committee and a session or a calendar year, counted in
the database in two statements (see proposal_figures), no loop over rows.

Definitions: *submitted* — proposals submitted and not withdrawn (a year counts by submission
date); *filed* — given a number; *on time* — lead and split assignments replied by their
(extended) deadline, over those replied plus those overdue now; *satisfaction* — ratings
"satisfied" or "basically satisfied" over all ratings.
"""

from collections import defaultdict

from django.db.models import Count, F, Q
from django.utils import timezone

from proposals.models import Assignment, Feedback, Proposal, Reply, State


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


BREAKDOWNS = {
    "by_kind": "kind",
    "by_category": "category__name",
    "by_party": "lead__party__name",
    "by_sector": "lead__sector__name",
}

# The totals, counted in the same GROUP BY as the breakdowns and summed over its groups.
TOTALS = {
    "submitted": Q(),
    "filed": Q(number__isnull=False),
    "not_filed": Q(state=State.NOT_FILED),
    "merged": Q(state=State.MERGED),
    "in_review": Q(state__in=[State.SUBMITTED, State.SECOND_REVIEW, State.FINAL_REVIEW]),
    "rehandled": Q(rehandled=True),
    "key": Q(is_key=True),
    "excellent": Q(is_excellent=True),
    "closed": Q(state=State.CLOSED),
}

OPEN = [
    Assignment.Status.ASSIGNED,
    Assignment.Status.ACCEPTED,
    Assignment.Status.REASSIGN_REQUESTED,
]


def _proposal_figures(proposals) -> dict:
    """The totals and every breakdown (and the not-filed ones by disposition) from one GROUP BY
    over the combinations of the breakdowns' keys, summed here: one scan of the proposals."""
    fields = list(BREAKDOWNS.values())
    rows = (
        proposals.order_by()
        .values_list(*fields, "disposition")
        .annotate(**{name: Count("pk", filter=q) for name, q in TOTALS.items()})
    )
    totals = dict.fromkeys(TOTALS, 0)
    result = {name: defaultdict(int) for name in [*BREAKDOWNS, "not_filed_by_disposition"]}
    for row in rows:
        keys, disposition = row[: len(fields)], row[len(fields)]
        counts = dict(zip(TOTALS, row[len(fields) + 1 :], strict=True))
        for name, n in counts.items():
            totals[name] += n
        for name, key in zip(BREAKDOWNS, keys, strict=True):
            result[name][key if key is not None else ""] += counts["submitted"]
        if counts["not_filed"]:
            result["not_filed_by_disposition"][disposition] += counts["not_filed"]
    return {**totals, **{name: dict(counts) for name, counts in result.items()}}


def _handling_figures(proposal_filter: Q, today) -> dict:
    """Assignments, their replies and the ratings of the replies in one statement: the
    assignments joined to their proposals (not a subquery), their replies and ratings left-joined
    once; each figure a filtered aggregate (assignment counts distinct, a rehandled assignment
    having two replies)."""
    replied = Q(status=Assignment.Status.REPLIED)
    overdue = Q(status__in=OPEN, due_on__lt=today)
    figures = {
        "replied": Count("pk", filter=replied, distinct=True),
        "on_time": Count("pk", filter=replied & Q(replied_on__lte=F("due_on")), distinct=True),
        "overdue": Count("pk", filter=overdue, distinct=True),
        "overdue_proposals": Count("proposal", filter=overdue, distinct=True),
        "units": Count("unit", distinct=True),
        **{
            f"result_{result}": Count("replies", filter=Q(replies__result=result))
            for result in Reply.Result.values
        },
        **{
            f"rating_{rating}": Count(
                "replies__feedback", filter=Q(replies__feedback__rating=rating)
            )
            for rating in Feedback.Rating.values
        },
    }
    return (
        Assignment.objects.filter(proposal_filter)
        .exclude(status=Assignment.Status.WITHDRAWN)
        .aggregate(**figures)
    )


def _scope(committee, session, year, prefix: str = "") -> Q:
    """The proposals counted: submitted, not withdrawn, of the session or submitted that year."""
    when = {"session": session} if session is not None else {"submitted_at__year": year}
    return Q(
        **{
            f"{prefix}{name}": value
            for name, value in {
                "committee": committee,
                "submitted_at__isnull": False,
                **when,
            }.items()
        }
    ) & ~Q(**{f"{prefix}state": State.WITHDRAWN})


def proposal_figures(committee, *, session=None, year: int | None = None, today=None) -> dict:
    """Every figure in two statements: one GROUP BY over the proposals, one aggregate over their
    assignments joined to replies and ratings."""
    if (session is None) == (year is None):
        raise ValueError("give a session or a year")
    today = today or timezone.localdate()
    totals = _proposal_figures(Proposal.objects.filter(_scope(committee, session, year)))
    # Every unit answers (DOMAIN §3.3): lead and split units reply, co-handling units send their
    # opinion; all count towards the on-time figures, as they do towards `overdue`.
    handling = _handling_figures(_scope(committee, session, year, "proposal__"), today)
    ratings = {rating: handling[f"rating_{rating}"] for rating in Feedback.Rating.values}
    satisfied = ratings[Feedback.Rating.SATISFIED] + ratings[Feedback.Rating.BASIC]
    return {
        **totals,
        "filing_rate": _rate(totals["filed"], totals["submitted"]),
        "units_involved": handling["units"],
        "assignments_replied": handling["replied"],
        "replied_on_time": handling["on_time"],
        # The rate's whole: what was due — replied, or past its deadline without a reply.
        "assignments_due": handling["replied"] + handling["overdue"],
        "overdue_assignments": handling["overdue"],
        "on_time_rate": _rate(handling["on_time"], handling["replied"] + handling["overdue"]),
        "reply_mix": {result: handling[f"result_{result}"] for result in Reply.Result.values},
        "ratings": ratings,
        "satisfaction_rate": _rate(satisfied, sum(ratings.values())),
        "overdue_now": handling["overdue_proposals"],
    }
