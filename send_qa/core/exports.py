"""Exports that can be large (a whole term's audits) made in the background, never in a web
worker: the apps register each such export here, from their ``AppConfig.ready()`` (core
imports no app), with how to count its rows, build its table and say who may have it.

- A link to a registered export (`export_or_queue`) gives the file at once when it is small
  (at most ``DIRECT_ROWS`` rows, which the portal writes well within 200 ms); else it shows a
  page offering to prepare it, whose button queues an `Export` and leads to its page.
- The job (`export_make`, run by ``send_qa.core.tasks.make_export``) builds the table, writes
  the file through the same `table_content` as every download (the same headings, "About this
  export" lines and numbers) privately under MEDIA_ROOT, and records how far it has got.
- The file is kept ``Export.KEPT_FOR`` (24 hours), then removed with its row by the beat task
  (`exports_remove_expired`). Only the person who asked may download it, and only while their
  role still lets them have it (`ExportKind.may_export`, asked again on every download); each
  download is written to the access log as an export.
"""

import datetime
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from send_qa.core.access import SignedInRequest
from send_qa.core.access_log import Kind, access_record
from send_qa.core.jobs import JobStatus
from send_qa.core.models import Export, User
from send_qa.core.tables import Table, content_type_of, download_name, table_content

logger = logging.getLogger(__name__)

FOLDER = "exports"
# The most rows an export is given at once, in the request. At this size the audit export's
# XLSX (the widest of them, about 120 columns) is written in under a fifth of the 1,056-audit
# file's time; anything larger is prepared in the background.
DIRECT_ROWS = 200
NOT_SENT = "The file could not be sent to be prepared. Export again in a few minutes."
LOST = "The file was not prepared in time. Export again."

Filters = Mapping[str, str]


@dataclass(frozen=True)
class ExportKind:
    """An export an app offers. `filters` names the query parameters it reads (the term);
    the functions are given them as text, as the link carried them."""

    key: str
    record: str  # what the access log says was exported: "audits"
    rows_word: str  # what a row is, in the plural: "audits"
    filters: tuple[str, ...]
    may_export: Callable[[User], bool]  # asked on every ask, page and download
    size: Callable[[Filters], int]  # the rows it will hold, counted cheaply
    table: Callable[[Filters], Table]
    title: Callable[[Filters], str]  # "EHCP audits, Autumn term 2026/27"


_kinds: dict[str, ExportKind] = {}


def register_export(kind: ExportKind) -> None:
    """Called from an app's ``AppConfig.ready()``; registering a key twice keeps the last."""
    _kinds[kind.key] = kind


def export_kind(key: str) -> ExportKind | None:
    return _kinds.get(key)


def filters_of(kind: ExportKind, query: QueryDict | Mapping[str, str]) -> dict[str, str]:
    """The export's own parameters from a query, as text (nothing else it carries)."""
    return {name: str(query.get(name, ""))[:100] for name in kind.filters}


def file_response(content: bytes, *, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type_of(fmt))
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=download_name(filename, fmt)
    )
    return response


