"""Entering or correcting one period's values of an indicator: kpis.services.period_values_save,
called directly."""

import datetime
from decimal import Decimal

import pytest

from kpis.models import Area, Measurement
from kpis.services import period_values_save
from tests.kpis.factories import IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db

AUTUMN = {"period_start": datetime.date(2026, 9, 1), "period_end": datetime.date(2026, 12, 31)}
NO_VALUES = dict.fromkeys(Area.values)


def saved(indicator) -> dict[str, tuple]:
    return {
        m.area: (m.value, m.numerator, m.denominator, m.commentary, m.period_label)
        for m in Measurement.objects.filter(indicator=indicator, **AUTUMN)
    }


def test_a_new_period_stores_this_areas_value_with_its_counts_and_the_benchmarks_given():
    indicator = IndicatorFactory()
    period_values_save(
        indicator=indicator,
        **AUTUMN,
        period_label="Autumn 2026",
        values=NO_VALUES | {Area.LOCAL: Decimal("60"), Area.ENGLAND: Decimal("55.5")},
        numerator=Decimal("30"),
        denominator=Decimal("50"),
        commentary="Up since the new panel started",
    )
    assert saved(indicator) == {
        Area.LOCAL: (
            Decimal("60"),
            Decimal("30"),
            Decimal("50"),
            "Up since the new panel started",
            "Autumn 2026",
        ),
        Area.ENGLAND: (Decimal("55.5"), None, None, "", "Autumn 2026"),
    }


def test_a_correction_changes_the_values_given_and_leaves_the_others():
    indicator = IndicatorFactory()
    MeasurementFactory(indicator=indicator, **AUTUMN, value=Decimal("70"), commentary="Old")
    MeasurementFactory(indicator=indicator, **AUTUMN, area=Area.REGION, value=Decimal("65"))
    period_values_save(
        indicator=indicator,
        **AUTUMN,
        period_label="Autumn term",
        values=NO_VALUES | {Area.LOCAL: Decimal("72")},
        numerator=None,
        denominator=None,
        commentary="Corrected after the data audit",
    )
    assert saved(indicator) == {
        Area.LOCAL: (Decimal("72"), None, None, "Corrected after the data audit", "Autumn term"),
        Area.REGION: (Decimal("65"), None, None, "", "Autumn 2026"),
    }
    assert Measurement.objects.get(indicator=indicator, area=Area.LOCAL).history.count() == 2


def test_a_computed_indicator_keeps_its_calculated_value_and_takes_the_commentary():
    indicator = IndicatorFactory(computed=True)
    MeasurementFactory(indicator=indicator, **AUTUMN, value=Decimal("41.2"))
    period_values_save(
        indicator=indicator,
        **AUTUMN,
        period_label="Autumn 2026",
        values=NO_VALUES | {Area.LOCAL: Decimal("99")},
        numerator=Decimal("1"),
        denominator=Decimal("1"),
        commentary="Fewer audits this term",
    )
    assert saved(indicator) == {
        Area.LOCAL: (Decimal("41.2"), None, None, "Fewer audits this term", "Autumn 2026")
    }


def test_a_computed_indicator_without_a_value_yet_gets_none_made_up():
    indicator = IndicatorFactory(computed=True)
    period_values_save(
        indicator=indicator,
        **AUTUMN,
        period_label="",
        values=NO_VALUES | {Area.LOCAL: Decimal("50")},
        numerator=None,
        denominator=None,
        commentary="Why",
    )
    assert saved(indicator) == {}
