from django.urls import path

from yearbook import views

app_name = "yearbook"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:committee>/<int:year>/", views.detail, name="detail"),
    path("<int:committee>/<int:year>/dashboard/", views.dashboard, name="dashboard"),
    path("<int:committee>/<int:year>/export/", views.export, name="export"),
    path("<int:committee>/<int:year>/recompute/", views.recompute, name="recompute"),
]
