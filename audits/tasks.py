"""Background jobs of the audits app: thin wrappers that call plain functions."""

import logging

from celery import Task, shared_task
from django.utils import timezone

from audits.reminders import advice_reminders_send
from audits.retention import retention_apply

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=3, default_retry_delay=600)
def send_advice_reminders(self: Task) -> int:
    try:
        return advice_reminders_send(on=timezone.localdate())
    except OSError as exc:  # the mail server is unreachable: try again later
        raise self.retry(exc=exc) from exc


@shared_task
def apply_retention() -> dict[str, int]:
    """Remove case-level details past the retention period (run nightly by beat)."""
    report = retention_apply()
    logger.info("Retention applied: %s", report.counts)
    return report.counts
