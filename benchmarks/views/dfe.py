"""SENDOPS import the DfE's published files: check a file and see what it would change, then
save it all at once; the comparators are worked out after, in the background, with their
progress shown on the import's page."""

from pathlib import Path

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from benchmarks.ees import DfePlan, dfe_file_check, dfe_file_save, sha256_of
from benchmarks.forms import DfeUploadForm
from benchmarks.models import Import
from benchmarks.queries import comparison_set, own_area
from benchmarks.registry import tables
from benchmarks.roles import BENCHMARK_MANAGERS
from benchmarks.signals import published_data_changed
from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.forms import posted
from send_qa.core.jobs import job_status_json
from send_qa.core.staging import stage_and_check, staged
from send_qa.core.tables import TableImportError, read_table

UPLOADS = "benchmark-imports"
SESSION_KEY = "dfe_import"
RECENT_IMPORTS = 20


@role_required(*BENCHMARK_MANAGERS)
@require_http_methods(["GET"])
def index(request: SignedInRequest) -> HttpResponse:
    """Who the portal is, whom it is compared with, and the files imported so far."""
    area = own_area()
    return render(
        request,
        "benchmarks/index.html",
        {
            "area": area,
            "comparison": comparison_set(area) if area else None,
            "imports": Import.objects.select_related("imported_by")[:RECENT_IMPORTS],
            "tables": tables().values(),
        },
    )


@role_required(*BENCHMARK_MANAGERS)
@require_http_methods(["GET", "POST"])
def dfe_import(request: SignedInRequest) -> HttpResponse:
    """Step 1 checks the file and shows what would change; step 2 saves it all at once."""
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)
    form = DfeUploadForm(posted(request), request.FILES or None)
    problems: list[str] = []
    plan: DfePlan | None = None
    if form.is_valid():
        source = form.cleaned_data["table"] or ""
        plan, problems = stage_and_check(
            request,
            SESSION_KEY,
            form.cleaned_data["file"],
            lambda path, name: _check(path, name, source),
            folder=UPLOADS,
            source=source,
        )
    return render(
        request, "benchmarks/dfe_import.html", {"form": form, "problems": problems, "plan": plan}
    )


def _check(path: Path, name: str, source: str) -> DfePlan:
    return dfe_file_check(
        read_table(path, name), file_name=name, sha256=sha256_of(path), source=source or None
    )


def _confirm(request: SignedInRequest) -> HttpResponse:
    found = staged(request, SESSION_KEY, folder=UPLOADS)
    if found is None:
        messages.error(request, "The file to import has expired. Upload it again.")
        return redirect("benchmarks:dfe_import")
    path, pending = found
    try:
        with transaction.atomic():
            record = dfe_file_save(
                _check(path, pending["name"], pending.get("source", "")), by=request.user
            )
            if not record.changed_nothing:
                transaction.on_commit(
                    lambda: published_data_changed.send(sender=Import, record=record)
                )
    except TableImportError:
        messages.error(request, "The data changed since the file was checked. Upload it again.")
        return redirect("benchmarks:dfe_import")
    finally:
        path.unlink(missing_ok=True)
    if record.changed_nothing:
        messages.info(
            request,
            f"{record.file_name} changed nothing: every one of its {record.rows_read:,} rows "
            "is already held as published.",
        )
    else:
        messages.success(
            request,
            f"Imported {record.file_name}: {record.rows_added:,} rows added, "
            f"{record.rows_changed:,} changed (the old values are kept in the history), "
            f"{record.rows_unchanged:,} unchanged.",
        )
    return redirect("benchmarks:import_detail", pk=record.pk)


@role_required(*BENCHMARK_MANAGERS)
@require_http_methods(["GET"])
def import_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """One import: what it held and how far the comparators have been worked out."""
    record = get_object_or_404(Import.objects.select_related("imported_by"), pk=pk)
    table = tables().get(record.source)
    return render(
        request,
        "benchmarks/import_detail.html",
        {"record": record, "table": table, "job": record.job_status},
    )


@never_cache
@role_required(*BENCHMARK_MANAGERS)
@require_http_methods(["GET"])
def import_status(request: SignedInRequest, pk: int) -> HttpResponse:
    """The import page's comparators status, polled by static/js/job-status.mjs."""
    return job_status_json(get_object_or_404(Import, pk=pk).job_status)
