"""Portal pages of the organisation directory."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from members.models import Committee
from members.selectors import committee_detail_for, committees_for


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
