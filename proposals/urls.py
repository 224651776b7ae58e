from django.urls import path

from proposals import views

app_name = "proposals"
urlpatterns = [
    path("public/", views.public_list, name="public-list"),
    path("public/<int:pk>/", views.public_detail, name="public-detail"),
]
