"""Portal pages of workstations: the district's figures and stations, a station's page, and the
liaison's form for recording an activity."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.params import search_text
from core.scoping import readable
from members.models import Committee, Level
from members.views import year_of
from workstations import workflow
from workstations.forms import ActivityForm
from workstations.models import Placement, Tier, Workstation
from workstations.permissions import can_manage
from workstations.selectors import activities_for
from workstations.stats import district_figures, station_figures


def _readable_stations(user):
    """Staff with the view permission see their districts' stations; liaisons see their own."""
    stations = Workstation.objects.all()
    if user.has_perm("workstations.view_workstation"):
        return readable(stations, user)
    return stations.filter(liaisons=user)


@login_required
def workstation_list(request):
    stations = _readable_stations(request.user)
    year = year_of(request)
    tier = request.GET.get("tier")
    if tier in Tier.values:
        stations = stations.filter(tier=tier)
    query = search_text(request.GET.get("q"), limit=100)
    if query:
        stations = stations.filter(Q(name__icontains=query) | Q(host__icontains=query))
    rows = station_figures(stations.select_related("committee", "street", "sector"), year)
    figures = None
    if request.user.has_perm("workstations.view_workstation"):
        districts = readable(
            Committee.objects.filter(level=Level.DISTRICT), request.user, via="id"
        ).order_by("order", "region_code")
        names = dict(districts.values_list("pk", "short_name"))
        figures = [
            {"name": names[pk], **values}
            for pk, values in district_figures(list(names), year).items()
        ]
    page = Paginator(rows.order_by("committee__order", "tier", "name"), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "workstations/workstation_list.html",
        {
            "page": page,
            "figures": figures,
            "year": year,
            "tiers": Tier.choices,
            "tier": tier,
            "q": query,
        },
    )


@login_required
def workstation_detail(request, pk: int):
    station = get_object_or_404(
        _readable_stations(request.user)
        .select_related("committee", "street", "sector")
        .prefetch_related(
            Prefetch(
                "placements",
                queryset=Placement.objects.select_related(
                    "seat__person", "seat__committee"
                ).order_by("left_on", "-role", "seat__person__name"),
            ),
            "assessments",
        ),
        pk=pk,
    )
    activities = activities_for(request.user).filter(workstation=station)[:20]
    return render(
        request,
        "workstations/workstation_detail.html",
        {
            "station": station,
            "activities": activities,
            "may_record": can_manage(request.user, station, perm="workstations.add_activity"),
        },
    )


@login_required
def activity_create(request, pk: int):
    station = get_object_or_404(_readable_stations(request.user), pk=pk)
    if not can_manage(request.user, station, perm="workstations.add_activity"):
        raise PermissionDenied
    form = ActivityForm(request.POST or None, workstation=station)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.record_activity(workstation=station, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("活动已登记，参加委员的履职记录已更新。"))
            return redirect("workstations:detail", pk=station.pk)
    return render(request, "workstations/activity_form.html", {"station": station, "form": form})
