"""The statistics pages: the list of snapshots, one committee's year with charts (and its
districts side by side), its Excel export, and recomputation on demand."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cppcc_portal.errors import DomainError
from yearbook import excel, selectors, workflow
from yearbook.models import Snapshot
from yearbook.report import compare, present


@login_required
def index(request):
    snapshots = selectors.snapshots_for(request.user)
    year = request.GET.get("year", "")
    if year.isdigit():
        snapshots = snapshots.filter(year=int(year))
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
    return render(
        request,
        "yearbook/detail.html",
        {
            "committee": committee,
            "year": year,
            "snapshot": snapshot,
            "sections": sections,
            "comparison": comparison,
            "charts": _charts(sections, comparison),
            "this_year": timezone.localdate().year,
        },
    )


def _charts(sections: list[dict], comparison: dict | None) -> list[dict]:
    """What charts.js draws: one chart per non-empty breakdown, and the districts compared."""
    charts = [
        {
            "id": f"chart-{section['key']}-{breakdown['key']}",
            "type": breakdown["chart"],
            "title": breakdown["label"],
            "labels": [item["label"] for item in breakdown["items"]],
            "series": [
                {"name": breakdown["label"], "values": [i["value"] for i in breakdown["items"]]}
            ],
        }
        for section in sections
        for breakdown in section["breakdowns"]
        if breakdown["items"]
    ]
    if comparison:
        counts = [c for c in comparison["columns"] if c["unit"] != "%"][:4]
        charts.append(
            {
                "id": "chart-districts",
                "type": "bar",
                "title": _("各区主要指标"),
                "labels": [row["committee"].short_name for row in comparison["rows"]],
                "series": [
                    {
                        "name": column["label"],
                        "values": [
                            row["values"][comparison["columns"].index(column)]
                            for row in comparison["rows"]
                        ],
                    }
                    for column in counts
                ],
            }
        )
    return charts


@login_required
def export(request, committee: int, year: int):
    committee = selectors.committee_for(request.user, committee)
    snapshot = Snapshot.objects.filter(committee=committee, year=year).first()
    if snapshot is None:
        messages.error(request, _("该年度统计尚未生成。"))
        return redirect("yearbook:detail", committee=committee.pk, year=year)
    districts = selectors.district_snapshots(request.user, committee, year)
    response = HttpResponse(
        excel.workbook(snapshot, districts),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"statistics-{committee.region_code or committee.pk}-{year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
