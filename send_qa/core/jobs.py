"""How far a background job has got, in one small shape that every waiting page shares: the
page renders it in its status region (templates/includes/_job_status.html) and
static/js/job-status.mjs polls its JSON twin until the job is finished.

`TrackedJob` holds the fields every tracked job row shares (who asked, when it was asked for,
started and finished, and why it failed), so that a new kind of job (an export, a
recalculation) does not repeat them."""

import datetime
import logging
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.http import JsonResponse
from django.utils import timezone
from redis.exceptions import RedisError


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


logger = logging.getLogger(__name__)
CACHE_ERRORS = (RedisError, OSError)


def queue_once(task: Any, *, key: str, seconds: int, what: str) -> None:
    """Queue the Celery `task` unless one is already waiting: the first ask marks it queued
    under `key` in the shared cache for `seconds` (the task clears the mark as it starts), so a
    hundred changes queue one job. Without the cache it is queued anyway (a second job is
    harmless); without the broker the mark is cleared and the failure logged, and the caller's
    fallback (a nightly run, working it out when asked) catches up. `what` names the job in
    the log."""
    try:
        if not cache.add(key, True, seconds):
            return  # one is waiting and has not started: it will read this change
    except CACHE_ERRORS:
        logger.warning("The cache could not be reached to mark %s queued", what)
    try:
        task.delay()
    except Exception:
        with suppress(*CACHE_ERRORS):
            cache.delete(key)
        logger.warning("Could not queue %s", what, exc_info=True)
