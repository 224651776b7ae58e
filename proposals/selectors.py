"""Reads of proposals, scoped to the user, with their overdue status computed (never stored)."""

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.scoping import readable
from proposals.models import Assignment, Attachment, CoSigner, Proposal, Reply, State

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


def with_overdue(proposals: QuerySet[Proposal], today=None) -> QuerySet[Proposal]:
    return proposals.annotate(
        overdue=Exists(overdue_assignments(today).filter(proposal=OuterRef("pk")))
    )


def proposals_for(user, *, overdue: bool = True) -> QuerySet[Proposal]:
    """Staff and API clients: their committees' proposals (drafts stay private to their authors);
    a member: the proposals they lead or co-sign; a handling unit: those assigned to it.
    `overdue=False` leaves the flag to mark_overdue (a page's rows only)."""
    cosigns = CoSigner.objects.filter(proposal=OuterRef("pk"), seat__person__user=user)
    own = Q(lead__person__user=user) | Q(created_by=user) | Q(Exists(cosigns))
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


def mark_overdue(proposals: list[Proposal], today=None) -> list[Proposal]:
    """Set `overdue` on a page of proposals in one query over their ids: as an annotation of a
    big list the planner may hash every overdue assignment before reading the page's rows."""
    pending = [p for p in proposals if not hasattr(p, "overdue")]
    late = set(
        overdue_assignments(today)
        .filter(proposal__in=[p.pk for p in pending])
        .values_list("proposal", flat=True)
    )
    for proposal in pending:
        proposal.overdue = proposal.pk in late  # type: ignore[attr-defined]
    return proposals


def as_list_rows(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Proposals as a list shows them: their own narrow columns only (ids of the related rows,
    the lead's name annotated), no joined objects, no texts."""
    return proposals.select_related(None).defer(*WIDE_FIELDS)


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


def proposal_by_id(pk: int) -> QuerySet[Proposal]:
    """One proposal, unscoped, as the lists show it: for reading back what an act just did."""
    return (
        with_overdue(Proposal.objects.filter(pk=pk))
        .select_related("committee", "session__term", "category", "lead__person")
        .annotate(lead_name=LEAD_NAME)
    )


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
