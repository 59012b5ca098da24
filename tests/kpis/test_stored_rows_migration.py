"""Migration kpis/0008 adds the stored scorecard rows and the KPI data version: back and
forth it keeps the values, and after it the scorecard works its rows out until they are
stored, the first change starting the version."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from kpis.cache import data_changed
from kpis.models import KpiData, StoredScorecardRow
from kpis.scorecard import scorecard_rows, scorecard_rows_store
from tests.kpis.factories import IndicatorFactory, MeasurementFactory

# The autouse fixture applies to this module by being imported into it.
from tests.migrations import back_to_the_latest_migrations, migrate  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("kpis", "0008_staged_imports")]
AFTER = [("kpis", "0009_stored_scorecard_rows")]
DAY = datetime.date(2026, 12, 31)


def test_the_stored_rows_come_and_go_with_the_migration_and_are_worked_out_until_stored():
    indicator = IndicatorFactory()
    MeasurementFactory(indicator=indicator, value=Decimal(70))
    scorecard_rows_store(on=DAY)
    migrate(BEFORE)
    assert "kpis_storedscorecardrow" not in connection.introspection.table_names()
    after = migrate(AFTER)
    assert not after.get_model("kpis", "StoredScorecardRow").objects.exists()
    assert KpiData.objects.version() == 0
    (row,) = scorecard_rows([indicator], as_at=DAY)
    assert row.value.text == "70.0%"
    data_changed()
    assert KpiData.objects.version() == 1
    scorecard_rows_store(on=DAY)
    assert StoredScorecardRow.objects.get(indicator=indicator, as_at=DAY).data_version == 1
