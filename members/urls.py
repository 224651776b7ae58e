from django.urls import path

from members import tokens, views

app_name = "members"
urlpatterns = [
    path("committees/", views.committee_list, name="committee-list"),
    path("committees/<int:pk>/", views.committee_detail, name="committee-detail"),
    path("performance/", views.performance_ranking, name="performance-ranking"),
    path("visits/", views.visits_report, name="visits-report"),
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", tokens.revoke, name="token-revoke"),
]
