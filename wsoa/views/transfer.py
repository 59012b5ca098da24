"""The action table in and out: import with the seed's headings (checked and previewed, then
imported), export as CSV or XLSX with the same headings."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.access_log import Kind, logs_access
from send_qa.core.forms import posted
from send_qa.core.import_templates import template_download
from send_qa.core.lazy import lazy_module
from send_qa.core.outcomes import tell_outcome
from send_qa.core.staging import stage, staged_copy, unstage
from send_qa.core.tables import table_download
from wsoa.access import plan_to_manage, plan_to_view
from wsoa.forms import ActionTableUploadForm
from wsoa.imports import (
    COLUMNS,
    DATED,
    KEYS,
    LEAVE_OUT,
    ActionsImported,
    TableImportError,
    actions_import,
    actions_table,
    mapping_guess,
    read_table,
    template_columns,
)
from wsoa.models import ActionPlan
from wsoa.roles import ACTION_PLAN_MANAGERS, ACTION_PLAN_READERS

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")


SESSION_KEY = "wsoa-action-import"
UPLOADS = "action-imports"


def _stage(request: SignedInRequest, plan: ActionPlan, upload: UploadedFile[bytes]) -> Path:
    """Keep the upload between its preview and its import, named in the session with its plan
    (send_qa.core.staging)."""
    return stage(request, SESSION_KEY, upload, folder=UPLOADS, plan=str(plan.uuid))


def _staged(request: SignedInRequest, plan: ActionPlan) -> tuple[Path, str] | None:
    """A working copy of the file kept for this plan's import (the caller removes it); None
    once expired."""
    pending = request.session.get(SESSION_KEY)
    if not pending or pending.get("plan") != str(plan.uuid):
        return None
    copy = staged_copy(pending["file"])
    return (copy, pending["name"]) if copy is not None else None


def _unstage(request: SignedInRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        unstage(pending["file"])


@dataclass
class MappingRow:
    """One heading of the file beside the portal's field it is read as."""

    index: int
    heading: str
    field: str
    dated: bool


FIELD_CHOICES = [(LEAVE_OUT, "Leave this column out"), *KEYS.items()]


def _mapping(request: SignedInRequest, frame: pd.DataFrame, plan: ActionPlan) -> dict[str, str]:
    """The officer's choice for each heading, where they made one, else the portal's guess."""
    headings = list(frame.attrs["headings"].values())
    guessed = mapping_guess(headings, saved=plan.table_mapping, today=timezone.localdate())
    allowed = {key for key, _ in FIELD_CHOICES}
    chosen = {}
    for index, heading in enumerate(headings):
        value = request.POST.get(f"map-{index}")
        keep = value is None or guessed[heading] == DATED or value not in allowed
        chosen[heading] = guessed[heading] if keep else value or LEAVE_OUT
    return chosen


def _page(
    request: SignedInRequest,
    plan: ActionPlan,
    *,
    form: ActionTableUploadForm | None = None,
    mapping: dict[str, str] | None = None,
    preview: ActionsImported | None = None,
    problems: list[str] | None = None,
) -> HttpResponse:
    rows = [
        MappingRow(index, heading, key, key == DATED)
        for index, (heading, key) in enumerate((mapping or {}).items())
    ]
    context = {
        "plan": plan,
        "form": form,
        "problems": problems or [],
        "columns": COLUMNS,
        "template_columns": template_columns(plan),
        "preview": preview,
        "mapping": rows,
        "choices": FIELD_CHOICES,
    }
    return render(request, "wsoa/actions_upload.html", context)


@role_required(*ACTION_PLAN_MANAGERS)
@require_http_methods(["GET", "POST"])
def actions_upload(request: SignedInRequest, plan_uuid: uuid.UUID) -> HttpResponse:
    """Step 1 takes the table; step 2 shows its headings beside the portal's fields (guessed,
    or as the plan's last table had them) with what the import would add and change, and the
    officer changes the mapping and checks again, or imports."""
    plan = plan_to_manage(request.user, plan_uuid)
    if request.method == "POST" and ("confirm" in request.POST or "check" in request.POST):
        return _mapped(request, plan, confirm="confirm" in request.POST)
    form = ActionTableUploadForm(posted(request), request.FILES or None)
    if not form.is_valid():
        return _page(request, plan, form=form)
    upload = form.cleaned_data["file"]
    copy = _stage(request, plan, upload)
    try:
        frame = read_table(copy, upload.name)
    except TableImportError as error:
        _unstage(request)
        return _page(request, plan, form=form, problems=[str(p) for p in error.problems])
    finally:
        copy.unlink(missing_ok=True)
    mapping = _mapping(request, frame, plan)
    try:
        preview = actions_import(frame, plan=plan, by=request.user, preview=True, mapping=mapping)
    except TableImportError as error:
        return _page(request, plan, mapping=mapping, problems=[str(p) for p in error.problems])
    return _page(request, plan, mapping=mapping, preview=preview)


def _mapped(request: SignedInRequest, plan: ActionPlan, *, confirm: bool) -> HttpResponse:
    found = _staged(request, plan)
    if found is None:
        messages.error(request, "The table to import has expired. Upload it again.")
        return redirect("wsoa:actions_upload", plan_uuid=plan.uuid)
    path, name = found
    try:
        frame = read_table(path, name)
    finally:
        path.unlink(missing_ok=True)
    mapping = _mapping(request, frame, plan)
    try:
        result = actions_import(
            frame, plan=plan, by=request.user, preview=not confirm, mapping=mapping
        )
    except TableImportError as error:
        return _page(request, plan, mapping=mapping, problems=[str(p) for p in error.problems])
    if not confirm:
        return _page(request, plan, mapping=mapping, preview=result)
    _unstage(request)
    tell_outcome(
        request,
        changed=bool(result.actions_added or result.actions_changed or result.weaknesses_added),
        done=f"Imported {name}: {result}",
        nothing=f"{name} changed nothing: its {result.actions_unchanged} actions are in the "
        "plan as the file has them.",
    )
    return redirect("wsoa:plan_detail", plan_uuid=plan.uuid)


@role_required(*ACTION_PLAN_READERS)
@require_http_methods(["GET"])
@logs_access(Kind.EXPORT, "action table", "plan_uuid")
def actions_export(request: SignedInRequest, plan_uuid: uuid.UUID, fmt: str) -> HttpResponse:
    plan = plan_to_view(request.user, plan_uuid)
    columns, rows = actions_table(plan)
    name = slugify(plan.name) or "action-plan"
    return table_download(
        columns,
        rows,
        filename=name,
        fmt=fmt,
        sheet="Actions",
        about=[f"Action plan: {plan.name}"],
        importable=True,  # "Import an action table" reads it back
    )


@role_required(*ACTION_PLAN_MANAGERS)
@require_http_methods(["GET"])
@logs_access(Kind.EXPORT, "action table import template", "plan_uuid")
def actions_import_template(
    request: SignedInRequest, plan_uuid: uuid.UUID, fmt: str
) -> HttpResponse:
    """The action import's template for this plan: the headings, an example row, its RAG key."""
    plan = plan_to_manage(request.user, plan_uuid)
    return template_download(template_columns(plan), filename="action-table", fmt=fmt)
