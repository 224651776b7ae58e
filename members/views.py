"""Portal pages of the organisation directory and the staff's member figures (ranking, visits)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from core.excel import xlsx_response
from core.params import is_digits, valid_year
from core.scoping import readable
from members.models import Committee, Seat, SeatStatus
from members.performance import ranking
from members.reports import ranking_workbook, visit_figures
from members.selectors import committee_detail_for, committees_for


def year_of(request) -> int:
    """The ?year= of a page; this year when it is missing or not a year."""
    return valid_year(request.GET.get("year")) or timezone.localdate().year


@login_required
def committee_list(request):
    page = Paginator(committees_for(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "members/committee_list.html", {"page": page})


@login_required
def committee_detail(request, pk: int):
    try:
        committee = committee_detail_for(request.user, pk)
    except Committee.DoesNotExist:
        raise Http404 from None
    return render(request, "members/committee_detail.html", {"committee": committee})


def staff_committee(request, perm: str):
    """The committee a staff page is about (?committee= among the readable ones, else the user's
    own) and the readable committees to choose from; 403 without `perm`."""
    if not request.user.has_perm(perm):
        raise PermissionDenied
    committees = readable(Committee.objects.all(), request.user, via="id")
    wanted = request.GET.get("committee") or request.user.home_committee_id
    committee = committees.filter(pk=wanted).first() if is_digits(str(wanted or "")) else None
    if committee is None:
        committee = committees.first()
        if committee is None:
            raise Http404
    return committee, committees


@login_required
def performance_ranking(request):
    """Staff: the year's performance ranking of a committee's active seats, with Excel export."""
    committee, committees = staff_committee(request, "members.view_seat")
    year = year_of(request)
    seats = ranking(Seat.objects.filter(committee=committee, status=SeatStatus.ACTIVE), year)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            ranking_workbook(seats, committee=committee, year=year), f"performance-{year}.xlsx"
        )
    page = Paginator(seats, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "members/performance_ranking.html",
        {
            "page": page,
            "committee": committee,
            "committees": committees,
            "year": year,
            "totals": seats.aggregate(total=Sum("points")),
        },
    )


@login_required
def visits_report(request):
    """Staff: the year's visits (走访) against the committee's active members."""
    committee, committees = staff_committee(request, "members.view_seat")
    year = year_of(request)
    return render(
        request,
        "members/visits_report.html",
        {
            "committee": committee,
            "committees": committees,
            "year": year,
            "figures": visit_figures(committee, year),
        },
    )
