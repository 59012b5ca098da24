"""Background jobs of the KPI app: thin wrappers that call plain functions."""

from celery import shared_task

from kpis.computed import computed_recalculate


@shared_task
def recalculate_indicators() -> int:
    return computed_recalculate()
