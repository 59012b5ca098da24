"""Compiling a version of the report to an immutable PDF.

Idempotent: a version already done is left alone; one left running by a killed worker is
compiled again. The PDF is written to a temporary file and renamed into place, so a worker
killed half-way never leaves a half-written report, and each compilation has a file of its
own, so a released version is never overwritten.

This module never imports the tasks: the tasks call it, and `services` queues them.
"""

import datetime
import hashlib
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from send_qa.reports.evidence import report_evidence
from send_qa.reports.models import NARRATIVE, Version

logger = logging.getLogger(__name__)
FOLDER = "reports"
NOT_SENT = "The report could not be sent for compiling. Try again in a few minutes."
# A version queued this long ago and never started was lost with the queue (Redis restarted).
LOST_AFTER = datetime.timedelta(minutes=5)
# A running compile says it is alive this often; silent this long, its worker was killed.
HEARTBEAT_SECONDS = 15
STOPPED_AFTER = datetime.timedelta(seconds=60)
STOPPED = "The compile stopped: try again."


def html_to_pdf(html: str) -> bytes:
    """The PDF of the report's HTML (send_qa.reports.pdf). WeasyPrint is imported by the worker
    that compiles, when it first compiles, not by every process that loads the portal's
    addresses: it was 0.67 s of the 3.8 s any manage.py command took to start."""
    from send_qa.reports import pdf  # noqa: PLC0415

    return pdf.html_to_pdf(html)


def report_html(version: Version) -> str:
    report = version.report
    context = {
        "report": report,
        "version": version,
        "narrative": [(name, label, getattr(report, name)) for name, label in NARRATIVE],
        **report_evidence(report.term, on=timezone.localdate()),
    }
    return render_to_string("reports/print.html", context)


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _fail(version: Version, message: str) -> Version:
    Version.objects.filter(pk=version.pk).update(
        status=Version.Status.FAILED, error=message, finished_at=timezone.now()
    )
    version.refresh_from_db()
    return version


def version_send(version_id: int, queue: Callable[[int], object]) -> bool:
    """Put a queued version on the worker's queue; when the queue cannot be reached (Redis
    down), record the version as not sent, with the message its page shows, rather than
    leave it "Queued" for ever. `versions_resend` tries it again."""
    try:
        queue(version_id)
    except Exception:  # any failure to reach the broker: the page says so, beat retries
        logger.warning("Could not send report version %s for compiling", version_id, exc_info=True)
        Version.objects.filter(pk=version_id, status=Version.Status.QUEUED).update(
            status=Version.Status.NOT_SENT, error=NOT_SENT
        )
        return False
    return True


def versions_resend(queue: Callable[[int], object], *, now: datetime.datetime | None = None) -> int:
    """Send again every version that was not sent, or was queued and never started since
    `LOST_AFTER` (the beat task; reading a page never does). Returns how many went."""
    now = now or timezone.now()
    unsent = Version.objects.filter(status=Version.Status.NOT_SENT) | Version.objects.filter(
        status=Version.Status.QUEUED, started_at__isnull=True, requested_at__lt=now - LOST_AFTER
    )
    sent = 0
    for version_id in unsent.values_list("pk", flat=True):
        Version.objects.filter(pk=version_id).exclude(status=Version.Status.DONE).update(
            status=Version.Status.QUEUED, error=""
        )
        sent += version_send(version_id, queue)
    return sent


@contextmanager
def heartbeat(version_id: int) -> Iterator[None]:
    """While the version compiles, record a sign of life every HEARTBEAT_SECONDS from a thread
    of its own (the PDF is made in one long call): a worker killed outright stops beating,
    and `versions_fail_stuck` sees it within a minute."""
    done = threading.Event()

    def beat() -> None:
        try:
            while not done.wait(HEARTBEAT_SECONDS):
                try:
                    Version.objects.filter(pk=version_id, status=Version.Status.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except Exception:  # a missed beat is no reason to stop beating
                    logger.warning("Heartbeat of version %s missed", version_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"report-{version_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def report_compile(*, version_id: int) -> Version:
    with transaction.atomic():
        version = (
            Version.objects.select_for_update().select_related("report__term").get(pk=version_id)
        )
        if version.status == Version.Status.DONE:
            return version
        version.status, version.error = Version.Status.RUNNING, ""
        version.started_at = version.heartbeat_at = timezone.now()
        version.save(update_fields=["status", "error", "started_at", "heartbeat_at"])
    try:
        with heartbeat(version.pk):
            pdf = html_to_pdf(report_html(version))
        # Written whole or not at all (send_qa.core.storage), where every web server reads it.
        name = default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}.pdf", ContentFile(pdf))
    except Exception as error:  # the version shows why, and can be tried again
        logger.exception("Compiling report version %s failed", version.pk)
        if isinstance(error, SoftTimeLimitExceeded):
            return _fail(version, "The report took too long to compile and was stopped.")
        return _fail(version, f"{type(error).__name__}: {error}")
    Version.objects.filter(pk=version.pk).update(
        status=Version.Status.DONE,
        file=name,
        checksum=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        finished_at=timezone.now(),
    )
    version.refresh_from_db()
    return version


def partial_files_remove(*, older_than: float) -> int:
    """Remove the temporary files of compilations whose worker was killed before it could
    rename or delete them (they are never served: only a finished file is recorded)."""
    removed = 0
    for partial in _folder().glob(".*.part"):
        try:
            if partial.stat().st_mtime < older_than:
                partial.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def versions_fail_stuck(*, now: datetime.datetime | None = None) -> int:
    """A compilation still "running" whose heartbeat stopped a minute ago, or that ran past
    the hard time limit, was killed with its worker: mark it failed with a message, so that
    nothing stays "being compiled" for ever, and remove the temporary file it left behind.
    Only the beat task calls this (every minute): reading a page never does."""
    now = now or timezone.now()
    limit = datetime.timedelta(seconds=settings.REPORT_TIME_LIMIT + 60)
    partial_files_remove(older_than=(now - limit).timestamp())
    running = Version.objects.filter(status=Version.Status.RUNNING)
    too_long = running.filter(started_at__lt=now - limit).update(
        status=Version.Status.FAILED,
        error=(
            f"The compilation was stopped: it ran for more than {settings.REPORT_TIME_LIMIT} "
            "seconds or its worker stopped. Try again."
        ),
        finished_at=now,
    )
    silent = Q(heartbeat_at__lt=now - STOPPED_AFTER) | Q(
        heartbeat_at__isnull=True, started_at__lt=now - STOPPED_AFTER
    )
    stopped = running.filter(silent).update(
        status=Version.Status.FAILED, error=STOPPED, finished_at=now
    )
    return too_long + stopped
