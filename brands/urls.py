from django.urls import path

from brands import views

app_name = "brands"
urlpatterns = [
    path("", views.showcase, name="showcase"),
    path("<int:pk>/", views.detail, name="detail"),
    path("images/<int:pk>/", views.image, name="image"),
    path("materials/<int:pk>/", views.material, name="material"),
    path("rounds/<int:pk>/", views.round_page, name="round"),
    path("rounds/<int:pk>/vote/", views.vote, name="vote"),
    path("identify/", views.identify, name="identify"),
    path("scoring/", views.scoring, name="scoring"),
    path("scoring/<int:pk>/", views.score, name="score"),
]
