"""URLs: the admin, the portal pages, the REST API (/api/v1/) and its offline docs (open in
development and demo mode, else to signed-in users and token holders)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from rest_framework.routers import DefaultRouter

from brands import api as brands_api
from consultations import api as consultations_api
from core.rest import api_not_found
from cppcc_portal import api as portal_api
from cppcc_portal import views
from members import api as members_api
from notifications import api as notifications_api
from opinions import api as opinions_api
from proposals import api as proposals_api
from workstations import api as workstations_api
from yearbook import api as yearbook_api

# Lazy: the admin's header follows the language chosen in the top bar.
admin.site.site_header = admin.site.site_title = _("政协工作平台管理")
admin.site.index_title = _("管理首页")

router = DefaultRouter()
members_api.register(router)
workstations_api.register(router)
consultations_api.register(router)
proposals_api.register(router)
brands_api.register(router)
opinions_api.register(router)
notifications_api.register(router)
portal_api.register(router)

api_patterns = [
    path("", include(router.urls)),
    path("me/", members_api.MeView.as_view(), name="me"),
    path("proposal-figures/", proposals_api.FiguresView.as_view(), name="proposal-figures"),
    path(
        "consultation-figures/",
        consultations_api.FiguresView.as_view(),
        name="consultation-figures",
    ),
    path(
        "workstation-figures/", workstations_api.FiguresView.as_view(), name="workstation-figures"
    ),
    path(
        "statistics/<int:committee>/<int:year>/",
        yearbook_api.StatisticsView.as_view(),
        name="statistics",
    ),
    path("reference/", portal_api.reference_view(), name="reference"),
    *[
        path(
            f"reference/{name.replace('_', '-')}/",
            portal_api.reference_view(name),
            name=f"reference-{name}",
        )
        for name in portal_api.SETS
    ],
    path(
        "exports/statistics.<str:fmt>",
        portal_api.StatisticsExportView.as_view(),
        name="export-statistics",
    ),
    re_path(
        r"^exports/(?P<kind>{})\.(?P<fmt>xlsx|csv)$".format("|".join(portal_api.EXPORTS)),
        portal_api.ExportView.as_view(),
        name="export",
    ),
    # Last: any other path under /api/v1/ (a non-numeric year included) is a JSON 404.
    re_path(r"^.*$", api_not_found),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.my_record, name="my-record"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("members/", include("members.urls")),
    path("workstations/", include("workstations.urls")),
    path("consultations/", include("consultations.urls")),
    path("proposals/", include("proposals.urls")),
    path("brands/", include("brands.urls")),
    path("opinions/", include("opinions.urls")),
    path("notifications/", include("notifications.urls")),
    path("statistics/", include("yearbook.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_patterns)),
    path("api/schema/", views.ApiSchemaView.as_view(), name="schema"),
    path("api/docs/", views.ApiDocsView.as_view(url_name="schema"), name="api-docs"),
    re_path(r"^api/", api_not_found),
]

# Without DEBUG, a 404 or 500 under /api/ answers JSON too; pages keep their HTML.
handler404 = "core.rest.not_found"
handler500 = "core.rest.server_error"
# MEDIA_ROOT is not served, not even in development: each app's download view checks who may
# read a file first (core/files.py).
