from django.urls import path

from wsoa.views import actions, history, plans, raise_action, transfer

app_name = "wsoa"
urlpatterns = [
    path("action-plans/", plans.plan_list, name="plan_list"),
    path("action-plans/new/", plans.plan_new, name="plan_new"),
    path("action-plans/<uuid:plan_uuid>/", plans.plan_detail, name="plan_detail"),
    path("action-plans/<uuid:plan_uuid>/edit/", plans.plan_edit, name="plan_edit"),
    path("action-plans/<uuid:plan_uuid>/summary/", plans.plan_summary_view, name="plan_summary"),
    path("action-plans/<uuid:plan_uuid>/rag-key/", plans.rag_key_edit, name="rag_key"),
    path("action-plans/<uuid:plan_uuid>/snapshots/", plans.snapshot_new, name="snapshot_new"),
    path("action-plans/<uuid:plan_uuid>/weaknesses/new/", plans.weakness_new, name="weakness_new"),
    path(
        "action-plans/<uuid:plan_uuid>/weaknesses/<int:number>/",
        plans.weakness_edit,
        name="weakness_edit",
    ),
    path(
        "action-plans/<uuid:plan_uuid>/weaknesses/<int:number>/actions/new/",
        plans.action_new,
        name="action_new",
    ),
    path("action-plans/<uuid:plan_uuid>/import/", transfer.actions_upload, name="actions_upload"),
    path(
        "action-plans/<uuid:plan_uuid>/import/template.csv",
        transfer.actions_import_template,
        {"fmt": "csv"},
        name="actions_import_template_csv",
    ),
    path(
        "action-plans/<uuid:plan_uuid>/import/template.xlsx",
        transfer.actions_import_template,
        {"fmt": "xlsx"},
        name="actions_import_template_xlsx",
    ),
    path(
        "action-plans/<uuid:plan_uuid>/export.csv",
        transfer.actions_export,
        {"fmt": "csv"},
        name="export_csv",
    ),
    path(
        "action-plans/<uuid:plan_uuid>/export.xlsx",
        transfer.actions_export,
        {"fmt": "xlsx"},
        name="export_xlsx",
    ),
    path("actions/mine/", actions.my_actions, name="my_actions"),
    path("actions/raise/", raise_action.action_raise, name="action_raise"),
    path("actions/raised/", raise_action.actions_raised, name="actions_raised"),
    path("actions/<uuid:action_uuid>/", actions.action_detail, name="action_detail"),
    path("actions/<uuid:action_uuid>/history/", history.action_history, name="action_history"),
    path("actions/<uuid:action_uuid>/edit/", plans.action_edit, name="action_edit"),
    path("actions/<uuid:action_uuid>/update/", actions.action_update, name="action_update"),
    path("actions/<uuid:action_uuid>/evidence/", actions.evidence_add, name="evidence_add"),
    path(
        "actions/<uuid:action_uuid>/evidence/<uuid:evidence_uuid>/",
        actions.evidence_download,
        name="evidence_download",
    ),
]
