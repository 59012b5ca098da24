"""How far the report's compilations have got, for its page and the page's JSON twin."""

from django.db.models import QuerySet

from send_qa.core.jobs import JobStatus
from send_qa.reports.compile import NOT_SENT, STOPPED
from send_qa.reports.models import Version

WAITING = (Version.Status.QUEUED, Version.Status.RUNNING)


def compile_status(versions: QuerySet[Version]) -> JobStatus | None:
    """The versions still queued or being compiled, else how the last one ended; None when
    nothing has been asked for."""
    waiting = list(versions.filter(status__in=WAITING).order_by("number", "requested_at"))
    if waiting:
        lines = [
            f"Version {v.number} is {'being compiled' if v.status == v.Status.RUNNING else 'queued'}."
            for v in waiting
        ]
        return JobStatus(waiting=True, message=" ".join(lines))
    if versions.filter(status=Version.Status.NOT_SENT).exists():
        return JobStatus(waiting=False, failed=True, message=NOT_SENT)
    last = versions.filter(finished_at__isnull=False).order_by("-finished_at").first()
    if last is None:
        return None
    if last.status == Version.Status.FAILED and last.error == STOPPED:
        return JobStatus(
            waiting=False,
            failed=True,
            message=f"The compile of version {last.number} stopped: try again.",
        )
    if last.status == Version.Status.FAILED:
        return JobStatus(
            waiting=False, failed=True, message=f"Version {last.number} could not be compiled."
        )
    return JobStatus(waiting=False, message=f"Version {last.number} has been compiled.")
