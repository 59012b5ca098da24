"""The termly report in the browser: the list, writing the narrative, compiling versions,
releasing them, the board's commentary, and reading the PDFs."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.access_log import Kind, logs_access
from send_qa.core.autosave import autosave_answer
from send_qa.core.confirm import Confirmation, confirm_page
from send_qa.core.forms import posted
from send_qa.core.history import Source, history_page
from send_qa.core.jobs import JobStatus, job_status_json
from send_qa.core.models import User
from send_qa.core.roles import HISTORY_READERS
from send_qa.reports import services
from send_qa.reports.access import (
    report_to_view,
    reports_visible_to,
    version_to_manage,
    version_to_read,
    versions_visible_to,
)
from send_qa.reports.compile import NOT_SENT
from send_qa.reports.draft import report_draft
from send_qa.reports.forms import BoardCommentaryForm, NewReportForm, ReportForm
from send_qa.reports.models import Report, Version
from send_qa.reports.progress import compile_status
from send_qa.reports.roles import BOARD_PAPER_READERS, REPORT_MANAGERS


@require_http_methods(["GET"])
def report_list(request: SignedInRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "reports/list.html",
        {
            "reports": reports_visible_to(user).select_related("term"),
            "versions": versions_visible_to(user).select_related("report__term"),
            "is_sendops": user.has_role(*REPORT_MANAGERS),
            "form": NewReportForm() if user.has_role(*REPORT_MANAGERS) else None,
        },
    )


@role_required(*REPORT_MANAGERS)
@require_http_methods(["POST"])
def report_new(request: SignedInRequest) -> HttpResponse:
    form = NewReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a term that has no report yet.")
        return redirect("reports:report_list")
    report = Report.objects.for_term(form.cleaned_data["term"])
    return redirect("reports:report_edit", report_uuid=report.uuid)


@never_cache
@require_http_methods(["GET"])
def report_detail(request: SignedInRequest, report_uuid: uuid.UUID) -> HttpResponse:
    report = report_to_view(request.user, report_uuid)
    is_sendops = request.user.has_role(*REPORT_MANAGERS)
    versions = _versions_of(request.user, report)
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "versions": versions.select_related("requested_by", "released_by"),
            "job": compile_status(versions),
            "not_sent": NOT_SENT
            if versions.filter(status=Version.Status.NOT_SENT).exists()
            else "",
            "numbers": Version.Number.choices,
            "is_sendops": is_sendops,
            "can_comment": request.user.has_role(*BOARD_PAPER_READERS),
        },
    )


def _versions_of(user: User, report: Report) -> QuerySet[Version]:
    if user.has_role(*REPORT_MANAGERS):
        return report.versions.order_by("number", "-requested_at")
    return versions_visible_to(user).filter(report=report)


@never_cache
@require_http_methods(["GET"])
def report_status(request: SignedInRequest, report_uuid: uuid.UUID) -> HttpResponse:
    """The report page's compile status, polled by static/js/job-status.mjs: whoever may
    open the page, about the versions they may see there."""
    report = report_to_view(request.user, report_uuid)
    status = compile_status(_versions_of(request.user, report))
    return job_status_json(status or JobStatus(waiting=False, message=""))


@role_required(*REPORT_MANAGERS)
@require_http_methods(["GET", "POST"])
def report_edit(request: SignedInRequest, report_uuid: uuid.UUID) -> HttpResponse:
    report = get_object_or_404(Report.objects.select_related("term"), uuid=report_uuid)
    drafted = request.method == "GET" and services.narrative_draft(report=report, by=request.user)
    form = ReportForm(posted(request), instance=report)
    if form.is_valid() and form.save_guarded(url=request.path):
        messages.success(request, "The report has been saved.")
        return redirect("reports:report_detail", report_uuid=report.uuid)
    context = {
        "report": report,
        "form": form,
        "drafted": drafted,
        "fresh": (
            report_draft(report.term, on=timezone.localdate(), reader=request.user)
            if request.GET.get("fresh") == "1"
            else None
        ),
    }
    return render(request, "reports/edit.html", context, status=form.status_code)


@role_required(*REPORT_MANAGERS)
@require_http_methods(["POST"])
def report_autosave(request: SignedInRequest, report_uuid: uuid.UUID) -> HttpResponse:
    """The narrative saved as SENDOPS write it, by static/js/autosave.mjs: the same form and
    guarded save as the page's Save button, answered in JSON."""
    report = get_object_or_404(Report, uuid=report_uuid)
    edit_url = reverse("reports:report_edit", kwargs={"report_uuid": report.uuid})
    return autosave_answer(ReportForm(request.POST, instance=report), url=edit_url)


