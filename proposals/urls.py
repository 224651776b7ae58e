from django.urls import path

from proposals import views

app_name = "proposals"
urlpatterns = [
    path("public/", views.public_list, name="public-list"),
    path("public/<int:pk>/", views.public_detail, name="public-detail"),
    path("mine/", views.my_proposals, name="mine"),
    path("figures/", views.figures, name="figures"),
    path("new/", views.draft_edit, name="new"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("attachments/<int:pk>/delete/", views.remove_attachment, name="attachment-delete"),
    path("replies/<int:pk>/letter/", views.reply_letter, name="reply-letter"),
    path("<int:pk>/edit/", views.draft_edit, name="edit"),
    path("<int:pk>/cosigners/", views.cosign_search, name="cosign-search"),
    path("<int:pk>/<str:act>/", views.proposal_act, name="act"),
    path("cosign/<int:pk>/", views.cosign_answer, name="cosign-answer"),
    path("replies/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("unit/", views.unit_workspace, name="unit"),
    path("unit/<int:pk>/", views.unit_assignment, name="unit-assignment"),
]
