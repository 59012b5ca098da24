from django.urls import path

from audits.views import advice, audits, checklists, findings, history, moderation, peer, plans

app_name = "audits"
urlpatterns = [
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/reviews-due/", plans.reviews_due, name="reviews_due"),
    path("plans/import/", plans.plan_import, name="plan_import"),
    path("plans/assign/", plans.assign, name="assign"),
    path("plans/<uuid:plan_uuid>/", plans.plan_detail, name="plan_detail"),
    path("plans/<uuid:plan_uuid>/history/", history.plan_history, name="plan_history"),
    path("audits/", audits.audit_list, name="audit_list"),
    path("audits/findings/", findings.findings, name="findings"),
    path("quality-assurance/", findings.qa_summary, name="qa_summary"),
    path("audits/export.csv", findings.export, {"fmt": "csv"}, name="export_csv"),
    path("audits/export.xlsx", findings.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("audits/<uuid:audit_uuid>/", audits.audit_detail, name="audit_detail"),
    path("audits/<uuid:audit_uuid>/history/", history.audit_history, name="audit_history"),
    path(
        "audits/<uuid:audit_uuid>/sections/<str:code>/", audits.audit_section, name="audit_section"
    ),
    path("audits/<uuid:audit_uuid>/overall/", audits.audit_overall, name="audit_overall"),
    path("audits/<uuid:audit_uuid>/submit/", audits.audit_submit, name="audit_submit"),
    path("audits/<uuid:audit_uuid>/reopen/", audits.audit_reopen, name="audit_reopen"),
    path("audits/<uuid:audit_uuid>/print/", audits.audit_print, name="audit_print"),
    path("advice/", advice.advice_list, name="advice_list"),
    path("advice/new/", advice.advice_new, name="advice_new"),
    path("advice/reminders/", advice.advice_reminders, name="advice_reminders"),
    path("advice/summary/", advice.advice_summary, name="advice_summary"),
    path("advice/services/", advice.service_list, name="advice_services"),
    path("advice/services/new/", advice.service_new, name="advice_service_new"),
    path("advice/services/<uuid:service_uuid>/", advice.service_edit, name="advice_service_edit"),
    path("advice/<uuid:advice_uuid>/", advice.advice_detail, name="advice_detail"),
    path("advice/<uuid:advice_uuid>/history/", history.advice_history, name="advice_history"),
    path("advice/<uuid:advice_uuid>/edit/", advice.advice_edit, name="advice_edit"),
    path("advice/<uuid:advice_uuid>/assign/", advice.advice_assign, name="advice_assign"),
    path("advice/<uuid:advice_uuid>/feedback/", advice.advice_feedback, name="advice_feedback"),
    path("peer-moderation/", peer.peer_moderation, name="peer_moderation"),
    path("peer-moderation/start/", peer.peer_start, name="peer_start"),
    path("moderation/", moderation.session_list, name="moderation_list"),
    path("moderation/new/", moderation.session_new, name="moderation_new"),
    path("moderation/<uuid:session_uuid>/", moderation.session_detail, name="moderation_detail"),
    path(
        "moderation/<uuid:session_uuid>/history/",
        history.moderation_history,
        name="moderation_history",
    ),
    path("moderation/<uuid:session_uuid>/edit/", moderation.session_edit, name="moderation_edit"),
    path(
        "moderation/<uuid:session_uuid>/draw/",
        moderation.session_draw_sample,
        name="moderation_draw",
    ),
    path(
        "moderation/<uuid:session_uuid>/assign/",
        moderation.session_assign,
        name="moderation_assign",
    ),
    path(
        "moderation/<uuid:session_uuid>/sample.csv",
        moderation.session_sample_csv,
        name="moderation_sample_csv",
    ),
    path(
        "moderation/<uuid:session_uuid>/agreement/",
        moderation.session_agreement,
        name="moderation_agreement",
    ),
    path(
        "moderation/<uuid:session_uuid>/samples/<str:code>/",
        moderation.session_outcome,
        name="moderation_outcome",
    ),
    path(
        "moderation/<uuid:session_uuid>/key-issues/",
        moderation.session_key_issues,
        name="moderation_key_issues",
    ),
    path(
        "moderation/<uuid:session_uuid>/report/",
        moderation.session_report,
        name="moderation_report",
    ),
    path("checklists/", checklists.template_list, name="template_list"),
    path("checklists/import/", checklists.template_upload, name="template_upload"),
    path("checklists/<uuid:template_uuid>/", checklists.template_detail, name="template_detail"),
    path(
        "checklists/<uuid:template_uuid>/export.json",
        checklists.template_export_json,
        name="template_export",
    ),
    path(
        "checklists/<uuid:template_uuid>/new-version/",
        checklists.template_new_draft,
        name="template_new_version",
    ),
    path(
        "checklists/<uuid:template_uuid>/publish/",
        checklists.template_publish,
        name="template_publish",
    ),
]