@role_required(*BOARD_PAPER_READERS)
@require_http_methods(["GET", "POST"])
def board_commentary(request: SignedInRequest, report_uuid: uuid.UUID) -> HttpResponse:
    report = get_object_or_404(Report.objects.select_related("term"), uuid=report_uuid)
    if (
        not request.user.has_role(*REPORT_MANAGERS)
        and not versions_visible_to(request.user).filter(report=report).exists()
    ):
        raise Http404("No such report")
    form = BoardCommentaryForm(posted(request), instance=report)
    if form.is_valid() and form.save_guarded(url=request.path):
        messages.success(
            request,
            "The board's commentary has been saved. Compile a new version of the report to "
            "include it."
            if request.user.has_role(*REPORT_MANAGERS)
            else "Your commentary has been saved. SENDOPS will include it in the next version "
            "of the report.",
        )
        return redirect("reports:report_detail", report_uuid=report.uuid)
    context = {"report": report, "form": form}
    return render(request, "reports/commentary.html", context, status=form.status_code)


@role_required(*REPORT_MANAGERS)
@require_http_methods(["POST"])
def version_compile(request: SignedInRequest, report_uuid: uuid.UUID) -> HttpResponse:
    report = get_object_or_404(Report, uuid=report_uuid)
    number = request.POST.get("number", "")
    if number not in {str(n) for n in Version.Number.values}:
        messages.error(request, "Choose version 1, 2 or 3.")
    else:
        # No "Success" here: the page says whether it is queued or could not be sent.
        services.version_request(report=report, number=int(number), by=request.user)
    return redirect("reports:report_detail", report_uuid=report.uuid)


@role_required(*REPORT_MANAGERS)
@require_http_methods(["POST"])
def version_retry(request: SignedInRequest, version_uuid: uuid.UUID) -> HttpResponse:
    version = version_to_manage(request.user, version_uuid)
    try:
        services.version_retry(version=version)
    except ValidationError as refusal:
        messages.error(request, refusal.message)
    else:
        version.refresh_from_db(fields=["status"])
        if version.status == Version.Status.QUEUED:
            messages.success(request, f"Compiling version {version.number} again.")
    return redirect("reports:report_detail", report_uuid=version.report.uuid)


@role_required(*REPORT_MANAGERS)
@require_http_methods(["GET", "POST"])
def version_release(request: SignedInRequest, version_uuid: uuid.UUID) -> HttpResponse:
    """Releasing cannot be undone: a GET asks "Are you sure?", the POST releases."""
    version = version_to_manage(request.user, version_uuid)
    detail = reverse("reports:report_detail", kwargs={"report_uuid": version.report.uuid})
    try:
        if request.method == "GET":
            version.release_check()
            if version.is_released:
                messages.info(request, f"Version {version.number} has already been released.")
                return redirect(detail)
            return confirm_page(request, _release_confirmation(version, cancel_url=detail))
        if version.release(by=request.user):
            messages.success(
                request, f"Version {version.number} released to {version.released_to}."
            )
    except ValidationError as refusal:
        messages.error(request, refusal.message)
    return redirect(detail)


def _compiled_on(version: Version) -> str:
    if version.finished_at is None:
        return ""
    return f", the PDF compiled {timezone.localtime(version.finished_at):%-d %B %Y at %H:%M}"


def _release_confirmation(version: Version, *, cancel_url: str) -> Confirmation:
    audience = version.released_to
    return Confirmation(
        caption=str(version.report),
        question=f"Are you sure you want to release version {version.number} to {audience}?",
        happens=[
            f"{audience[0].upper()}{audience[1:]} will be able to read and download "
            f"version {version.number} of the report{_compiled_on(version)}.",
            "A released version never changes: to correct it, compile and release a new one.",
        ],
        warning="You cannot undo a release.",
        button=f"Release version {version.number}",
        cancel_url=cancel_url,
        back_text="Back to the report",
    )


@never_cache
@require_http_methods(["GET"])
@logs_access(Kind.REPORT_DOWNLOAD, "report version", "version_uuid")
def version_pdf(request: SignedInRequest, version_uuid: uuid.UUID) -> FileResponse:
    version = version_to_read(request.user, version_uuid)
    if not version.file or not default_storage.exists(version.file):
        raise Http404("The file is missing")
    name = f"how-are-we-doing-{version.report.term.name.lower().replace(' ', '-').replace('/', '-')}-v{version.number}.pdf"
    return FileResponse(
        default_storage.open(version.file, "rb"),
        as_attachment=True,
        filename=name,
        content_type="application/pdf",
    )


@role_required(*HISTORY_READERS)
@require_http_methods(["GET"])
def report_history(request: SignedInRequest, report_uuid: uuid.UUID) -> HttpResponse:
    report = get_object_or_404(Report.objects.select_related("term"), uuid=report_uuid)
    return history_page(
        request,
        record_name=str(report),
        back_url=reverse("reports:report_detail", kwargs={"report_uuid": report.uuid}),
        back_text="the report",
        sources=[
            Source(Report.history.filter(id=report.pk), lambda r: "the report", hide=["term"])
        ],
    )
