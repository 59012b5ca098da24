"""How far a background job has got, in one small shape that every waiting page shares: the
page renders it in its status region (templates/includes/_job_status.html) and
static/js/job-status.mjs polls its JSON twin until the job is finished."""

from dataclasses import dataclass

from django.http import JsonResponse


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
