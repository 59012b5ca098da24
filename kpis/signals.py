"""Recalculate the computed indicators when the records they read change.

A change to a plan, an audit or advice (each save, and each bulk write, which says so through
`audits.signals.records_written_in_bulk`) calls `recalculation_needed`, which asks for a
recalculation once the transaction commits. At most one is waiting at a time: the first ask
marks it queued in the shared cache and the job clears the mark as it starts, so an import
of 20,000 plans or a demo seed queues a single recalculation, not one per row, and a change
made after a job has started queues the next.
"""

import logging
from typing import Any

from django.db import transaction

from benchmarks.progress import import_progress
from kpis.tasks import (
    QUEUED_KEY,
    QUEUED_SECONDS,
    STORE_QUEUED_KEY,
    compute_comparators,
    recalculate_indicators,
    store_scorecard_rows,
)
from send_qa.core.jobs import queue_once

logger = logging.getLogger(__name__)


def recalculation_needed(*args: Any, **kwargs: Any) -> None:
    """Records the computed indicators read changed (a signal receiver, or called directly)."""
    transaction.on_commit(_queue)


def _queue() -> None:
    # The broker down: the nightly recalculation catches up.
    queue_once(
        recalculate_indicators,
        key=QUEUED_KEY,
        seconds=QUEUED_SECONDS,
        what="the recalculation of computed indicators",
    )


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
    # The broker down: the outdated rows are worked out when asked for.
    queue_once(
        store_scorecard_rows,
        key=STORE_QUEUED_KEY,
        seconds=QUEUED_SECONDS,
        what="storing the scorecard rows",
    )
