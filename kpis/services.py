"""Changes to KPI values that span more than one record."""

import datetime
import logging
from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction

from kpis.models import Area, Indicator, Measurement, Recalculation
from kpis.tasks import recalculate_indicators
from send_qa.core.models import User

logger = logging.getLogger(__name__)


@transaction.atomic
def period_values_save(
    *,
    indicator: Indicator,
    period_start: datetime.date,
    period_end: datetime.date,
    period_label: str,
    values: Mapping[str, Decimal | None],
    numerator: Decimal | None,
    denominator: Decimal | None,
    commentary: str,
) -> None:
    """Enter or correct one period's values of an indicator, one per area (None leaves an
    area as it is). This area's value carries the numerator, denominator and commentary; of
    a computed indicator only the commentary is kept, as the portal calculates its value."""
    period = {"indicator": indicator, "period_start": period_start, "period_end": period_end}
    for area, value in values.items():
        if area == Area.LOCAL and indicator.computed:
            found = Measurement.objects.filter(**period, area=area).first()
            if found:  # the portal calculates the value; people may still explain it
                found.commentary = commentary
                found.save()
            continue
        if value is None:
            continue
        fields: dict[str, object] = {"value": value, "period_label": period_label}
        if area == Area.LOCAL:
            fields |= {
                "numerator": numerator,
                "denominator": denominator,
                "commentary": commentary,
            }
        measurement, created = Measurement.objects.get_or_create(
            **period, area=area, defaults=fields
        )
        if not created:
            for name, field_value in fields.items():
                setattr(measurement, name, field_value)
            measurement.save()


def recalculation_ask(*, by: User) -> tuple[Recalculation, bool]:
    """Ask for the computed indicators to be recalculated; returns the recalculation and
    whether this ask queued it. One already queued or running is returned instead of a second
    (it will read every change made so far)."""
    waiting = Recalculation.objects.waiting().first()
    if waiting is not None:
        return waiting, False
    record = Recalculation.objects.create(requested_by=by)
    transaction.on_commit(lambda: _queue(record))
    return record, True


def _queue(record: Recalculation) -> None:
    try:
        recalculate_indicators.delay(record.pk)
    except Exception:  # the broker is down: say so on the page rather than wait for ever
        logger.warning("Could not queue the recalculation of computed indicators", exc_info=True)
        record.mark_failed("the background worker could not be reached. Recalculate again.")
