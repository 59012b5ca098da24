"""What kind of period a value covers."""

import datetime

import pytest

from kpis.periods import period_kind

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "kind"),
    [
        (D(2024, 1, 1), D(2024, 12, 31), "calendar year"),
        (D(2023, 9, 1), D(2024, 8, 31), "academic year"),
        (D(2023, 4, 1), D(2024, 3, 31), "financial year"),
        (D(2023, 4, 6), D(2024, 4, 5), "tax year"),
        (D(2023, 7, 1), D(2024, 6, 30), "year"),
        (D(2024, 9, 1), D(2024, 12, 31), "term or quarter"),
        (D(2024, 1, 1), D(2024, 3, 31), "term or quarter"),
        (D(2024, 2, 1), D(2024, 2, 29), "month"),
        (D(2024, 2, 29), D(2025, 2, 28), "other"),
        (D(2024, 1, 1), D(2024, 6, 30), "half year"),
    ],
)
def test_period_kinds(start, end, kind):
    assert period_kind(start, end) == kind
