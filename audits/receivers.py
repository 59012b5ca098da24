"""What the audits app does when its own records change: keep each term's figures current,
and each plan's last audit (`audits.register.keep_last_audited`).

Connected in `AuditsConfig.ready()`. A change stamps the terms whose figures it alters in its
own transaction (`TermFigures.objects.changed`), so no page reads a count made before it; once
it commits, one refresh is queued to count them again. At most one is waiting at a time (the
first ask marks it queued in the shared cache, the job clears the mark as it starts), so a
hundred saves in a term queue one refresh, as the KPI recalculation does (kpis/signals.py).
"""

import logging
from typing import Any

from django.db import transaction

from audits.models import Answer, Audit, Plan
from audits.models.figures import TermFigures
from audits.register import keep_last_audited
from audits.tasks import QUEUED_KEY, QUEUED_SECONDS, refresh_term_figures
from send_qa.core.jobs import queue_once
from send_qa.core.models import Team

logger = logging.getLogger(__name__)


def audit_changed(sender: type[Audit], instance: Audit, **kwargs: Any) -> None:
    """An audit saved or deleted: its term's figures (and a term it left) changed, and its
    plan's last audit when it was or is submitted (only then can that have moved)."""
    TermFigures.objects.changed([instance.term_id, instance.loaded_term_id])
    submitted = Audit.Status.SUBMITTED
    if instance.plan_id and submitted in (instance.status, instance.loaded_status):
        keep_last_audited([instance.plan_id])
    instance.loaded_status = instance.status  # the next save of this copy compares with this


def plan_changed(sender: type[Plan], instance: Plan, **kwargs: Any) -> None:
    """A plan saved or deleted: the breakdowns of its audits' terms read its need, placement,
    age, team and issue date. A new plan has no audits yet."""
    if kwargs.get("created"):
        return
    TermFigures.objects.changed(
        Audit.objects.filter(plan_id=instance.pk).values_list("term_id", flat=True).distinct()
    )


def team_changed(sender: type[Team], instance: Team, **kwargs: Any) -> None:
    """A team saved (renamed): the breakdown by team shows its name, in every term. A new
    team has no plans yet."""
    if not kwargs.get("created"):
        TermFigures.objects.changed_everywhere()


def bulk_written(sender: type, **kwargs: Any) -> None:
    """Audits, answers or plans written in bulk (past results or the register imported): any
    term may have changed (a plan's details are read by the breakdowns), and after audits any
    plan's last audit."""
    if sender in (Audit, Answer, Plan):
        TermFigures.objects.changed_everywhere()
    if sender is Audit:
        keep_last_audited()


def refresh_needed(*args: Any, **kwargs: Any) -> None:
    """Terms were stamped as changed: count them again once the change commits."""
    transaction.on_commit(_queue)


def _queue() -> None:
    # The broker down: the next page to read an out-of-date term counts it then.
    queue_once(
        refresh_term_figures,
        key=QUEUED_KEY,
        seconds=QUEUED_SECONDS,
        what="the refresh of the terms' audit figures",
    )
