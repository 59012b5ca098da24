"""The action table in and out: import with the seed's headings (checked and previewed, then
imported), export as CSV or XLSX with the same headings."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
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
from wsoa.imports import COLUMNS, TableImportError, actions_import, actions_table, read_table
from wsoa.models import ActionPlan
from wsoa.roles import ACTION_PLAN_MANAGERS, ACTION_PLAN_READERS

SESSION_KEY = "wsoa-action-import"


def _staged_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "action-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stage(request: SignedInRequest, plan: ActionPlan, upload: UploadedFile[bytes]) -> Path:
    """Keep the upload between its preview and its import, by a random name (never the
    user's), named in the session with its plan."""
    suffix = Path(upload.name or "file.csv").suffix.lower()
    stored = _staged_dir() / f"{uuid.uuid4().hex}{suffix}"
    with stored.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    request.session[SESSION_KEY] = {
        "file": stored.name,
        "name": upload.name or stored.name,
        "plan": str(plan.uuid),
    }
    return stored


def _staged(request: SignedInRequest, plan: ActionPlan) -> tuple[Path, str] | None:
    """The file kept for this plan's import, taken out of the session; None once expired."""
    pending = request.session.pop(SESSION_KEY, None)
    if not pending or pending.get("plan") != str(plan.uuid):
        return None
    path = _staged_dir() / Path(pending["file"]).name
    return (path, pending["name"]) if path.exists() else None


@role_required(*ACTION_PLAN_MANAGERS)
@require_http_methods(["GET", "POST"])
def actions_upload(request: SignedInRequest, plan_uuid: uuid.UUID) -> HttpResponse:
    """Step 1 checks the table and previews what it would add and change; step 2 imports it."""
    plan = plan_to_manage(request.user, plan_uuid)
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, plan)
    form = ActionTableUploadForm(posted(request), request.FILES or None)
    problems: list[str] = []
    preview = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        stored = _stage(request, plan, upload)
        try:
            preview = actions_import(
                read_table(stored, upload.name), plan=plan, by=request.user, preview=True
            )
        except TableImportError as error:
            request.session.pop(SESSION_KEY, None)
            stored.unlink(missing_ok=True)
            problems = [str(p) for p in error.problems]
    return render(
        request,
        "wsoa/actions_upload.html",
        {"plan": plan, "form": form, "problems": problems, "columns": COLUMNS, "preview": preview},
    )


def _confirm(request: SignedInRequest, plan: ActionPlan) -> HttpResponse:
    found = _staged(request, plan)
    if found is None:
        messages.error(request, "The table to import has expired. Upload it again.")
        return redirect("wsoa:actions_upload", plan_uuid=plan.uuid)
    path, name = found
    try:
        result = actions_import(read_table(path, name), plan=plan, by=request.user)
    except TableImportError:
        messages.error(request, "The plan changed since the table was checked. Upload it again.")
        return redirect("wsoa:actions_upload", plan_uuid=plan.uuid)
    finally:
        path.unlink(missing_ok=True)
    messages.success(request, f"Imported {name}: {result}")
    return redirect("wsoa:plan_detail", plan_uuid=plan.uuid)


@role_required(*ACTION_PLAN_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.EXPORT, "action table", "plan_uuid")
def actions_export(request: SignedInRequest, plan_uuid: uuid.UUID, fmt: str) -> HttpResponse:
    plan = plan_to_view(request.user, plan_uuid)
    columns, rows = actions_table(plan)
    name = slugify(plan.name) or "action-plan"
    return table_download(columns, rows, filename=name, fmt=fmt, sheet="Actions")
