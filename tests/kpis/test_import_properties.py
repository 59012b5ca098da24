"""KPI imports given random and malicious values: they succeed with valid stored values, or
refuse with problems that name a row or column and save nothing. Never an unhandled error."""

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpis.imports import (
    REQUIRED,
    TableImportError,
    measurements_check,
    measurements_import,
    read_table,
)
from kpis.models import Measurement
from tests.kpis.factories import IndicatorFactory
from tests.strategies import checked, csv_bytes, encodings, nasty_text

pytestmark = pytest.mark.django_db

COLUMNS = [*REQUIRED, "numerator", "denominator", "commentary", "period_label"]
CHECKED = checked(80)


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


def near_edges() -> st.SearchStrategy[str]:
    """Numbers as people and spreadsheets write them, many close to the rules' edges."""
    return st.one_of(
        st.sampled_from(["0", "-0", "100", "100.000001", "99.9999999", "12%", "1,234", " 7 ", ""]),
        st.decimals(min_value=-5, max_value=105, places=6, allow_nan=False).map(str),
        st.integers(0, 10**12).map(str),
    )


@pytest.fixture
def computed_indicator():
    return IndicatorFactory(code="AUDIT_GOOD", computed=True)


plain_row = st.fixed_dictionaries(
    {
        "indicator_code": st.sampled_from(["EHCP_20WK", "ehcp_count ", "AUDIT_GOOD", "NOPE"]),
        "period_start": st.sampled_from(["2026-01-01", "2026-02-30", "2026-1-1", " 2026-03-01"]),
        "period_end": st.sampled_from(
            ["2026-12-31", "2025-12-31", "2026-12-31T00:00", "0000-01-01"]
        ),
        "area": st.sampled_from(["local", "England ", "la:873", "la:87", "mars"]),
        "value": near_edges(),
        "numerator": near_edges(),
        "denominator": near_edges(),
        "commentary": st.sampled_from(["", "  why  ", '"quoted"\nline', "\\."]),
        "period_label": st.sampled_from(["", "Autumn", "x" * 61]),
    }
)


@CHECKED
@given(rows=st.lists(st.one_of(plain_row, row), min_size=1, max_size=8))
def test_the_sieve_passes_only_what_the_rule_accepts(indicators, computed_indicator, rows):
    """The column-by-column sieve only lets certainly good rows skip the one rule
    (kpis/validity.py): a file gives the same problems, or the same values to store, with the
    sieve as when every row goes through the rule."""
    sieved, every_row = with_and_without_the_sieve(rows)
    assert sieved == every_row


def with_and_without_the_sieve(rows: list[dict]) -> list:
    """The problems (or the values to store) of checking with the sieve, then with every row
    through the rule; cells a row leaves out are those of GOOD."""
    data = csv_bytes(COLUMNS, [[{**GOOD, **r}[c] for c in COLUMNS] for r in rows])
    outcomes = []
    for vectorised in (True, False):
        try:
            plan = measurements_check(
                read_table(io.BytesIO(data), "values.csv"), vectorised=vectorised
            )
        except TableImportError as error:
            outcomes.append([str(problem) for problem in error.problems])
        else:
            rows = plan.rows.astype(object).where(plan.rows.notna(), None)
            outcomes.append(rows.to_dict("records"))
    return outcomes


PERCENT = {"indicator_code": "EHCP_20WK"}


@pytest.mark.parametrize(
    "rows",
    [
        [{**PERCENT, "value": "25.1", "numerator": "10", "denominator": "40"}],  # 0.1 off: fine
        [{**PERCENT, "value": "25.2", "numerator": "10", "denominator": "40"}],  # 0.2 off
        [{**PERCENT, "value": "100.0001"}, {**PERCENT, "value": "100", "area": "england"}],
        [{"period_start": "0000-01-01"}, {"period_start": "2026-02-30", "area": "england"}],
        [{"period_start": "2026-01-01"}, {"period_start": "2026-01-01T00:00"}],  # the same key
        [{"period_start": "2026-01-01T00:00"}, {"period_start": "2026-01-01"}],
        [
            {"value": "12%"},
            {"value": " 1,234 ", "area": "england"},
            {"value": "-0", "area": "region"},
        ],
        [{"indicator_code": "AUDIT_GOOD"}, {"indicator_code": "audit_good", "area": "la:873"}],
        [{"period_label": "x" * 61}, {"period_end": "9999-12-31", "area": "england"}],
        [{"value": "99999999999"}, {"value": "100000000000", "area": "england"}],
        [{"value": "99999999999.9996"}, {"value": "55.5555", "area": "england"}],  # rounded
        [{"numerator": "-1"}, {"numerator": "-0", "area": "england"}],
    ],
)
def test_the_sieve_passes_only_what_the_rule_accepts_at_the_edges(
    indicators, computed_indicator, rows
):
    sieved, every_row = with_and_without_the_sieve(rows)
    assert sieved == every_row
