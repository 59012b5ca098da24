"""What the audits app does when its own records change: keep each term's figures current.

Connected in `AuditsConfig.ready()`. A change stamps the terms whose figures it alters in its
own transaction (`TermFigures.objects.changed`), so no page reads a count made before it; once
it commits, one refresh is queued to count them again. At most one is waiting at a time (the
first ask marks it queued in the shared cache, the job clears the mark as it starts), so a
hundred saves in a term queue one refresh, as the KPI recalculation does (kpis/signals.py).
"""

import logging
from contextlib import suppress
from typing import Any

from django.core.cache import cache
from django.db import transaction
from redis.exceptions import RedisError

from audits.models import Answer, Audit
from audits.models.figures import TermFigures
from audits.tasks import QUEUED_KEY, QUEUED_SECONDS, refresh_term_figures

logger = logging.getLogger(__name__)

CACHE_ERRORS = (RedisError, OSError)


def audit_changed(sender: type[Audit], instance: Audit, **kwargs: Any) -> None:
    """An audit saved or deleted: its term's figures (and a term it left) changed."""
    TermFigures.objects.changed([instance.term_id, instance.loaded_term_id])


def bulk_written(sender: type, **kwargs: Any) -> None:
    """Audits or answers written in bulk (past results imported): any term may have changed.
    Plans alone change no count the figures keep."""
    if sender in (Audit, Answer):
        TermFigures.objects.changed_everywhere()


def refresh_needed(*args: Any, **kwargs: Any) -> None:
    """Terms were stamped as changed: count them again once the change commits."""
    transaction.on_commit(_queue)


def _queue() -> None:
    try:
        if not cache.add(QUEUED_KEY, True, QUEUED_SECONDS):
            return  # one is waiting and has not started: it will count this change
    except CACHE_ERRORS:  # no mark to share: queue it anyway (a second job is harmless)
        logger.warning("The cache could not be reached to mark the figures' refresh queued")
    try:
        refresh_term_figures.delay()
    except Exception:  # the broker is down: the next page to read a term counts it then
        with suppress(*CACHE_ERRORS):
            cache.delete(QUEUED_KEY)
        logger.warning("Could not queue the refresh of the terms' audit figures", exc_info=True)
