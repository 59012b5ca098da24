from django.urls import path

from send_qa.reports import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.report_list, name="report_list"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/<uuid:report_uuid>/", views.report_detail, name="report_detail"),
    path("reports/<uuid:report_uuid>/status/", views.report_status, name="report_status"),
    path("reports/<uuid:report_uuid>/edit/", views.report_edit, name="report_edit"),
    path("reports/<uuid:report_uuid>/autosave/", views.report_autosave, name="report_autosave"),
    path("reports/<uuid:report_uuid>/history/", views.report_history, name="report_history"),
    path("reports/<uuid:report_uuid>/commentary/", views.board_commentary, name="board_commentary"),
    path("reports/<uuid:report_uuid>/compile/", views.version_compile, name="version_compile"),
    path("reports/versions/<uuid:version_uuid>/retry/", views.version_retry, name="version_retry"),
    path(
        "reports/versions/<uuid:version_uuid>/release/",
        views.version_release,
        name="version_release",
    ),
    path("reports/versions/<uuid:version_uuid>/pdf/", views.version_pdf, name="version_pdf"),
]
