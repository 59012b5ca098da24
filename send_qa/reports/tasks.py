"""Background jobs of the termly report: thin wrappers that call plain functions."""

from celery import shared_task
from django.conf import settings

from send_qa.reports.compile import report_compile, versions_fail_stuck, versions_resend
from send_qa.reports.models import Report


@shared_task(time_limit=settings.REPORT_TIME_LIMIT, soft_time_limit=settings.REPORT_SOFT_TIME_LIMIT)
def compile_report(version_id: int) -> str:
    return report_compile(version_id=version_id).status


@shared_task
def create_term_reports() -> int:
    """A draft report for every term that has ended and has none yet (run daily by beat)."""
    return Report.objects.drafts_for_ended_terms()


@shared_task
def fail_stuck_reports() -> int:
    """The one place that marks killed compilations failed and clears their temporary files
    (run by beat every minute; pages never change data when read)."""
    return versions_fail_stuck()


@shared_task
def resend_unsent_reports() -> int:
    """Send again the compilations the worker's queue never got (run by beat every minute)."""
    return versions_resend(compile_report.delay)
