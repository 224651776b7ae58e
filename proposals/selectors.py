"""Reads of proposals, scoped to the user, with their overdue status computed (never stored)."""

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.scoping import readable
from members.models import PlenarySession, Seat, SeatStatus
from proposals import deadlines
from proposals.models import Assignment, Attachment, CoSigner, Feedback, Proposal, Reply, State

OPEN_ASSIGNMENT = [
    Assignment.Status.ASSIGNED,
    Assignment.Status.ACCEPTED,
    Assignment.Status.REASSIGN_REQUESTED,
]


def overdue_assignments(today=None) -> QuerySet[Assignment]:
    """Assignments past their (possibly extended) deadline without a reply."""
    return Assignment.objects.filter(
        status__in=OPEN_ASSIGNMENT, due_on__lt=today or timezone.localdate()
    )


def is_overdue(status: str, due_on, today=None) -> bool:
    """overdue_assignments' rule for an assignment already read."""
    return status in OPEN_ASSIGNMENT and due_on < (today or timezone.localdate())


def with_overdue(proposals: QuerySet[Proposal], today=None) -> QuerySet[Proposal]:
    return proposals.annotate(
        overdue=Exists(overdue_assignments(today).filter(proposal=OuterRef("pk")))
    )


def proposals_for(user, *, overdue: bool = True) -> QuerySet[Proposal]:
    """Staff and API clients: their committees' proposals (drafts stay private to their authors);
    a member: the proposals they lead or co-sign; a handling unit: those assigned to it.
    `overdue=False` leaves the flag to the caller: mark_overdue (a page's rows only) or
    is_overdue (assignments already read)."""
    own = Q(created_by=user)
    if not user.is_service_account:  # a member's own too: led or co-signed
        cosigns = CoSigner.objects.filter(proposal=OuterRef("pk"), seat__person__user=user)
        own |= Q(lead__person__user=user) | Q(Exists(cosigns))
    if user.has_perm("proposals.view_proposal"):
        visible = readable(Proposal.objects.all(), user).filter(~Q(state=State.DRAFT) | own)
    elif user.handling_unit_id:
        visible = Proposal.objects.filter(
            Exists(
                Assignment.objects.filter(
                    proposal=OuterRef("pk"), unit=user.handling_unit_id
                ).exclude(status=Assignment.Status.WITHDRAWN)
            )
        )
    else:
        visible = Proposal.objects.filter(Q(pk__in=Proposal.objects.filter(own).values("pk")))
    return (
        (with_overdue(visible) if overdue else visible)
        .select_related("committee", "session__term", "category", "lead__person")
        .annotate(lead_name=LEAD_NAME)
    )


# Long texts and the search vector, which no list shows.
WIDE_FIELDS = ("search", "reason", "analysis", "suggestions", "research_basis")
LEAD_NAME = F("lead__person__name")


def mark_overdue(rows: list[dict], today=None) -> list[dict]:
    """Set `overdue` on a page of proposals (`.values()` rows with their `id`) in one query over
    their ids: as an annotation of a big list the planner may hash every overdue assignment
    before reading the page's rows."""
    ids = [row["id"] for row in rows]
    late = set(
        overdue_assignments(today)
        .filter(proposal__in=ids)
        .order_by()
        .values_list("proposal", flat=True)
        .distinct()
    )
    for row in rows:
        row["overdue"] = row["id"] in late
    return rows


def attachment_for(user, pk: int) -> Attachment | None:
    """An attachment, if the user may read its proposal (proposals_for: the proposer, co-signers,
    staff of its committee and those above, the assigned units); anonymous users read none. A
    disclosed proposal's attachments stay private: 双公开 publishes its text and replies only."""
    if not user.is_authenticated:
        return None
    return (
        Attachment.objects.filter(pk=pk, proposal__in=proposals_for(user).values("pk"))
        .select_related("proposal")
        .first()
    )


def letter_for(user, pk: int) -> Reply | None:
    """A reply whose letter 答复函 the user may download: whoever may read its proposal (as
    `attachment_for`); the letter stays private when the reply is disclosed."""
    if not user.is_authenticated:
        return None
    return (
        Reply.objects.filter(pk=pk, assignment__proposal__in=proposals_for(user).values("pk"))
        .exclude(letter="")
        .first()
    )


def proposal_by_id(pk: int) -> QuerySet[Proposal]:
    """One proposal, unscoped, with its lead's name: for reading back what an act just did."""
    return Proposal.objects.filter(pk=pk).annotate(lead_name=LEAD_NAME)


PUBLIC_STATES = (State.REPLIED, State.CLOSED)


def publishable_replies(proposal) -> QuerySet[Reply]:
    return Reply.objects.filter(assignment__proposal=proposal, publishable=True)


def is_public(proposal: Proposal, state: str) -> bool:
    """双公开: a filed proposal its proposers agreed to publish, replied or closed, with at least
    one reply the unit marked publishable (the workflow stores this as `public`)."""
    return (
        proposal.disclose
        and proposal.number is not None
        and state in PUBLIC_STATES
        and publishable_replies(proposal).exists()
    )


def disclosed() -> QuerySet[Proposal]:
    """The public proposals (`public`, kept by the workflow; a partial index covers them)."""
    return Proposal.objects.filter(public=True)


PUBLIC_LIST_FIELDS = ("committee", "session", "category", "number", "title", "body_name")


