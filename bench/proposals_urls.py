"""The portal's URLs plus the floors of bench/proposals_scale.py: bare Django views returning the
same rows as the portal's API list and detail, with `.values()` and JsonResponse — no token, no
scoping, no serializer; same middleware."""

from django.db.models import F
from django.http import JsonResponse
from django.urls import include, path

from proposals.api import ProposalDetailSerializer, ProposalSerializer
from proposals.models import Assignment, Proposal, Reply

# The model columns the API's serializers return (their computed fields are read here too).
COMPUTED = {"lead_name", "state_display", "overdue", "cosigners", "attachments", "assignments"}
LIST_FIELDS = [f for f in ProposalSerializer.Meta.fields if f not in COMPUTED]
DETAIL_FIELDS = [f for f in ProposalDetailSerializer.Meta.fields if f not in COMPUTED]


def floor_list(request):
    rows = (
        Proposal.objects.filter(committee=int(request.GET["committee"]), state=request.GET["state"])
        .order_by("-id")
        .values(*LIST_FIELDS, lead_name=F("lead__person__name"))[:50]
    )
    return JsonResponse({"results": list(rows)})


def floor_detail(request, pk: int):
    proposal = (
        Proposal.objects.filter(pk=pk)
        .values(*DETAIL_FIELDS, lead_name=F("lead__person__name"))
        .get()
    )
    proposal["assignments"] = list(
        Assignment.objects.filter(proposal=pk).values(
            "id",
            "unit",
            "role",
            "status",
            "assigned_on",
            "due_on",
            "replied_on",
            "opinion",
            unit_name=F("unit__name"),
        )
    )
    proposal["replies"] = list(
        Reply.objects.filter(assignment__proposal=pk).values(
            "id",
            "assignment",
            "result",
            "text",
            "signatory",
            "replied_on",
            rating=F("feedback__rating"),
        )
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
