"""Plans register imports given random and malicious values: valid stored plans, or problems
naming a row or column and nothing saved. Never an unhandled error."""

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audits.models import Plan
from audits.plan_import import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, PlanImportError, plans_import
from send_qa.core.tables import read_table
from tests.strategies import checked, csv_bytes, encodings, nasty_text

pytestmark = pytest.mark.django_db

COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
CHECKED = checked(80)
GOOD = {
    "case_reference": "EHC1",
    "primary_need": "ASD",
    "placement_type": "mainstream",
    "age_band": "5-10",
    "year_group": "R",
    "setting_name": "Oakfield",
    "team": "",
    "caseworker_email": "",
    "assessment_requested": "2025-01-31",
    "plan_issued": "31/03/2025",
    "last_annual_review": "",
    "next_review_due": "",
    "active": "yes",
}


def import_or_refuse(rows: list[dict], encoding: str = "utf-8") -> None:
    data = csv_bytes(COLUMNS, [[r[c] for c in COLUMNS] for r in rows], encoding=encoding)
    before = list(Plan.objects.order_by("pk").values())
    try:
        plans_import(read_table(io.BytesIO(data), "plans.csv"))
    except PlanImportError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.row is not None or problem.column or "plans.csv" in problem.message
        assert list(Plan.objects.order_by("pk").values()) == before
        return
    for plan in Plan.objects.all():
        plan.full_clean()


row = st.fixed_dictionaries(
    {column: st.one_of(st.just(GOOD[column]), nasty_text()) for column in COLUMNS}
)


@CHECKED
@given(rows=st.lists(row, min_size=1, max_size=4), encoding=encodings())
def test_any_plans_are_imported_validly_or_refused(rows, encoding):
    import_or_refuse(rows, encoding)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("case_reference", "E" * 500),
        ("case_reference", "<script>alert(1)</script>"),
        ("case_reference", '=HYPERLINK("http://x","y")'),
        ("setting_name", "x" * 5000),
        ("assessment_requested", "0000-01-01"),
        ("assessment_requested", "9999-12-31"),
        ("plan_issued", "31/02/2025"),
        ("plan_issued", "2025-02-31 00:00:00"),
        ("next_review_due", "1e309"),
        ("caseworker_email", "x" * 400 + "@example.org"),
        ("team", "<img src=x onerror=alert(1)>"),
        ("year_group", "NaN"),
    ],
)
def test_edge_values_are_imported_validly_or_refused(column, value):
    import_or_refuse([{**GOOD, column: value}])