def public_rows() -> QuerySet[Proposal]:
    """The public list's rows: the columns it shows (no texts, no search vector), the proposer's
    name joined, newest first (session, then number: the order of the partial index)."""
    return (
        disclosed()
        .only(*PUBLIC_LIST_FIELDS)
        .annotate(lead_name=Coalesce(F("lead__person__name"), F("body_name")))
        .order_by("-session_id", "-number")
    )


def public_proposal(pk: int) -> Proposal | None:
    """One public proposal with its publishable replies only."""
    return (
        disclosed()
        .filter(pk=pk)
        .select_related("committee", "session__term", "category", "lead__person")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("unit").prefetch_related(
                    Prefetch("replies", queryset=Reply.objects.filter(publishable=True))
                ),
            )
        )
        .first()
    )


def assignments_for(user) -> QuerySet[Assignment]:
    """Staff: their committees' assignments; a unit's staff: their unit's; a member: those of the
    proposals they lead or co-sign (the replies to them); anyone else: none."""
    assignments = Assignment.objects.exclude(proposal__state=State.DRAFT)
    if user.has_perm("proposals.view_assignment"):
        assignments = readable(assignments, user)
    elif user.handling_unit_id:
        assignments = assignments.filter(unit=user.handling_unit_id)
    else:
        assignments = assignments.filter(proposal__in=proposals_for(user).values("pk"))
    return assignments.select_related("proposal", "unit").prefetch_related(
        "replies__feedback", "consultations"
    )


def cosign_requests(user) -> QuerySet[CoSigner]:
    """Co-sign invitations the member has yet to answer."""
    return CoSigner.objects.filter(
        seat__person__user=user,
        status=CoSigner.Status.INVITED,
        proposal__state__in=[State.DRAFT, State.SUBMITTED],
    ).select_related("proposal__lead__person")


def replies_to_rate(proposals: QuerySet[Proposal]) -> QuerySet[Reply]:
    """The current replies of these proposals that still wait for the proposer's rating."""
    return Reply.objects.filter(
        assignment__proposal__in=proposals.filter(state=State.REPLIED).values("pk"),
        feedback__isnull=True,
        is_rehandling=F("assignment__proposal__rehandled"),
    ).select_related("assignment__proposal", "assignment__unit")


def open_sessions(committee, *, keep: int | None = None, today=None) -> QuerySet[PlenarySession]:
    """The sessions a new proposal may be written for: the current one (the last that has
    opened: between sessions, proposals count towards it) and those to come; `keep` (a draft's
    own session) stays offered."""
    today = today or timezone.localdate()
    sessions = PlenarySession.objects.filter(term__committee=committee)
    current = sessions.filter(opens_on__lte=today).order_by("-opens_on").values("pk")[:1]
    offered = Q(opens_on__gt=today) | Q(pk__in=current)
    if keep is not None:
        offered |= Q(pk=keep)
    return sessions.filter(offered).select_related("term__committee").order_by("-opens_on")


COSIGN_CANDIDATES_SHOWN = 20


def cosign_candidates(proposal: Proposal, query: str) -> QuerySet[Seat]:
    """The members a joint proposal's lead may invite to co-sign, found by name, employer,
    sector or special committee: the proposal's committee's other active seats not invited yet,
    each with what tells namesakes apart (sector, employer, special committees, standing
    committee) and how many active seats share the name (`namesakes`)."""
    namesakes = (
        Seat.objects.filter(
            committee=proposal.committee_id,
            status=SeatStatus.ACTIVE,
            person__name=OuterRef("person__name"),
        )
        .order_by()
        .values("person__name")
        .annotate(n=Count("pk"))
        .values("n")
    )
    seats = Seat.objects.filter(committee=proposal.committee_id, status=SeatStatus.ACTIVE).exclude(
        pk__in=CoSigner.objects.filter(proposal=proposal).values("seat")
    )
    if proposal.lead_id is not None:
        seats = seats.exclude(pk=proposal.lead_id)
    if query:
        seats = seats.filter(
            Q(person__name__icontains=query)
            | Q(person__employer__icontains=query)
            | Q(sector__name__icontains=query)
            | Q(pk__in=Seat.objects.filter(special_committees__name__icontains=query).values("pk"))
        )
    return (
        seats.annotate(namesakes=Subquery(namesakes))
        .select_related("person", "sector", "party")
        .prefetch_related("special_committees")
        .order_by("person__name", "person__employer", "pk")
    )


def cosigned_by(user) -> QuerySet[Proposal]:
    """The proposals the member has confirmed to co-sign, newest first."""
    return (
        Proposal.objects.filter(
            cosigners__seat__person__user=user, cosigners__status=CoSigner.Status.CONFIRMED
        )
        .select_related("session__term", "lead__person", "category")
        .order_by("-id")
    )


def current_replies(proposal: Proposal) -> QuerySet[Reply]:
    """The replies of the proposal's current round (the re-handling's once it is ordered), of
    units still assigned."""
    return Reply.objects.filter(
        assignment__proposal=proposal, is_rehandling=proposal.rehandled
    ).exclude(assignment__status=Assignment.Status.WITHDRAWN)


def rating_window_until(proposal: Proposal):
    """The last day the proposer may still rate an unrated current reply, or None: no reply
    waits within its window, or one is rated dissatisfied (the office may then close at once)."""
    replies = current_replies(proposal)
    if replies.filter(feedback__rating=Feedback.Rating.DISSATISFIED).exists():
        return None
    today = timezone.localdate()
    open_until = [
        due
        for replied_on in replies.filter(feedback__isnull=True).values_list("replied_on", flat=True)
        if today <= (due := deadlines.feedback_due(replied_on))
    ]
    return max(open_until, default=None)
