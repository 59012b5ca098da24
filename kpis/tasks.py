"""Background jobs of the KPI app: thin wrappers that call plain functions."""

import datetime

from celery import shared_task

from kpis.computed import computed_recalculate
from kpis.exceptions import commentary_requests_send


@shared_task
def recalculate_indicators() -> int:
    return computed_recalculate()


@shared_task(bind=True, max_retries=3, default_retry_delay=600)
def ask_for_exception_commentary(self, as_at: str) -> int:
    try:
        return commentary_requests_send(as_at=datetime.date.fromisoformat(as_at))
    except OSError as exc:  # the mail server is unreachable: try again later
        raise self.retry(exc=exc) from exc
