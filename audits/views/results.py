"""SENDOPS bring in the council's past audit results: check a file and see what it would add,
then save it all at once (docs/imports.md, "Past audit results")."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from audits.forms import ResultsUploadForm
from audits.result_import import ResultsChecked, results_check, results_save, results_template
from audits.roles import AUDIT_MANAGERS
from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.forms import posted
from send_qa.core.tables import TableImportError, read_table

SESSION_KEY = "audit_results_import"


def _upload_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "audit-result-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _check(request: SignedInRequest, path: Path, name: str, template: str) -> ResultsChecked:
    return results_check(
        read_table(path, name), template=results_template(template), by=request.user
    )


def _stage(request: SignedInRequest, upload: UploadedFile[bytes], template: str) -> Path:
    """Keep the upload under a random name (never the user's) until it is confirmed."""
    stored = _upload_dir() / f"{uuid.uuid4().hex}{Path(upload.name or 'file.csv').suffix.lower()}"
    with stored.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    request.session[SESSION_KEY] = {
        "file": stored.name,
        "name": upload.name or stored.name,
        "template": template,
    }
    return stored


@role_required(*AUDIT_MANAGERS)
@require_http_methods(["GET", "POST"])
def results_import(request: SignedInRequest) -> HttpResponse:
    """Step 1 checks the file and shows what it would add; step 2 (confirm) saves it."""
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)
    form = ResultsUploadForm(posted(request), request.FILES or None)
    problems: list[str] = []
    checked = None
    if form.is_valid():
        upload, template = form.cleaned_data["file"], form.cleaned_data["template"]
        stored = _stage(request, upload, template)
        try:
            checked = _check(request, stored, upload.name or stored.name, template)
        except TableImportError as error:
            request.session.pop(SESSION_KEY, None)
            stored.unlink(missing_ok=True)
            problems = [str(p) for p in error.problems]
    return render(
        request,
        "audits/results_import.html",
        {"form": form, "problems": problems, "checked": checked},
    )


def _confirm(request: SignedInRequest) -> HttpResponse:
    pending = request.session.pop(SESSION_KEY, None)
    path = _upload_dir() / Path(pending["file"]).name if pending else None
    if pending is None or path is None or not path.exists():
        messages.error(request, "The file to import has expired. Upload it again.")
        return redirect("audits:results_import")
    try:
        checked = results_save(
            _check(request, path, pending["name"], pending["template"]), by=request.user
        )
    except TableImportError:
        messages.error(request, "The register changed since the file was checked. Upload it again.")
        return redirect("audits:results_import")
    finally:
        path.unlink(missing_ok=True)
    messages.success(
        request,
        f"Imported {len(checked.rows):,} past results against {checked.template}: "
        f"{checked.added:,} audits added, {checked.updated:,} updated, "
        f"{len(checked.new_plans):,} plans added to the register with need and placement not "
        "recorded.",
    )
    return redirect("audits:findings")
