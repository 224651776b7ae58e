"""The portal's URLs plus the floor of bench/brand_voting.py: a bare Django view that stores a
vote row without the round's rule, the rate limits or the live tally — same middleware, same
session and CSRF checks, one INSERT."""

from django.http import HttpResponseBadRequest, JsonResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.http import require_POST

from brands.models import Vote
from brands.voting import SESSION_KEY, client_ip


@require_POST
def floor(request, pk: int):
    who = request.session.get(SESSION_KEY)
    raw = request.POST.get("candidate", "")
    if who is None or not raw.isdigit():
        return HttpResponseBadRequest()
    now = timezone.now()
    Vote.objects.create(
        round_id=pk,
        candidate_id=int(raw),
        voter_kind=who["kind"],
        voter=who["voter"],
        day=timezone.localdate(now),
        cast_at=now,
        ip=client_ip(request),
    )
    return JsonResponse({"code": "accepted"}, status=201)


urlpatterns = [
    path("floor/<int:pk>/vote/", floor),
    path("", include("cppcc_portal.urls")),
]
