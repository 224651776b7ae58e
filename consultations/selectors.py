"""Reads of consultations, scoped: staff read their committees' records; a member reads the open
meetings of the committees they sit in and every meeting they are invited to."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from consultations.models import Invitation, Meeting, Suggestion, Topic
from core.scoping import readable
from members.models import Seat


def meetings_for(user) -> QuerySet[Meeting]:
    meetings = Meeting.objects.all()
    if user.has_perm("consultations.view_meeting"):
        meetings = readable(meetings, user)
    else:
        invited = Invitation.objects.filter(meeting=OuterRef("pk"), seat__person__user=user)
        sitting = Seat.objects.filter(person__user=user).values("committee")
        meetings = meetings.filter(Q(is_closed=False, committee__in=sitting) | Q(Exists(invited)))
    return meetings.select_related("committee", "organiser", "topic")


def meeting_detail(user, pk: int) -> Meeting:
    """A meeting with its proceedings and outcomes; DoesNotExist when the user may not see it."""
    return (
        meetings_for(user)
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=Invitation.objects.select_related("seat__person", "seat__committee"),
            ),
            Prefetch("speeches"),
            Prefetch(
                "suggestions",
                queryset=Suggestion.objects.select_related("addressee").prefetch_related(
                    "instructions"
                ),
            ),
            Prefetch("reports__instructions"),
            "media_reports",
            "research_visits",
        )
        .get(pk=pk)
    )


def my_invitations(user) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(seat__person__user=user)
        .select_related("meeting__committee", "seat__committee")
        .order_by("-meeting__held_on")
    )


def topics_for(user) -> QuerySet[Topic]:
    return (
        readable(Topic.objects.all(), user)
        .select_related("committee", "plan")
        .annotate(meeting_count=Count("meetings"))
        .order_by("-year", "planned_month", "id")
    )
