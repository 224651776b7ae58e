"""Proposal figures (DOMAIN §3.7) for a committee and a session or a calendar year, counted in
the database: one aggregate per table, no loop over rows.

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


def _grouped(queryset, field: str) -> dict:
    rows = queryset.order_by().values_list(field).annotate(n=Count("pk"))
    return {key if key is not None else "": n for key, n in rows}


BREAKDOWNS = {
    "by_kind": "kind",
    "by_category": "category__name",
    "by_party": "lead__party__name",
    "by_sector": "lead__sector__name",
}


def _breakdowns(proposals) -> dict:
    """Every breakdown of the proposals (and the not-filed ones by disposition) from one
    GROUP BY over their combinations, summed here: one scan of the proposals instead of five."""
    fields = list(BREAKDOWNS.values())
    rows = (
        proposals.order_by()
        .values_list(*fields, "disposition")
        .annotate(n=Count("pk"), not_filed=Count("pk", filter=Q(state=State.NOT_FILED)))
    )
    result = {name: defaultdict(int) for name in [*BREAKDOWNS, "not_filed_by_disposition"]}
    for *keys, disposition, n, not_filed in rows:
        for name, key in zip(BREAKDOWNS, keys, strict=True):
            result[name][key if key is not None else ""] += n
        if not_filed:
            result["not_filed_by_disposition"][disposition] += not_filed
    return {name: dict(counts) for name, counts in result.items()}


def proposal_figures(committee, *, session=None, year: int | None = None, today=None) -> dict:
    if (session is None) == (year is None):
        raise ValueError("give a session or a year")
    today = today or timezone.localdate()
    proposals = Proposal.objects.filter(committee=committee, submitted_at__isnull=False).exclude(
        state=State.WITHDRAWN
    )
    proposals = (
        proposals.filter(session=session)
        if session is not None
        else proposals.filter(submitted_at__year=year)
    )
    totals = proposals.aggregate(
        submitted=Count("pk"),
        filed=Count("pk", filter=Q(number__isnull=False)),
        not_filed=Count("pk", filter=Q(state=State.NOT_FILED)),
        merged=Count("pk", filter=Q(state=State.MERGED)),
        in_review=Count(
            "pk", filter=Q(state__in=[State.SUBMITTED, State.SECOND_REVIEW, State.FINAL_REVIEW])
        ),
        rehandled=Count("pk", filter=Q(rehandled=True)),
        key=Count("pk", filter=Q(is_key=True)),
        excellent=Count("pk", filter=Q(is_excellent=True)),
        closed=Count("pk", filter=Q(state=State.CLOSED)),
    )
    assignments = Assignment.objects.filter(proposal__in=proposals).exclude(
        status=Assignment.Status.WITHDRAWN
    )
    open_ = [
        Assignment.Status.ASSIGNED,
        Assignment.Status.ACCEPTED,
        Assignment.Status.REASSIGN_REQUESTED,
    ]
    # Every unit answers (DOMAIN §3.3): lead and split units reply, co-handling units send their
    # opinion; all count towards the on-time figures, as they do towards `overdue`.
    handling = assignments.aggregate(
        replied=Count("pk", filter=Q(status=Assignment.Status.REPLIED)),
        on_time=Count(
            "pk", filter=Q(status=Assignment.Status.REPLIED, replied_on__lte=F("due_on"))
        ),
        overdue=Count("pk", filter=Q(status__in=open_, due_on__lt=today)),
        overdue_proposals=Count(
            "proposal", filter=Q(status__in=open_, due_on__lt=today), distinct=True
        ),
    )
    units_all = assignments.aggregate(units=Count("unit", distinct=True))["units"]
    replies = Reply.objects.filter(assignment__in=assignments)
    mix = _grouped(replies, "result")
    ratings = _grouped(Feedback.objects.filter(reply__in=replies), "rating")
    rated = sum(ratings.values())
    satisfied = ratings.get(Feedback.Rating.SATISFIED, 0) + ratings.get(Feedback.Rating.BASIC, 0)
    return {
        **totals,
        "filing_rate": _rate(totals["filed"], totals["submitted"]),
        **_breakdowns(proposals),
        "units_involved": units_all,
        "assignments_replied": handling["replied"],
        "replied_on_time": handling["on_time"],
        # The rate's whole: what was due — replied, or past its deadline without a reply.
        "assignments_due": handling["replied"] + handling["overdue"],
        "overdue_assignments": handling["overdue"],
        "on_time_rate": _rate(handling["on_time"], handling["replied"] + handling["overdue"]),
        "reply_mix": {result: mix.get(result, 0) for result in Reply.Result.values},
        "ratings": {rating: ratings.get(rating, 0) for rating in Feedback.Rating.values},
        "satisfaction_rate": _rate(satisfied, rated),
        "overdue_now": handling["overdue_proposals"],
    }
