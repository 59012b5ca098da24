"""What SENDOPS ask of a report that sends work to the background worker.

These live apart from `compile` so that the import order runs one way only: models, then
compile (the work), then tasks (the worker's entry points), then this module and the views.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from send_qa.core.models import User
from send_qa.reports.compile import version_send
from send_qa.reports.draft import report_draft
from send_qa.reports.models import Report, Version
from send_qa.reports.tasks import compile_report


@transaction.atomic
def version_request(*, report: Report, number: int, by: User | None) -> Version:
    """A new compilation of a version, sent to the worker once this transaction commits
    (recorded as not sent if the worker's queue cannot be reached)."""
    version = Version.objects.create(report=report, number=number, requested_by=by)
    transaction.on_commit(lambda: version_send(version.pk, compile_report.delay))
    return version


@transaction.atomic
def version_retry(*, version: Version) -> Version:
    """Compile a version that failed (or never finished) again, in place. A version that was
    compiled is never compiled over: its file may already have been read."""
    queued = (
        Version.objects.filter(pk=version.pk)
        .exclude(status=Version.Status.DONE)
        .update(status=Version.Status.QUEUED, error="")
    )
    if not queued:
        raise ValidationError("This version was compiled; compile a new one instead.")
    transaction.on_commit(lambda: version_send(version.pk, compile_report.delay))
    version.status, version.error = Version.Status.QUEUED, ""
    return version


def narrative_draft(*, report: Report, by: User) -> bool:
    """The first time SENDOPS open a term's report, draft "What is working well?", "What are
    we worried about?" and "Recommendations" from the evidence (`send_qa.reports.draft`), into
    whichever of them is still empty. Once only: a second opening, or a colleague opening it at
    the same moment, leaves the narrative to the people writing it. True if it drafted."""
    if report.drafted_at is not None:  # every later opening: no lock, no work
        return False
    with transaction.atomic():
        locked = Report.objects.select_for_update().select_related("term").get(pk=report.pk)
        if locked.drafted_at is not None:
            return False
        draft = report_draft(locked.term, on=timezone.localdate(), reader=by)
        for name, text in draft.sections().items():
            if not getattr(locked, name).strip():
                setattr(locked, name, text)
        locked.drafted_at = timezone.now()
        locked.revision += 1
        locked._change_reason = "Drafted from the evidence"  # type: ignore[attr-defined]
        locked.save()
    report.refresh_from_db()
    return True
