"""The action table in and out: import with the seed's headings, export as CSV or XLSX with
the same headings."""

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.access_log import Kind, logs_access
from send_qa.core.forms import posted
from send_qa.core.tables import table_download
from wsoa.access import plan_to_manage, plan_to_view
from wsoa.forms import ActionTableUploadForm
from wsoa.imports import COLUMNS, TableImportError, actions_import, read_table
from wsoa.models import Action, ActionPlan, ProgressUpdate
from wsoa.roles import ACTION_PLAN_MANAGERS, ACTION_PLAN_READERS


@role_required(*ACTION_PLAN_MANAGERS)
@require_http_methods(["GET", "POST"])
def actions_upload(request: SignedInRequest, plan_uuid: uuid.UUID) -> HttpResponse:
    plan = plan_to_manage(request.user, plan_uuid)
    form = ActionTableUploadForm(posted(request), request.FILES or None)
    problems = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = actions_import(read_table(upload, upload.name), plan=plan, by=request.user)
        except TableImportError as error:
            problems = [str(p) for p in error.problems]
        else:
            messages.success(
                request,
                " ".join(
                    [
                        f"{result.actions_added} actions and {result.weaknesses_added} weaknesses "
                        "added.",
                        *result.notes,
                    ]
                ),
            )
            return redirect("wsoa:plan_detail", plan_uuid=plan.uuid)
    return render(
        request,
        "wsoa/actions_upload.html",
        {"plan": plan, "form": form, "problems": problems, "columns": COLUMNS},
    )


def table_rows(plan: ActionPlan) -> list[list[str]]:
    """One row per action with the seed's columns; the latest progress update last."""
    actions = list(
        Action.objects.filter(weakness__plan=plan)
        .select_related("weakness", "status", "lead")
        .order_by("weakness__number", "pk")
    )
    latest = {}
    for update in ProgressUpdate.objects.filter(action__in=actions).order_by("date", "created_at"):
        latest[update.action_id] = update.narrative
    return [
        [
            f"{a.weakness}: {a.weakness.text}",
            a.improvement_area,
            f"{a.number}. {a.text}",
            a.success_measures,
            a.lead.full_name if a.lead else a.lead_title,
            a.governance_forum,
            a.timescale,
            a.status.name,
            latest.get(a.pk, ""),
        ]
        for a in actions
    ]


@role_required(*ACTION_PLAN_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.EXPORT, "action table", "plan_uuid")
def actions_export(request: SignedInRequest, plan_uuid: uuid.UUID, fmt: str) -> HttpResponse:
    plan = plan_to_view(request.user, plan_uuid)
    rows = table_rows(plan)
    name = slugify(plan.name) or "action-plan"
    return table_download(COLUMNS, rows, filename=name, fmt=fmt, sheet="Actions")
