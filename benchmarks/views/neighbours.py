"""SENDOPS import the DfE's statistical neighbours: check a file and see what it holds, then
save it as a new version of the set."""

import datetime
from pathlib import Path

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from benchmarks.ees import sha256_of
from benchmarks.forms import NeighboursUploadForm
from benchmarks.neighbours import NeighbourPlan, neighbours_check, neighbours_save
from benchmarks.roles import BENCHMARK_MANAGERS
from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.forms import posted
from send_qa.core.staging import stage_and_check, staged
from send_qa.core.tables import TableImportError, read_table

UPLOADS = "benchmark-imports"
SESSION_KEY = "neighbours_import"


@role_required(*BENCHMARK_MANAGERS)
@require_http_methods(["GET", "POST"])
def neighbours_import(request: SignedInRequest) -> HttpResponse:
    """Step 1 checks the file and shows what it holds; step 2 saves it all at once."""
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)
    form = NeighboursUploadForm(posted(request), request.FILES or None)
    problems: list[str] = []
    plan: NeighbourPlan | None = None
    if form.is_valid():
        release = form.cleaned_data["release"].strip()
        day: datetime.date = form.cleaned_data["effective_from"] or datetime.date.today()
        plan, problems = stage_and_check(
            request,
            SESSION_KEY,
            form.cleaned_data["file"],
            lambda path, name: _check(path, name, release, day),
            folder=UPLOADS,
            release=release,
            effective_from=day.isoformat(),
        )
    return render(
        request,
        "benchmarks/neighbours_import.html",
        {"form": form, "problems": problems, "plan": plan},
    )


def _check(path: Path, name: str, release: str, day: datetime.date) -> NeighbourPlan:
    return neighbours_check(
        read_table(path, name),
        file_name=name,
        sha256=sha256_of(path),
        release=release,
        effective_from=day,
    )


def _confirm(request: SignedInRequest) -> HttpResponse:
    found = staged(request, SESSION_KEY, folder=UPLOADS)
    if found is None:
        messages.error(request, "The file to import has expired. Upload it again.")
        return redirect("benchmarks:neighbours_import")
    path, pending = found
    try:
        day = datetime.date.fromisoformat(pending["effective_from"])
        saved = neighbours_save(
            _check(path, pending["name"], pending["release"], day), by=request.user
        )
    except TableImportError:
        messages.error(request, "The data changed since the file was checked. Upload it again.")
        return redirect("benchmarks:neighbours_import")
    finally:
        path.unlink(missing_ok=True)
    found_set = saved.neighbour_set
    if saved.record is None:
        messages.info(
            request,
            f"{pending['name']} changed nothing: it was imported already as {found_set.name} "
            f"{found_set.release}.",
        )
        return redirect("benchmarks:index")
    messages.success(
        request,
        f"Imported {saved.record.file_name} as {found_set.name} {found_set.release}, in use "
        f"from {found_set.effective_from:%-d %B %Y}: {saved.record.rows_added:,} neighbours; "
        f"{saved.authorities_added} authorities new to the portal.",
    )
    return redirect("benchmarks:import_detail", pk=saved.record.pk)
