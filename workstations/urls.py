from django.urls import path

from workstations import views

app_name = "workstations"
urlpatterns = [
    path("", views.workstation_list, name="list"),
    path("<int:pk>/", views.workstation_detail, name="detail"),
    path("<int:pk>/activities/new/", views.activity_create, name="activity-create"),
]
