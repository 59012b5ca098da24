"""Demo KPI data: the catalogue with three years of believable local and benchmark values."""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kpis.cache import data_changed
from kpis.catalogue import catalogue_load
from kpis.computed import computed_recalculate
from kpis.models import (
    Area,
    Frequency,
    Indicator,
    Measurement,
    Polarity,
    Scorecard,
    ScorecardIndicator,
    Target,
    Unit,
)
from send_qa.core.demo import DemoArea
from send_qa.core.figures import percent, round_half_up
from send_qa.core.models import Period, academic_year_start, ensure_financial_year

YEARS = 3
OTHER_AUTHORITIES = [f"la:{code}" for code in range(800, 820)]  # made-up DfE codes
BOARD_SET = [
    "EHCP_20WK",
    "EHCP_20WK_INCL",
    "EHCP_COUNT",
    "AR_ON_TIME",
    "AR_AMEND_12WK",
    "AUDIT_GOOD",
    "ADVICE_6WK",
    "OOB_VISITED",
    "PC_INVOLVED",
    "PC_PLAN_NEEDS",
    "SEN_APPEALS",
    "ABSENCE_EHCP",
    "DEST_KS4_SEND",
]
BASE: dict[str, tuple[int, int]] = {
    Unit.PERCENTAGE: (40, 85),
    Unit.COUNT: (20, 400),
    Unit.DAYS: (10, 60),
    Unit.RATE_10K: (2, 30),
}


def _periods(
    frequency: str, today: datetime.date
) -> list[tuple[datetime.date, datetime.date, str]]:
    """Completed periods of the last few years for an indicator's frequency, oldest first."""
    first_year = academic_year_start(today) - YEARS
    if frequency == Frequency.TERMLY:
        terms = Period.objects.terms().filter(
            start__gte=datetime.date(first_year, 9, 1), end__lt=today
        )
        return [(t.start, t.end, t.name) for t in terms.order_by("start")]
    if frequency == Frequency.QUARTERLY:
        for year in range(first_year, academic_year_start(today) + 1):
            ensure_financial_year(year)
        quarters = Period.objects.filter(
            kind=Period.Kind.QUARTER, start__gte=datetime.date(first_year, 4, 1), end__lt=today
        )
        return [(q.start, q.end, q.name) for q in quarters.order_by("start")]
    return [
        (datetime.date(y, 9, 1), datetime.date(y + 1, 8, 31), f"{y}/{str(y + 1)[-2:]}")
        for y in range(first_year, academic_year_start(today))
    ]


def _round(number: float, unit: str) -> Decimal:
    value = round_half_up(max(0.0, number), 0 if unit == Unit.COUNT else 1)
    return min(value, Decimal(100)) if unit == Unit.PERCENTAGE else value


def _targets(rng: random.Random, today: datetime.date) -> None:
    """Board-set indicators get a target for each academic year, near England's level."""
    for indicator in Indicator.objects.filter(code__in=BOARD_SET):
        england = [
            value
            for value in Measurement.objects.filter(
                indicator=indicator, area=Area.ENGLAND
            ).values_list("value", flat=True)
            if value is not None
        ]
        if not england or indicator.unit == Unit.COUNT and indicator.code == "EHCP_COUNT":
            continue
        level = float(sum(england) / len(england))
        for year in range(academic_year_start(today) - YEARS, academic_year_start(today) + 1):
            Target.objects.get_or_create(
                indicator=indicator,
                period_start=datetime.date(year, 9, 1),
                period_end=datetime.date(year + 1, 8, 31),
                defaults={
                    "label": f"{year}/{str(year + 1)[-2:]}",
                    "value": _round(level * rng.uniform(1.0, 1.1), indicator.unit),
                },
            )


@transaction.atomic
def seed(area: DemoArea, *, rng: random.Random | None = None) -> None:
    rng = rng or random.Random(2027)  # noqa: S311 - demo data, not security
    catalogue_load()
    if Measurement.objects.exists():
        return
    today = timezone.localdate()
    owners = {
        "SEND Quality Assurance Lead": area.users["sendops@demo.invalid"],
        "Head of SEND": area.users["sendops@demo.invalid"],
        "Head of Inclusion": area.users["action-owner@demo.invalid"],
    }
    rows: list[Measurement] = []
    for indicator in Indicator.objects.all():
        if indicator.owner_id is None and indicator.owner_title in owners:
            indicator.owner = owners[indicator.owner_title]
            indicator.save(update_fields=["owner"])
        low, high = BASE[indicator.unit]
        if indicator.unit == Unit.PERCENTAGE and indicator.polarity == Polarity.LOWER:
            low, high = 2, 15  # absence, suspension and appeal rates are small
        level = rng.uniform(low, high)
        better = 1 if indicator.polarity == Polarity.HIGHER else -1
        step = better * rng.uniform(-0.02, 0.05) * level  # most improve, some slip
        england = level * rng.uniform(0.9, 1.1)
        for n, (start, end, label) in enumerate(_periods(indicator.frequency, today)):
            local = level + step * n + rng.gauss(0, level * 0.04)
            values: dict[str, float] = {
                Area.ENGLAND: england + rng.gauss(0, england * 0.01),
                Area.REGION: england * rng.uniform(0.95, 1.05),
                Area.STATISTICAL_NEIGHBOURS: england * rng.uniform(0.93, 1.07),
            }
            if not indicator.computed:
                values[Area.LOCAL] = local
            if indicator.code in BOARD_SET:
                for code in OTHER_AUTHORITIES:
                    values[code] = england * rng.uniform(0.75, 1.25)
            for where, number in values.items():
                value = _round(number, indicator.unit)
                numerator = denominator = None
                stored: Decimal | None = value
                if where == Area.LOCAL and indicator.unit == Unit.PERCENTAGE:
                    denominator = Decimal(rng.randint(40, 400))
                    numerator = round_half_up(denominator * value / 100, 0)
                    stored = percent(numerator, denominator)
                rows.append(
                    Measurement(
                        indicator=indicator,
                        period_start=start,
                        period_end=end,
                        period_label=label,
                        area=where,
                        value=stored,
                        numerator=numerator,
                        denominator=denominator,
                    )
                )
    Measurement.objects.bulk_create(rows, batch_size=2000)
    data_changed()  # bulk writes send no signals
    _targets(rng, today)
    computed_recalculate(on=today)
    board, _ = Scorecard.objects.get_or_create(
        name="Board scorecard", defaults={"created_by": area.users["sendops@demo.invalid"]}
    )
    ScorecardIndicator.objects.bulk_create(
        [
            ScorecardIndicator(
                scorecard=board, indicator=indicator, order=BOARD_SET.index(indicator.code)
            )
            for indicator in Indicator.objects.filter(code__in=BOARD_SET)
        ],
        ignore_conflicts=True,
    )
