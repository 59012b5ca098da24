"""Report records that span more than one model."""

import datetime

from django.utils import timezone

from send_qa.core.models import Period
from send_qa.reports.models import Report


def report_for_term(term: Period) -> Report:
    report, _ = Report.objects.get_or_create(term=term, defaults={"period_covered": term.name})
    return report


def drafts_for_ended_terms(*, on: datetime.date | None = None, within_days: int = 120) -> int:
    """Create the draft report of each term that ended recently and has none."""
    on = on or timezone.localdate()
    ended = Period.objects.terms().filter(
        end__lt=on, end__gte=on - datetime.timedelta(days=within_days), report__isnull=True
    )
    created = 0
    for term in ended:
        report_for_term(term)
        created += 1
    return created
