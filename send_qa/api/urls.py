from django.urls import path

from send_qa.api import token_views, views

app_name = "api"

urlpatterns = [
    path("api/schema/", views.SchemaView.as_view(), name="schema"),
    path("api/v1/indicators/", views.IndicatorsView.as_view(), name="indicators"),
    path("api/v1/values/", views.ValuesView.as_view(), name="values"),
    path("api/v1/scorecard/", views.ScorecardView.as_view(), name="scorecard"),
    path("api/v1/audit-findings/", views.AuditFindingsView.as_view(), name="audit_findings"),
    path("api/v1/action-plans/", views.ActionPlansView.as_view(), name="action_plans"),
    path("api-tokens/", token_views.token_list, name="token_list"),
    path("api-tokens/new/", token_views.token_new, name="token_new"),
    path(
        "api-tokens/<uuid:token_uuid>/revoke/", token_views.token_revoke_view, name="token_revoke"
    ),
]
