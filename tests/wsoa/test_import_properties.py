"""Action table imports given random and malicious values: valid stored actions, or problems
naming a row or column and nothing saved. Never an unhandled error."""

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import checked, csv_bytes, encodings, nasty_text
from tests.wsoa.factories import ActionPlanFactory
from wsoa.imports import COLUMNS, TableImportError, actions_import, rag_key_from_csv, read_table
from wsoa.models import Action, DueDate, ProgressUpdate, RagKey, Weakness

pytestmark = pytest.mark.django_db

CHECKED = checked(80)
GOOD = {
    "Weakness": "Significant weakness 1: Inaccurate records",
    "Reference": "1.1",
    "Improvement area": "Record keeping",
    "Actions": "Introduce an online EHCP system",
    "Success measure(s)": "Events delivered",
    "Lead": "Assistant Director",
    "Senior responsible officer": "Director of Children's Services",
    "Governance forum": "SEND Development Board",
    "Start": "Sept 2019",
    "Timescale": "July 2020",
    "RAG": "Green",
    "Progress update": "Started",
    "Progress date": "31/03/2021",
}
MODELS = [Weakness, Action, DueDate, ProgressUpdate]


def counts() -> list[int]:
    return [model.objects.count() for model in MODELS]


def import_or_refuse(plan, rows: list[dict], encoding: str = "utf-8") -> None:
    data = csv_bytes(COLUMNS, [[r[c] for c in COLUMNS] for r in rows], encoding=encoding)
    before = counts()
    try:
        actions_import(read_table(io.BytesIO(data), "actions.csv"), plan=plan, by=None)
    except TableImportError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.row is not None or problem.column or "actions.csv" in problem.message
        assert counts() == before
        return
    for model in MODELS:
        for stored in model.objects.all():
            stored.full_clean()


row = st.fixed_dictionaries(
    {column: st.one_of(st.just(GOOD[column]), nasty_text()) for column in COLUMNS}
)


@CHECKED
@given(rows=st.lists(row, min_size=1, max_size=4), encoding=encodings())
def test_any_actions_are_imported_validly_or_refused(rows, encoding):
    import_or_refuse(ActionPlanFactory(), rows, encoding)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("Weakness", "9" * 30),
        ("Weakness", "Significant weakness 70000: too many"),
        ("Weakness", "0: nothing"),
        ("Actions", "<script>alert(1)</script>"),
        ("Lead", "x" * 500),
        ("Senior responsible officer", "x" * 500),
        ("Governance forum", "x" * 500),
        ("Start", "x" * 500),
        ("Timescale", "x" * 500),
        ("Timescale", "31 February 2026"),
        ("Timescale", "30/02/2026"),
        ("Timescale", "Q9 2019/20"),
        ("Timescale", "Dec 0"),
        ("Timescale", "Dec 99999"),
        ("Timescale", "0 December 2019"),
        ("Timescale", "2019/20 2099/00"),
        ("Timescale", "Summer term 99999"),
        ("RAG", '=HYPERLINK("http://x","y")'),
        ("Progress update", "<img src=x onerror=alert(1)>"),
        ("Progress date", "March 2-21"),
        ("Progress date", "31/12/2999"),
    ],
)
def test_edge_values_are_imported_validly_or_refused(column, value):
    import_or_refuse(ActionPlanFactory(), [{**GOOD, column: value}])


@CHECKED
@given(
    rows=st.lists(st.lists(nasty_text(), min_size=0, max_size=6), max_size=4),
    header=st.sampled_from([["name", "definition", "colour", "done"], ["name", "colour"]]),
)
def test_any_rag_key_is_made_validly_or_refused(rows, header):
    before = RagKey.objects.count()
    text = csv_bytes(header, rows).decode()  # rows short or long
    try:
        key = rag_key_from_csv(text, name=f"Key {before}")
    except TableImportError as error:
        assert error.problems and RagKey.objects.count() == before
        return
    for status in key.statuses.all():
        status.full_clean()
