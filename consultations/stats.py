"""Consultation figures for a committee and year (DOMAIN §4), and the bi-monthly cadence of a
plan — all counted in the database."""

from django.db.models import Count, Exists, OuterRef, Q
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


def _organised_by(model, committee_ids):
    """Rows organised by any of the committees, alone or jointly (联动: as a partner), once each."""
    joint = model.partners.through.objects.filter(committee__in=committee_ids)
    column = f"{model._meta.model_name}_id"
    return model.objects.filter(Q(committee__in=committee_ids) | Q(pk__in=joint.values(column)))


def _joint(model) -> Exists:
    column = model._meta.model_name
    return Exists(model.partners.through.objects.filter(**{column: OuterRef("pk")}))


def year_figures(committee, year: int) -> dict:
    """Meetings by kind, research visits, participants, speeches, suggestions and their adoption,
    leader instructions. adoption_rate = (adopted + partly adopted) ÷ suggestions decided.
    Joint meetings and research visits (联动) count for each committee that organised them."""
    return tree_figures([committee.pk], year)


def tree_figures(committee_ids, year: int) -> dict:
    """The figures of several committees together (a city's roll-up): a meeting or research visit
    that several of them organised jointly is counted once."""
    meetings = (
        _organised_by(Meeting, committee_ids)
        .filter(held_on__year=year)
        .exclude(status=Meeting.Status.CANCELLED)
    )
    by_kind = dict(meetings.order_by().values_list("kind").annotate(n=Count("pk")))
    visits = _organised_by(ResearchVisit, committee_ids).filter(visited_on__year=year)
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
        "research_visits": visits.count(),
        "joint_meetings": meetings.filter(_joint(Meeting)).count(),
        "joint_research_visits": visits.filter(_joint(ResearchVisit)).count(),
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
