"""KPI imports given random and malicious values: they succeed with valid stored values, or
refuse with problems that name a row or column and save nothing. Never an unhandled error."""

import io

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from kpis.imports import REQUIRED, TableImportError, measurements_import, read_table
from kpis.models import Measurement
from tests.kpis.factories import IndicatorFactory
from tests.strategies import csv_bytes, encodings, nasty_text

pytestmark = pytest.mark.django_db

COLUMNS = [*REQUIRED, "numerator", "denominator", "commentary", "period_label"]
CHECKED = examples(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def indicators():
    IndicatorFactory(code="EHCP_20WK")
    IndicatorFactory(code="EHCP_COUNT", unit="count")


def good_or(strategy, good: list[str]):
    return st.one_of(st.sampled_from(good), strategy)


row = st.fixed_dictionaries(
    {
        "indicator_code": good_or(nasty_text(), ["EHCP_20WK", "ehcp_count"]),
        "period_start": good_or(nasty_text(), ["2026-01-01", "0001-01-01"]),
        "period_end": good_or(nasty_text(), ["2026-12-31", "9999-12-31"]),
        "area": good_or(nasty_text(), ["local", "england", "la:873"]),
        "value": good_or(nasty_text(), ["55.5", "0", "100", "12,000"]),
        "numerator": good_or(nasty_text(), ["", "111"]),
        "denominator": good_or(nasty_text(), ["", "200"]),
        "commentary": nasty_text(200),
        "period_label": good_or(nasty_text(), ["", "2026"]),
    }
)


def import_or_refuse(data: bytes) -> None:
    before = Measurement.objects.count()
    try:
        measurements_import(read_table(io.BytesIO(data), "values.csv"))
    except TableImportError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.row is not None or problem.column or "values.csv" in problem.message
        assert Measurement.objects.count() == before
        return
    for measurement in Measurement.objects.all():
        measurement.full_clean()  # what was stored is valid


@CHECKED
@given(rows=st.lists(row, min_size=1, max_size=4), encoding=encodings())
def test_any_values_are_imported_validly_or_refused(indicators, rows, encoding):
    data = csv_bytes(COLUMNS, [[r[c] for c in COLUMNS] for r in rows], encoding=encoding)
    import_or_refuse(data)


GOOD = {
    "indicator_code": "EHCP_COUNT",
    "period_start": "2026-01-01",
    "period_end": "2026-12-31",
    "area": "local",
    "value": "55",
    "numerator": "",
    "denominator": "",
    "commentary": "",
    "period_label": "2026",
}


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("value", "9" * 40),
        ("value", "1e40"),
        ("value", "1e-40"),
        ("value", "0.0001"),
        ("value", "NaN"),
        ("value", "inf"),
        ("numerator", "9" * 20),
        ("denominator", "1e20"),
        ("period_label", "x" * 500),
        ("period_start", "0000-01-01"),
        ("period_start", "31/02/2026"),
        ("period_end", "9999-12-31"),
        ("commentary", "<script>alert(1)</script>" * 500),
        ("commentary", '=HYPERLINK("http://x","y")'),
        ("area", "la:" + "8" * 40),
    ],
)
def test_edge_values_are_imported_validly_or_refused(indicators, column, value):
    import_or_refuse(csv_bytes(COLUMNS, [[{**GOOD, column: value}[c] for c in COLUMNS]]))
