from django.urls import path

from audits.views import audits, checklists, findings, plans

app_name = "audits"
urlpatterns = [
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/reviews-due/", plans.reviews_due, name="reviews_due"),
    path("plans/import/", plans.plan_import, name="plan_import"),
    path("plans/assign/", plans.assign, name="assign"),
    path("plans/<uuid:plan_uuid>/", plans.plan_detail, name="plan_detail"),
    path("audits/", audits.audit_list, name="audit_list"),
    path("audits/findings/", findings.findings, name="findings"),
    path("audits/export.csv", findings.export, {"fmt": "csv"}, name="export_csv"),
    path("audits/export.xlsx", findings.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("audits/<uuid:audit_uuid>/", audits.audit_detail, name="audit_detail"),
    path(
        "audits/<uuid:audit_uuid>/sections/<str:code>/", audits.audit_section, name="audit_section"
    ),
    path("audits/<uuid:audit_uuid>/overall/", audits.audit_overall, name="audit_overall"),
    path("audits/<uuid:audit_uuid>/submit/", audits.audit_submit, name="audit_submit"),
    path("audits/<uuid:audit_uuid>/reopen/", audits.audit_reopen, name="audit_reopen"),
    path("audits/<uuid:audit_uuid>/print/", audits.audit_print, name="audit_print"),
    path("checklists/", checklists.template_list, name="template_list"),
    path("checklists/import/", checklists.template_upload, name="template_upload"),
    path("checklists/<int:pk>/", checklists.template_detail, name="template_detail"),
    path(
        "checklists/<int:pk>/export.json",
        checklists.template_export_json,
        name="template_export",
    ),
    path(
        "checklists/<int:pk>/new-version/",
        checklists.template_new_draft,
        name="template_new_version",
    ),
    path("checklists/<int:pk>/publish/", checklists.template_publish, name="template_publish"),
]
