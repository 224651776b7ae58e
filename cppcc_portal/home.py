"""A member's home page: what waits for them across the apps (drafts, co-sign requests, replies
to rate, meetings, workstation activities) and their year at a glance, each a scoped read of the
app it belongs to, in a fixed number of queries."""

from django.db.models import Count, Q
from django.utils import timezone

from consultations.models import Invitation, Meeting
from consultations.selectors import my_invitations
from members.models import Person
from members.selectors import performance_of
from proposals.models import CoSigner, State
from proposals.selectors import cosign_requests, proposals_for, replies_to_rate
from workstations.models import Activity
from workstations.selectors import upcoming_activities

SHOWN = 5  # items of each kind on the page; the count says how many there are


def member_home(user, person: Person, today=None) -> dict:
    today = today or timezone.localdate()
    mine = proposals_for(user).filter(Q(lead__person__user=user) | Q(created_by=user))
    drafts = mine.filter(state=State.DRAFT).order_by("-id")
    meetings = (
        my_invitations(user)
        .filter(
            meeting__held_on__gte=today,
            status__in=[Invitation.Status.INVITED, Invitation.Status.LEAVE_REFUSED],
        )
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .order_by("meeting__held_on")
    )
    requests = cosign_requests(user).order_by("-invited_at")
    to_rate = replies_to_rate(mine).order_by("-replied_on")
    activities = upcoming_activities(person, limit=SHOWN)
    todo = {
        "drafts": list(drafts[:SHOWN]),
        "requests": list(requests[:SHOWN]),
        "to_rate": list(to_rate[:SHOWN]),
        "meetings": list(meetings[:SHOWN]),
        "activities": list(activities),
    }
    counts = {
        "drafts": drafts.count(),
        "requests": requests.count(),
        "to_rate": to_rate.count(),
        "meetings": meetings.count(),
    }
    return {
        "todo": todo,
        "todo_counts": counts,
        "todo_total": sum(counts.values()) + len(todo["activities"]),
        "year": today.year,
        "glance": year_at_a_glance(user, person, today.year),
    }


def year_at_a_glance(user, person: Person, year: int) -> dict:
    """The member's year in figures: proposals led and co-signed, meetings attended, workstation
    activities, and the performance record's acts and points."""
    led = (
        proposals_for(user)
        .filter(lead__person=person, submitted_at__year=year)
        .exclude(state=State.WITHDRAWN)
        .aggregate(submitted=Count("pk"), filed=Count("pk", filter=Q(number__isnull=False)))
    )
    cosigned = CoSigner.objects.filter(
        seat__person=person, status=CoSigner.Status.CONFIRMED, responded_at__year=year
    ).count()
    meetings = Invitation.objects.filter(
        seat__person=person, meeting__held_on__year=year
    ).aggregate(
        invited=Count("pk"), attended=Count("pk", filter=Q(status=Invitation.Status.SIGNED_IN))
    )
    activities = Activity.objects.filter(attendees__person=person, held_on__year=year).count()
    record = list(performance_of(person, year))
    return {
        **led,
        "cosigned": cosigned,
        **meetings,
        "activities": activities,
        "acts": sum(row.acts for row in record),
        "points": sum((row.total for row in record), 0),
    }
