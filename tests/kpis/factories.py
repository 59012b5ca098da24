import datetime
from decimal import Decimal

import factory

from kpis.models import Indicator, Measurement, Target


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"KPI_{n:03d}")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    definition = "What is counted, over what."
    unit = "percentage"
    polarity = "higher"
    oba_category = "how_well"
    source = "local_system"
    frequency = "termly"
    tolerance = Decimal("5")


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    period_start = datetime.date(2026, 9, 1)
    period_end = datetime.date(2026, 12, 31)
    period_label = "Autumn 2026"
    area = "local"
    value = Decimal("70")


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    period_start = datetime.date(2026, 9, 1)
    period_end = datetime.date(2027, 8, 31)
    label = "2026/27"
    value = Decimal("75")
