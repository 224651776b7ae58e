"""Pages that bring the apps together: the home page and a member's own record."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from members.models import Person
from members.selectors import performance_of, user_roles
from members.views import year_of
from workstations.selectors import member_workstations, upcoming_activities


def home(request):
    context = {}
    if request.user.is_authenticated:
        context["roles"] = user_roles(request.user)
        context["person"] = Person.objects.filter(user=request.user).first()
    return render(request, "home.html", context)


@login_required
def my_record(request):
    """我的履职: every seat of the member, their workstations and coming activities, and the
    year's performance record (derived from their acts)."""
    person = Person.objects.filter(user=request.user).first()
    if person is None:
        return render(request, "me.html", {"person": None})
    year = year_of(request)
    record = list(performance_of(person, year))
    return render(
        request,
        "me.html",
        {
            "person": person,
            "seats": person.seats.select_related("committee", "term", "sector", "party"),
            "placements": member_workstations(person),
            "activities": upcoming_activities(person),
            "record": record,
            "total": sum((row.total for row in record), 0),
            "year": year,
        },
    )
