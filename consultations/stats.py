"""Consultation figures for a committee and year (DOMAIN §4), and the bi-monthly cadence of a
plan — all counted in the database."""

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth

from consultations.models import (
    Instruction,
    Invitation,
    Meeting,
    MeetingKind,
    Plan,
    ResearchVisit,
    Speech,
    Suggestion,
    Topic,
)

WINDOWS = [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10), (11, 12)]


def cadence(plan: Plan) -> list[dict]:
    """The six two-month windows of the plan's year: the bi-monthly meetings held or scheduled in
    each, the confirmed bi-monthly topics planned for it, and whether the window has none."""
    meetings = (
        Meeting.objects.filter(
            committee=plan.committee_id, kind=MeetingKind.BIMONTHLY, held_on__year=plan.year
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .annotate(month=ExtractMonth("held_on"))
        .order_by("held_on")
        .values("pk", "title", "held_on", "month", "status")
    )
    topics = plan.topics.filter(
        state=Topic.State.CONFIRMED, meeting_kind=MeetingKind.BIMONTHLY
    ).values("pk", "title", "planned_month")
    windows = []
    for first, last in WINDOWS:
        in_meetings = [m for m in meetings if first <= m["month"] <= last]
        in_topics = [t for t in topics if first <= t["planned_month"] <= last]
        windows.append(
            {
                "months": (first, last),
                "meetings": in_meetings,
                "topics": in_topics,
                "gap": not in_meetings and not in_topics,
            }
        )
    return windows


def year_figures(committee, year: int) -> dict:
    """Meetings by kind, research visits, participants, speeches, suggestions and their adoption,
    leader instructions. adoption_rate = (adopted + partly adopted) ÷ suggestions decided."""
    meetings = Meeting.objects.filter(committee=committee, held_on__year=year).exclude(
        status=Meeting.Status.CANCELLED
    )
    by_kind = dict(meetings.order_by().values_list("kind").annotate(n=Count("pk")))
    suggestions = Suggestion.objects.filter(meeting__in=meetings).aggregate(
        total=Count("pk"),
        adopted=Count("pk", filter=Q(status=Suggestion.Status.ADOPTED)),
        partly=Count("pk", filter=Q(status=Suggestion.Status.PARTLY)),
        not_adopted=Count("pk", filter=Q(status=Suggestion.Status.NOT_ADOPTED)),
        pending=Count("pk", filter=Q(status=Suggestion.Status.PENDING)),
    )
    decided = suggestions["total"] - suggestions["pending"]
    attendance = Invitation.objects.filter(meeting__in=meetings).aggregate(
        invited=Count("pk"),
        signed_in=Count("pk", filter=Q(status=Invitation.Status.SIGNED_IN)),
        on_leave=Count("pk", filter=Q(status=Invitation.Status.ON_LEAVE)),
        members=Count("seat", filter=Q(status=Invitation.Status.SIGNED_IN), distinct=True),
    )
    instructions = Instruction.objects.filter(
        Q(report__meeting__in=meetings) | Q(suggestion__meeting__in=meetings)
    ).aggregate(total=Count("pk"), reports=Count("report", distinct=True))
    return {
        "year": year,
        "meetings": sum(by_kind.values()),
        "meetings_by_kind": {kind: by_kind.get(kind, 0) for kind in MeetingKind.values},
        "research_visits": ResearchVisit.objects.filter(
            committee=committee, visited_on__year=year
        ).count(),
        "participants": attendance["signed_in"],
        "participating_members": attendance["members"],
        "leave": attendance["on_leave"],
        "speeches": Speech.objects.filter(meeting__in=meetings).count(),
        "suggestions": suggestions["total"],
        "adopted": suggestions["adopted"],
        "partly_adopted": suggestions["partly"],
        "not_adopted": suggestions["not_adopted"],
        "pending": suggestions["pending"],
        "adoption_rate": round(100 * (suggestions["adopted"] + suggestions["partly"]) / decided, 1)
        if decided
        else None,
        "instructions": instructions["total"],
        "instructed_reports": instructions["reports"],
    }
