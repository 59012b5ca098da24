"""Changes to action plans that span more than one record."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from send_qa.core.models import User
from wsoa import timescales
from wsoa.access import lead_set
from wsoa.models import Action, DueDate, RagStatus


@transaction.atomic
def action_save(
    *,
    action: Action,
    initial: RagStatus,
    lead: User | None,
    due_dates: Sequence[timescales.DueDate],
) -> Action:
    """Save an action as its plan states it: the RAG it started at (also its RAG now until a
    first progress update moves it), its lead (who alone may then update its progress) and
    the dates its timescale gives, which replace any it had."""
    if initial.key_id != action.weakness.plan.rag_key_id:
        raise ValidationError("Choose a status from the plan's RAG key.")
    if action.pk is None or not action.updates.exists():
        action.status = initial
    action.initial_status = initial
    action.save()
    lead_set(action, lead)
    action.due_dates.all().delete()
    DueDate.objects.bulk_create([DueDate(action=action, due=d.due, text=d.text) for d in due_dates])
    return action
