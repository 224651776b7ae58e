"""Pages that bring the apps together: the home page (a member's to-dos), a member's own record,
the API docs."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotAuthenticated
from rest_framework.renderers import JSONRenderer

from cppcc_portal.home import member_home
from members.models import Person
from members.selectors import performance_of, user_roles
from members.views import year_of
from workstations.selectors import member_workstations, upcoming_activities


def home(request):
    """The public welcome; signed in: who the user is and, for a member, their to-dos and year
    at a glance (cppcc_portal.home)."""
    context = {}
    if request.user.is_authenticated:
        context["roles"] = user_roles(request.user)
        person = context["person"] = Person.objects.filter(user=request.user).first()
        if person is not None:
            context.update(member_home(request.user, person))
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


class ApiSchemaView(SpectacularAPIView):
    """The OpenAPI schema (YAML, or JSON with ?format=json); its errors answer JSON like every
    other error under /api/, not the schema's media type."""

    def handle_exception(self, exc):
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)


class ApiDocsView(SpectacularSwaggerSplitView):
    """The offline Swagger UI. Where it is not open to all (core.rest.SchemaAccess), a visitor
    who is not signed in is sent to the login page rather than shown a JSON error."""

    def handle_exception(self, exc):
        if isinstance(exc, NotAuthenticated):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)
