from django.urls import path

from opinions import views

app_name = "opinions"
urlpatterns = [
    path("mine/", views.my_pieces, name="mine"),
    path("new/", views.draft_edit, name="new"),
    path("<int:pk>/", views.piece_detail, name="detail"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<int:pk>/edit/", views.draft_edit, name="edit"),
    path("<int:pk>/<str:act>/", views.piece_act, name="act"),
]
