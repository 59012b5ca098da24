"""Background jobs of the KPI app: thin wrappers that call plain functions."""

import datetime

from celery import Task, shared_task
from django.core.cache import cache
from django.utils import timezone

from kpis.comparators import comparators_after_import
from kpis.computed import recalculation_run
from kpis.exceptions import commentary_requests_send
from kpis.imports import staged_imports_forget
from kpis.scorecard import scorecard_rows_store

# Marks a recalculation as queued and not yet started (kpis/signals.py). The mark expires in
# case a queued job is lost; a second job is then harmless.
QUEUED_KEY = "kpis:recalculation-queued"
QUEUED_SECONDS = 900
STORE_QUEUED_KEY = "kpis:scorecard-rows-queued"


@shared_task
def recalculate_indicators(recalculation_id: int | None = None) -> int:
    cache.delete(QUEUED_KEY)  # changes from now on queue the next recalculation
    return recalculation_run(recalculation_id)


@shared_task(bind=True, max_retries=3, default_retry_delay=600)
def ask_for_exception_commentary(self: Task, as_at: str) -> int:
    try:
        return commentary_requests_send(as_at=datetime.date.fromisoformat(as_at))
    except OSError as exc:  # the mail server is unreachable: try again later
        raise self.retry(exc=exc) from exc


@shared_task
def compute_comparators(import_id: int | None = None) -> int:
    return comparators_after_import(import_id)


@shared_task
def forget_staged_imports() -> int:
    return staged_imports_forget()


@shared_task
def store_scorecard_rows() -> int:
    """The scorecard's rows stored again after a change to KPI data, and each night for the
    new day (`kpis.scorecard.scorecard_rows_store`)."""
    cache.delete(STORE_QUEUED_KEY)  # changes from now on queue the next
    return scorecard_rows_store(on=timezone.localdate())
