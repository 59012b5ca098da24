"""Recalculate the computed indicators when the records they read change.

One background job per transaction at most, sent once it commits: an import of 20,000 plans
or a demo seed queues a single recalculation, not one per row.
"""

import logging

from django.db import connection, transaction

logger = logging.getLogger(__name__)


def _send() -> None:
    from kpis.tasks import recalculate_indicators

    try:
        recalculate_indicators.delay()
    except Exception:  # the broker is down: the nightly recalculation catches up
        logger.warning("Could not queue the recalculation of computed indicators", exc_info=True)


def records_changed(sender, **kwargs) -> None:
    if connection.in_atomic_block and any(
        callback is _send for _, callback, *_ in connection.run_on_commit
    ):
        return
    transaction.on_commit(_send)