def export_or_queue(request: SignedInRequest, key: str, fmt: str, filters: Filters) -> HttpResponse:
    """The file now when it is small, else the page that offers to prepare it. The caller has
    already checked the role (its `role_required`) and says what it exports (`filters`: the
    term as chosen now, so that a job run later exports that same term)."""
    kind = _kinds[key]
    rows = kind.size(filters)
    if rows <= DIRECT_ROWS:
        table = kind.table(filters)
        access_record(request, Kind.EXPORT, record=kind.record)
        return file_response(table_content(table, fmt), filename=table.filename, fmt=fmt)
    context = {
        "kind": kind,
        "fmt": fmt,
        "fmt_label": Export.Format(fmt).label,
        "filters": filters,
        "title": kind.title(filters),
        "rows": rows,
        "kept_hours": int(Export.KEPT_FOR.total_seconds() // 3600),
    }
    return render(request, "core/export_queue.html", context)


def _same_ask(kind: ExportKind, fmt: str, filters: Filters, by: User) -> Export | None:
    """The person's own export of the same table still waiting, or ready and not expired: a
    second click (or a second tab) gets that one rather than a second job."""
    now = timezone.now()
    waiting = Q(
        status__in=(Export.Status.QUEUED, Export.Status.RUNNING),
        requested_at__gte=now - Export.LOST_AFTER,
    )
    ready = Q(status=Export.Status.DONE, expires_at__gt=now)
    return (
        Export.objects.filter(waiting | ready, requested_by=by, kind=kind.key, fmt=fmt)
        .filter(filters=dict(filters))
        .first()
    )


def export_ask(
    *, kind: ExportKind, fmt: str, filters: Filters, by: User, queue: Callable[[int], object]
) -> Export:
    """Record the ask and send it to the worker once the row is saved; when the queue cannot
    be reached the export says so (failed) rather than wait for ever."""
    same = _same_ask(kind, fmt, filters, by)
    if same is not None:
        return same
    export = Export.objects.create(
        kind=kind.key,
        fmt=fmt,
        filters=dict(filters),
        title=kind.title(filters)[:200],
        requested_by=by,
        rows_total=kind.size(filters),
    )

    def send() -> None:
        try:
            queue(export.pk)
        except Exception:  # any failure to reach the broker: the page says so
            logger.warning("Could not send export %s", export.pk, exc_info=True)
            Export.objects.filter(pk=export.pk, status=Export.Status.QUEUED).update(
                status=Export.Status.FAILED, failure=NOT_SENT, finished_at=timezone.now()
            )

    transaction.on_commit(send)
    return export


def may_have(export: Export, user: User) -> bool:
    """Only the person who asked, and only while their role still lets them have it."""
    kind = _kinds.get(export.kind)
    return (
        kind is not None
        and user.is_active
        and export.requested_by_id == user.pk
        and kind.may_export(user)
    )


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def export_make(*, export_id: int) -> Export:
    """Build and write the file of a queued export. Idempotent: a finished one is left alone.
    The file is written to a temporary name and renamed, so none is ever half-written."""
    with transaction.atomic():
        export = (
            Export.objects.select_for_update(of=("self",))
            .select_related("requested_by")
            .get(pk=export_id)
        )
        if export.status == Export.Status.DONE:
            return export
        export.mark_started()
    kind = _kinds.get(export.kind)
    if kind is None or export.requested_by is None or not may_have(export, export.requested_by):
        export.mark_failed("The person who asked may no longer have this file.")
        return export
    try:
        table = kind.table(export.filters)
        rows = [list(row) for row in table.rows]
        Export.objects.filter(pk=export.pk).update(rows_total=len(rows))

        def progress(done: int) -> None:
            Export.objects.filter(pk=export.pk).update(rows_done=done)

        whole = Table(
            table.header,
            rows,
            table.filename,
            sheet=table.sheet,
            about=table.about,
            importable=table.importable,
        )
        content = table_content(whole, export.fmt, progress)
        # Written whole or not at all (send_qa.core.storage), where every web server reads it.
        name = default_storage.save(
            f"{FOLDER}/{uuid.uuid4().hex}.{export.fmt}", ContentFile(content)
        )
    except Exception as error:  # the page says it failed; the person can export again
        logger.exception("Export %s failed", export.pk)
        export.mark_failed(f"The file could not be prepared ({type(error).__name__}).")
        return export
    now = timezone.now()
    Export.objects.filter(pk=export.pk).update(
        status=Export.Status.DONE,
        file=name,
        filename=download_name(table.filename, export.fmt),
        size=len(content),
        rows_total=len(rows),
        rows_done=len(rows),
        finished_at=now,
        expires_at=now + Export.KEPT_FOR,
    )
    export.refresh_from_db()
    return export


def export_open(export: Export) -> File:
    """The prepared file, to stream; FileNotFoundError when it has been removed."""
    if not export.file or not default_storage.exists(export.file):
        raise FileNotFoundError(export.file)
    return default_storage.open(export.file, "rb")


def export_status(export: Export) -> JobStatus:
    """What the export's page says, in the reader's words (send_qa.core.jobs)."""
    kind = _kinds.get(export.kind)
    word = kind.rows_word if kind else "rows"
    if export.is_lost:
        return JobStatus(waiting=False, failed=True, message=f"Failed: {LOST}")
    if export.status == Export.Status.QUEUED:
        return JobStatus(waiting=True, message="Waiting to prepare the file…")
    if export.status == Export.Status.RUNNING:
        if export.rows_done and export.rows_total:
            return JobStatus(
                waiting=True,
                message=(
                    f"Preparing the file: {export.rows_done:,} of {export.rows_total:,} "
                    f"{word} written…"
                ),
            )
        return JobStatus(waiting=True, message="Preparing the file…")
    if export.status == Export.Status.FAILED:
        return JobStatus(waiting=False, failed=True, message=f"Failed: {export.failure}")
    if export.is_expired:
        return JobStatus(waiting=False, message="This file has expired. Export again.")
    return JobStatus(waiting=False, message=f"The file is ready: {export.rows_total:,} {word}.")


def exports_remove_expired(*, now: datetime.datetime | None = None) -> int:
    """Remove the files and rows of exports past their expiry, and of failed or lost ones
    asked for longer ago than an export is kept (the beat task, hourly). Returns how many."""
    now = now or timezone.now()
    old = Q(expires_at__lte=now) | Q(requested_at__lt=now - Export.KEPT_FOR)
    removed = 0
    for export in Export.objects.filter(old):
        if export.file:
            default_storage.delete(export.file)
        export.delete()
        removed += 1
    for partial in _folder().glob(".*.part"):
        if partial.stat().st_mtime < (now - Export.KEPT_FOR).timestamp():
            partial.unlink(missing_ok=True)
    return removed
