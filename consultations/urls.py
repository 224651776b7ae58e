from django.urls import path

from consultations import views

app_name = "consultations"
urlpatterns = [
    path("", views.meeting_calendar, name="calendar"),
    path("meetings/<int:pk>/", views.meeting_page, name="meeting"),
    path("invitations/<int:pk>/sign-in/", views.sign_in, name="sign-in"),
    path("invitations/<int:pk>/leave/", views.request_leave, name="leave"),
    path("overview/", views.overview, name="overview"),
]
