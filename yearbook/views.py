"""The statistics pages: the list of snapshots, one committee's year with charts (its districts
side by side and the roll-up 市区联动汇总), the dashboard of a committee with districts, its
Excel export, and recomputation on demand."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.excel import xlsx_response
from core.params import valid_year
from yearbook import excel, selectors, workflow
from yearbook.models import Snapshot
from yearbook.report import charts, compare, dashboard_charts, dashboard_tables, present
from yearbook.rollup import layout


@login_required
def index(request):
    snapshots = selectors.snapshots_for(request.user)
    year = valid_year(request.GET.get("year"))
    if year is not None:
        snapshots = snapshots.filter(year=year)
    years = selectors.snapshots_for(request.user).order_by("-year").values_list("year", flat=True)
    return render(
        request,
        "yearbook/index.html",
        {
            "page": Paginator(snapshots, 50).get_page(request.GET.get("page")),
            "years": sorted(set(years), reverse=True),
            "year": year,
            "committees": selectors.committees_for(request.user),
            "this_year": timezone.localdate().year,
        },
    )


@login_required
def detail(request, committee: int, year: int):
    committee = selectors.committee_for(request.user, committee)
    snapshot = Snapshot.objects.filter(committee=committee, year=year).first()
    districts = selectors.district_snapshots(request.user, committee, year)
    sections = present(snapshot) if snapshot else []
    comparison = compare(districts) if districts else None
    tree = selectors.tree(request.user, committee, year)
    return render(
        request,
        "yearbook/detail.html",
        {
            "committee": committee,
            "year": year,
            "snapshot": snapshot,
            "sections": sections,
            "comparison": comparison,
            "charts": charts(sections, comparison),
            "rollup": layout(tree) if tree else None,
            "this_year": timezone.localdate().year,
        },
    )


@login_required
def dashboard(request, committee: int, year: int):
    """市区联动看板: the committees below side by side with the own work and the total, each with
    its change on the previous year, as a table and bar charts."""
    committee = selectors.committee_for(request.user, committee)
    tree = selectors.tree(request.user, committee, year)
    board = layout(tree, selectors.tree(request.user, committee, year - 1)) if tree else None
    return render(
        request,
        "yearbook/dashboard.html",
        {
            "committee": committee,
            "year": year,
            "board": board,
            "tables": dashboard_tables(board) if board else [],
            "charts": dashboard_charts(board) if board else [],
            "this_year": timezone.localdate().year,
        },
    )


@login_required
def export(request, committee: int, year: int):
    committee = selectors.committee_for(request.user, committee)
    snapshot = Snapshot.objects.filter(committee=committee, year=year).first()
    if snapshot is None:
        messages.error(request, _("该年度统计尚未生成。"))
        return redirect("yearbook:detail", committee=committee.pk, year=year)
    districts = selectors.district_snapshots(request.user, committee, year)
    tree = selectors.tree(request.user, committee, year)
    filename = f"statistics-{committee.region_code or committee.pk}-{year}.xlsx"
    return xlsx_response(
        excel.workbook(snapshot, districts, layout(tree) if tree else None), filename
    )


@login_required
@require_POST
def recompute(request, committee: int, year: int):
    committee = selectors.committee_for(request.user, committee)
    try:
        workflow.request_recompute(request.user, [committee], year)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已提交重新计算，稍后刷新本页即可看到最新数据。"))
    return redirect("yearbook:detail", committee=committee.pk, year=year)
