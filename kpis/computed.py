"""Indicators the portal calculates per term from its own records, read through the audits
app's query functions (never its tables). Each calculator returns (value, numerator,
denominator), or None when there is nothing to measure yet."""

import datetime
import logging
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from audits import queries as audit_queries
from kpis.cache import data_changed
from kpis.models import Area, Indicator, Measurement, Recalculation
from send_qa.core.figures import percent
from send_qa.core.models import Period

Result = tuple[Decimal, Decimal | None, Decimal | None] | None
logger = logging.getLogger(__name__)
YEARS_RECALCULATED = 6


def _percent(part: int, whole: int) -> Result:
    value = percent(part, whole)
    if value is None:
        return None
    return value, Decimal(part), Decimal(whole)


def audit_good(term: Period, on: datetime.date) -> Result:
    good, graded = audit_queries.percent_good_or_better(term=term)
    return _percent(good, graded)


def advice_6wk(term: Period, on: datetime.date) -> Result:
    on_time, due = audit_queries.advice_received_on_time(term=term, on=on)
    return _percent(on_time, due)


def ehcp_count(term: Period, on: datetime.date) -> Result:
    count = audit_queries.plans_maintained(on=min(term.end, on))
    return (Decimal(count), None, None) if count else None


def ehcp_20wk_incl(term: Period, on: datetime.date) -> Result:
    within, issued = audit_queries.plans_issued_within(term=term, weeks=20)
    return _percent(within, issued)


CALCULATORS: dict[str, Callable[[Period, datetime.date], Result]] = {
    "AUDIT_GOOD": audit_good,
    "ADVICE_6WK": advice_6wk,
    "EHCP_COUNT": ehcp_count,
    "EHCP_20WK_INCL": ehcp_20wk_incl,
}


@transaction.atomic
def computed_recalculate(
    *, terms: Iterable[Period] | None = None, on: datetime.date | None = None
) -> int:
    """Recalculate every computed indicator for each term (by default the terms of the last six
    years up to today); returns how many values were added or changed."""
    on = on or timezone.localdate()
    if terms is None:
        terms = Period.objects.terms().filter(
            start__lte=on, start__gte=on - datetime.timedelta(days=365 * YEARS_RECALCULATED)
        )
    terms = list(terms)
    indicators = list(Indicator.objects.filter(computed=True, code__in=CALCULATORS))
    stored = {
        (m.indicator_id, m.period_start, m.period_end): m
        for m in Measurement.objects.local().filter(
            indicator__in=indicators, period_start__in=[t.start for t in terms]
        )
    }
    now = timezone.now()
    new, changed = [], []
    for indicator in indicators:
        for term in terms:
            result = CALCULATORS[indicator.code](term, on)
            if result is None:
                continue
            value, numerator, denominator = result
            found = stored.get((indicator.pk, term.start, term.end))
            if found is None:
                new.append(
                    Measurement(
                        indicator=indicator,
                        period_start=term.start,
                        period_end=term.end,
                        period_label=term.name,
                        area=Area.LOCAL,
                        value=value,
                        numerator=numerator,
                        denominator=denominator,
                        source_note="Calculated by the portal",
                        computed_at=now,
                    )
                )
            elif (found.value, found.numerator, found.denominator) != result:
                found.value, found.numerator, found.denominator = value, numerator, denominator
                found.computed_at = found.updated_at = now
                changed.append(found)
    bulk_create_with_history(new, Measurement)
    bulk_update_with_history(
        changed, Measurement, ["value", "numerator", "denominator", "computed_at", "updated_at"]
    )
    data_changed()  # bulk writes send no signals
    return len(new) + len(changed)


def recalculation_run(recalculation_id: int | None = None) -> int:
    """The background job: recalculate, and, when it was asked for from the scorecard, record
    on its `Recalculation` when it started and how it ended (the page polls that record)."""
    record = Recalculation.objects.filter(pk=recalculation_id).first() if recalculation_id else None
    if record:
        record.mark_started()
    try:
        changed = computed_recalculate()
    except Exception:
        logger.exception("Recalculating the computed indicators failed")
        if record:
            record.mark_failed("an error stopped the recalculation. Recalculate again.")
        raise
    if record:
        record.mark_finished(changed)
    return changed
