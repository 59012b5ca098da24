"""Background jobs of the audits app: thin wrappers that call plain functions."""

import logging

from celery import Task, shared_task
from django.core.cache import cache
from django.utils import timezone

from audits.reminders import advice_reminders_send
from audits.retention import retention_apply
from audits.term_figures import refresh_out_of_date

logger = logging.getLogger(__name__)

# Marks a refresh of the terms' figures as queued and not yet started (audits/receivers.py).
# The mark expires in case a queued job is lost; a second job is then harmless.
QUEUED_KEY = "audits:term-figures-queued"
QUEUED_SECONDS = 900


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


@shared_task
def refresh_term_figures() -> int:
    """Count again every term whose kept figures are out of date (audits/term_figures.py)."""
    cache.delete(QUEUED_KEY)  # changes from now on queue the next refresh
    return refresh_out_of_date()
