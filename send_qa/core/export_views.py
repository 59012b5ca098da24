"""The pages of an export prepared in the background (send_qa.core.exports): asking for it,
its page (which updates itself while it waits, and says to refresh without JavaScript), its
status as JSON and its download. Only the person who asked sees any of them, and only while
their role still lets them have the file: anyone else gets "not found"."""

import uuid

from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from send_qa.core.access import SignedInRequest
from send_qa.core.access_log import Kind, access_record
from send_qa.core.exports import (
    export_ask,
    export_kind,
    export_open,
    export_status,
    filters_of,
    may_have,
)
from send_qa.core.jobs import job_status_json
from send_qa.core.models import Export
from send_qa.core.tasks import make_export


def _own_export(request: SignedInRequest, export_uuid: uuid.UUID) -> Export:
    export = get_object_or_404(Export, uuid=export_uuid)
    if not may_have(export, request.user):
        raise Http404("No such export.")
    return export


@require_POST
def export_new(request: SignedInRequest) -> HttpResponse:
    """Queue the export the page offered (or find the same one already asked for)."""
    kind = export_kind(request.POST.get("kind", ""))
    fmt = request.POST.get("fmt", "")
    if kind is None or fmt not in Export.Format.values or not kind.may_export(request.user):
        raise Http404("No such export.")
    export = export_ask(
        kind=kind,
        fmt=fmt,
        filters=filters_of(kind, request.POST),
        by=request.user,
        queue=make_export.delay,
    )
    return redirect("core:export", export_uuid=export.uuid)


@never_cache
@require_GET
def export_page(request: SignedInRequest, export_uuid: uuid.UUID) -> HttpResponse:
    export = _own_export(request, export_uuid)
    context = {"export": export, "job": export_status(export)}
    return render(request, "core/export.html", context)


@require_GET
def export_status_json(request: SignedInRequest, export_uuid: uuid.UUID) -> HttpResponse:
    """The export page's status, polled by static/js/job-status.mjs."""
    return job_status_json(export_status(_own_export(request, export_uuid)))


@never_cache
@require_GET
def export_download(request: SignedInRequest, export_uuid: uuid.UUID) -> HttpResponseBase:
    export = _own_export(request, export_uuid)
    if export.status != Export.Status.DONE or export.is_expired:
        context = {"export": export, "job": export_status(export)}
        return render(request, "core/export.html", context, status=404)
    try:
        handle = export_open(export)
    except FileNotFoundError:
        raise Http404("The file has been removed.") from None
    kind = export_kind(export.kind)
    access_record(
        request,
        Kind.EXPORT,
        record=kind.record if kind else export.kind,
        reference=str(export.uuid),
    )
    return FileResponse(handle, as_attachment=True, filename=export.filename)
