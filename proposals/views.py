"""Public pages 双公开: disclosed proposals with their replies, searchable in Chinese, filtered by
year, committee and category. No login."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from members.models import Committee
from proposals.models import Category
from proposals.selectors import disclosed


def public_list(request):
    proposals = disclosed()
    query = request.GET.get("q", "").strip()[:50]
    if query:
        proposals = proposals.filter(search__contains_text=query)
    selected = {}
    for name, field in (
        ("year", "session__opens_on__year"),
        ("committee", "committee"),
        ("category", "category"),
    ):
        value = request.GET.get(name, "")
        if value.isdigit():
            selected[name] = int(value)
            proposals = proposals.filter(**{field: int(value)})
    page = Paginator(proposals, 20).get_page(request.GET.get("page"))
    published = disclosed().order_by()
    return render(
        request,
        "proposals/public_list.html",
        {
            "page": page,
            "q": query,
            "selected": selected,
            "committees": Committee.objects.filter(pk__in=published.values("committee")),
            "categories": Category.objects.filter(pk__in=published.values("category")).order_by(
                "name"
            ),
            "years": [d.year for d in published.dates("session__opens_on", "year", order="DESC")],
        },
    )


def public_detail(request, pk: int):
    proposal = get_object_or_404(disclosed(), pk=pk)
    return render(request, "proposals/public_detail.html", {"proposal": proposal})
