"""SENDOPS bring in the council's past audit results: check a file and see what it would add,
then save it all at once (docs/imports.md, "Past audit results")."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from audits.forms import ResultsUploadForm
from audits.result_import import (
    ResultsChecked,
    example_term,
    results_check,
    results_checklists,
    results_save,
    results_template,
    template_columns,
)
from audits.roles import AUDIT_MANAGERS
from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.access_log import Kind, logs_access
from send_qa.core.forms import posted
from send_qa.core.import_templates import template_download
from send_qa.core.outcomes import tell_outcome
from send_qa.core.staging import stage_and_check, staged
from send_qa.core.tables import TableImportError, read_table

UPLOADS = "audit-result-imports"
SESSION_KEY = "audit_results_import"


def _check(request: SignedInRequest, path: Path, name: str, template: str) -> ResultsChecked:
    return results_check(
        read_table(path, name), template=results_template(template), by=request.user
    )


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
        template = form.cleaned_data["template"]
        checked, problems = stage_and_check(
            request,
            SESSION_KEY,
            form.cleaned_data["file"],
            lambda path, name: _check(request, path, name, template),
            folder=UPLOADS,
            template=template,
        )
    term = example_term(timezone.localdate())
    context = {
        "form": form,
        "problems": problems,
        "checked": checked,
        "checklists": [
            (checklist, template_columns(checklist, term)) for checklist in results_checklists()
        ],
    }
    return render(request, "audits/results_import.html", context)


@role_required(*AUDIT_MANAGERS)
@require_http_methods(["GET"])
@logs_access(Kind.EXPORT, "audit results import template")
def results_import_template(request: SignedInRequest, fmt: str) -> HttpResponse:
    """A template of past results against a checklist (`?checklist=` its name): the headings,
    its sections, and an example row in the last finished term."""
    name = request.GET.get("checklist", "").strip()
    try:
        checklist = results_template(name) if name else next(iter(results_checklists()), None)
    except TableImportError as error:
        raise Http404("No published checklist of that name.") from error
    columns = template_columns(checklist, example_term(timezone.localdate()))
    filename = (
        f"past-audit-results-{slugify(checklist.name)}" if checklist else "past-audit-results"
    )
    return template_download(columns, filename=filename, fmt=fmt)


def _confirm(request: SignedInRequest) -> HttpResponse:
    found = staged(request, SESSION_KEY, folder=UPLOADS)
    if found is None:
        messages.error(request, "The file to import has expired. Upload it again.")
        return redirect("audits:results_import")
    path, pending = found
    try:
        checked = results_save(
            _check(request, path, pending["name"], pending["template"]), by=request.user
        )
    except TableImportError:
        messages.error(request, "The register changed since the file was checked. Upload it again.")
        return redirect("audits:results_import")
    finally:
        path.unlink(missing_ok=True)
    tell_outcome(
        request,
        changed=bool(checked.added or checked.updated or checked.new_plans),
        nothing=f"The file changed nothing: its {len(checked.rows):,} past results are held "
        "already.",
        done=f"Imported {len(checked.rows):,} past results against {checked.template}: "
        f"{checked.added:,} audits added, {checked.updated:,} updated, "
        f"{len(checked.new_plans):,} plans added to the register with need and placement not "
        "recorded.",
    )
    return redirect("audits:findings")
