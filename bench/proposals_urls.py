"""The portal's URLs plus the floors of bench/proposals_scale.py: bare Django views returning the
same document as the portal's API list and detail — every field and part the serializers return,
the overdue flag and the state's label included — with `.values()` and JsonResponse: no token, no
scoping, no filter validation, no serializer; same middleware."""

from django.db.models import F
from django.http import JsonResponse
from django.urls import include, path, reverse
from django.utils import timezone

from proposals.api import (
    AssignmentSerializer,
    AttachmentSerializer,
    HandlingConsultationSerializer,
    ProposalDetailSerializer,
    ProposalSerializer,
    ReplySerializer,
)
from proposals.models import (
    Assignment,
    Attachment,
    CoSigner,
    HandlingConsultation,
    Proposal,
    Reply,
    State,
)
from proposals.selectors import OPEN_ASSIGNMENT, overdue_assignments

# The model columns the API's serializers return (their computed fields are read here too).
COMPUTED = {
    "lead_name",
    "state_display",
    "overdue",
    "cosigners",
    "attachments",
    "assignments",
    "unit_name",
    "replies",
    "consultations",
    "rating",
    "url",
}


def columns(serializer) -> list[str]:
    """The serializer's model columns (its time stamps included)."""
    return [name for name in serializer().fields if name not in COMPUTED]


# Read once, as a bare view would name its columns.
LIST, DETAIL, ATTACHMENT, ASSIGNMENT, REPLY, CONSULTATION = (
    columns(serializer)
    for serializer in (
        ProposalSerializer,
        ProposalDetailSerializer,
        AttachmentSerializer,
        AssignmentSerializer,
        ReplySerializer,
        HandlingConsultationSerializer,
    )
)


def floor_list(request):
    rows = list(
        Proposal.objects.filter(committee=int(request.GET["committee"]), state=request.GET["state"])
        .order_by("-id")
        .values(*LIST, lead_name=F("lead__person__name"))[:50]
    )
    late = set(
        overdue_assignments()
        .filter(proposal__in=[row["id"] for row in rows])
        .order_by()
        .values_list("proposal", flat=True)
    )
    labels = {state: str(label) for state, label in State.choices}  # in the request's language
    for row in rows:
        row["state_display"] = labels[row["state"]]
        row["overdue"] = row["id"] in late
    return JsonResponse({"results": rows})


def floor_detail(request, pk: int):
    proposal = (
        Proposal.objects.filter(pk=pk).values(*DETAIL, lead_name=F("lead__person__name")).get()
    )
    proposal["state_display"] = str(State(proposal["state"]).label)
    proposal["cosigners"] = list(
        CoSigner.objects.filter(proposal=pk).values("seat", "status", name=F("seat__person__name"))
    )
    proposal["attachments"] = [
        {**row, "url": reverse("proposal-attachment", args=[pk, row["id"]])}
        for row in Attachment.objects.filter(proposal=pk).values(*ATTACHMENT)
    ]
    assignments = {
        row["id"]: {**row, "replies": [], "consultations": []}
        for row in Assignment.objects.filter(proposal=pk).values(
            *ASSIGNMENT, unit_name=F("unit__name")
        )
    }
    for row in Reply.objects.filter(assignment__proposal=pk).values(
        "assignment", *REPLY, rating=F("feedback__rating")
    ):
        assignments[row.pop("assignment")]["replies"].append(row)
    for row in HandlingConsultation.objects.filter(assignment__proposal=pk).values(
        "assignment", *CONSULTATION
    ):
        assignments[row.pop("assignment")]["consultations"].append(row)
    today = timezone.localdate()
    proposal["assignments"] = list(assignments.values())
    proposal["overdue"] = any(
        a["status"] in OPEN_ASSIGNMENT and a["due_on"] < today for a in assignments.values()
    )
    return JsonResponse(proposal)


def floor_public(request):
    rows = Proposal.objects.filter(public=True)
    if request.GET.get("q"):
        rows = rows.filter(search__contains_text=request.GET["q"])
    rows = rows.order_by("-session_id", "-number").values(
        "id",
        "number",
        "title",
        "committee",
        "session",
        "category",
        lead_name=F("lead__person__name"),
    )[:20]
    return JsonResponse({"results": list(rows)})


urlpatterns = [
    path("floor/proposals/", floor_list),
    path("floor/proposals/<int:pk>/", floor_detail),
    path("floor/public/", floor_public),
    path("", include("cppcc_portal.urls")),
]
