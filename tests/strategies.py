"""Hypothesis strategies for malicious and malformed input, shared by the import and form
tests."""

import csv
import io
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

NASTY = [
    '=HYPERLINK("http://x","y")',
    "@SUM(1)",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\r\n",
    "\u202e",
    "\ufeff",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "1e309",
    "1e-40",
    "9" * 40,
    "-0",
    "0000-01-01",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "2026-02-31",
    "31/02/2026",
    "00/00/0000",
    "2026-13-01",
    "31 February 2026",
    "Feb 0",
    "Q9 2019/20",
    "x" * 5000,
    "'",
    '"',
    ",",
    "é",
    "",
    " ",
]


def nasty_text(max_size: int = 40) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NASTY),
        st.text(max_size=max_size),
        st.integers(-(10**30), 10**30).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
        st.dates().map(str),
        st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    )


def csv_bytes(header: list[str], rows: list[list[str]], *, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding, errors="replace")


def encodings() -> st.SearchStrategy[str]:
    return st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16"])


def mostly(good: list[str]) -> st.SearchStrategy[str]:
    """Mostly good values, so that the other fields' nasty ones get through to saving."""
    return st.one_of(st.sampled_from(good), st.sampled_from(good), nasty_text())


def assert_stored_valid(*models) -> None:
    """Whatever a form saved passes the model's own checks: nothing malformed got stored."""
    for model in models:
        for row in model.objects.all():
            row.full_clean()


def checked(max_examples: int) -> settings:
    """Hypothesis settings for tests that use the database through function-scoped fixtures:
    no deadline (a page can take a while), and the fixtures are shared by the examples."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )


def assert_one_saved_or_none(model, post):
    """Send a form with `post()`: a redirect must have saved exactly one `model` record, a page
    with errors none. Returns the response."""
    before = model.objects.count()
    response = post()
    assert response.status_code in (200, 302)
    assert model.objects.count() - before == (response.status_code == 302)
    return response


def numbers_near_edges() -> st.SearchStrategy:
    """Decimals as a person would type them, many close to the KPI rules' edges (0, 100, the
    largest number kept, 3 decimal places)."""
    return st.one_of(
        st.sampled_from(
            ["0", "-0", "100", "100.0004", "100.0005", "-0.0004", "99999999999.999"]
        ).map(Decimal),
        st.decimals(min_value=-5, max_value=105, places=4, allow_nan=False),
        st.decimals(min_value=0, max_value=500, places=0, allow_nan=False),
        st.decimals(min_value=10**11 - 1, max_value=10**11 + 1, places=4, allow_nan=False),
    )
