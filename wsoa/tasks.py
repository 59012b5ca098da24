"""Background jobs of the action plans app: thin wrappers that call plain functions."""

from celery import Task, shared_task
from django.utils import timezone

from wsoa.reminders import action_reminders_send


@shared_task(bind=True, max_retries=3, default_retry_delay=600)
def send_action_reminders(self: Task) -> int:
    try:
        return action_reminders_send(on=timezone.localdate())
    except OSError as exc:  # the mail server is unreachable: try again later
        raise self.retry(exc=exc) from exc
