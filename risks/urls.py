from django.urls import path

from risks import views

app_name = "risks"
urlpatterns = [
    path("", views.risk_list, name="risk_list"),
    path("matrix/", views.risk_matrix, name="risk_matrix"),
    path("new/", views.risk_new, name="risk_new"),
    path("<uuid:risk_uuid>/", views.risk_detail, name="risk_detail"),
    path("<uuid:risk_uuid>/edit/", views.risk_edit, name="risk_edit"),
    path("<uuid:risk_uuid>/history/", views.risk_history, name="risk_history"),
]
