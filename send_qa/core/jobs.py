"""How far a background job has got, in one small shape that every waiting page shares: the
page renders it in its status region (templates/includes/_job_status.html) and
static/js/job-status.mjs polls its JSON twin until the job is finished.

`TrackedJob` holds the fields every tracked job row shares (who asked, when it was asked for,
started and finished, and why it failed), so that a new kind of job (an export, a
recalculation) does not repeat them."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.http import JsonResponse
from django.utils import timezone


@dataclass(frozen=True)
class JobStatus:
    waiting: bool  # queued or running: keep asking
    message: str  # in the reader's words: "Version 2 is being compiled."
    failed: bool = False


def job_status_json(status: JobStatus) -> JsonResponse:
    """The status for static/js/job-status.mjs; never cached, so each poll is fresh."""
    response = JsonResponse(
        {"waiting": status.waiting, "failed": status.failed, "message": status.message}
    )
    response["Cache-Control"] = "no-store"
    return response


class TrackedJob(models.Model):
    """A job a person asked for, tracked in a row of its own. Each kind redeclares `status`
    with its own `Status` choices, at least QUEUED, RUNNING, DONE and FAILED in its own words
    ("Recalculating", "Being prepared")."""

    LOST_AFTER = datetime.timedelta(minutes=30)  # a job not finished by then was lost

    status = models.CharField(max_length=10)  # each kind redeclares it with its own choices
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=300, blank=True, help_text="Why, in the reader's words.")

    class Meta:
        abstract = True

    def mark_started(self) -> None:
        self.status, self.started_at = self.Status.RUNNING, timezone.now()  # type: ignore[attr-defined]
        self.save(update_fields=["status", "started_at"])

    def mark_failed(self, failure: str) -> None:
        self.status = self.Status.FAILED  # type: ignore[attr-defined]
        self.finished_at, self.failure = timezone.now(), failure[:300]
        self.save(update_fields=["status", "finished_at", "failure"])

    @property
    def is_waiting(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)  # type: ignore[attr-defined]

    @property
    def is_lost(self) -> bool:
        return self.is_waiting and self.requested_at < timezone.now() - self.LOST_AFTER
