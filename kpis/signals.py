"""Recalculate the computed indicators when the records they read change.

A change to a plan, an audit or advice (each save, and each bulk write, which says so through
`audits.signals.records_written_in_bulk`) calls `recalculation_needed`, which asks for a
recalculation once the transaction commits. At most one is waiting at a time: the first ask
marks it queued in the shared cache and the job clears the mark as it starts, so an import
of 20,000 plans or a demo seed queues a single recalculation, not one per row, and a change
made after a job has started queues the next.
"""

import logging
from contextlib import suppress
from typing import Any

from django.core.cache import cache
from django.db import transaction

from benchmarks.progress import import_progress
from kpis.cache import CACHE_ERRORS
from kpis.tasks import (
    QUEUED_KEY,
    QUEUED_SECONDS,
    STORE_QUEUED_KEY,
    compute_comparators,
    recalculate_indicators,
    store_scorecard_rows,
)

logger = logging.getLogger(__name__)


def recalculation_needed(*args: Any, **kwargs: Any) -> None:
    """Records the computed indicators read changed (a signal receiver, or called directly)."""
    transaction.on_commit(_queue)


def _queue() -> None:
    try:
        if not cache.add(QUEUED_KEY, True, QUEUED_SECONDS):
            return  # one is waiting and has not started: it will read this change
    except CACHE_ERRORS:  # no mark to share: queue it anyway (a second job is harmless)
        logger.warning("The cache could not be reached to mark the recalculation queued")
    try:
        recalculate_indicators.delay()
    except Exception:  # the broker is down: the nightly recalculation catches up
        with suppress(*CACHE_ERRORS):
            cache.delete(QUEUED_KEY)
        logger.warning("Could not queue the recalculation of computed indicators", exc_info=True)


def comparators_needed(sender: Any, record: Any = None, **kwargs: Any) -> None:
    """Published data, the own area or its neighbours changed (`benchmarks.signals.
    published_data_changed`, sent once the change is committed): work the comparators out
    again in the background, the import's page showing how far it has got."""
    import_id = getattr(record, "pk", None)
    try:
        compute_comparators.delay(import_id)
    except Exception:  # the broker is down: say so on the import's page
        logger.warning("Could not queue the comparators", exc_info=True)
        import_progress(
            import_id,
            "failed",
            note="The background worker could not be reached. Try again from the scorecard.",
        )


def scorecard_rows_needed(*args: Any, **kwargs: Any) -> None:
    """KPI data changed (`kpis.cache.stored_rows_outdated`): once it commits, store the
    scorecard rows again, one job waiting at a time as for the recalculation. Until it has
    run, the outdated rows are not read: the scorecard works its rows out."""
    transaction.on_commit(_store_queue)


def _store_queue() -> None:
    try:
        if not cache.add(STORE_QUEUED_KEY, True, QUEUED_SECONDS):
            return  # one is waiting and has not started: it will read this change
    except CACHE_ERRORS:
        logger.warning("The cache could not be reached to mark the scorecard rows queued")
    try:
        store_scorecard_rows.delay()
    except Exception:  # the broker is down: the rows are worked out when asked for
        with suppress(*CACHE_ERRORS):
            cache.delete(STORE_QUEUED_KEY)
        logger.warning("Could not queue storing the scorecard rows", exc_info=True)
