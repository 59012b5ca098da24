"""The registry of published tables: every entry consistent, and every indicator it feeds in
the shipped catalogue."""

import json

import pytest

from benchmarks.registry import EES_COLUMNS, RegistryError, feed_for, tables
from kpis.catalogue import CATALOGUE

REQUIRED_TABLES = {
    "timeliness_20_week",
    "annual_reviews",
    "requests",
    "assessments",
    "caseload",
    "ceased_plans",
    "personal_budgets",
}


def test_the_tables_of_the_ehcp_release_are_shipped():
    assert set(tables()) >= REQUIRED_TABLES
    for table in tables().values():
        assert table.publication.title == "Education, health and care plans"
        assert table.feeds, f"{table.key} feeds no indicator"


def test_every_fed_indicator_is_in_the_shipped_catalogue():
    shipped = {entry["code"]: entry for entry in json.loads(CATALOGUE.read_text())}
    for table in tables().values():
        for feed in table.feeds:
            assert feed.code in shipped, feed.code
            if feed.numerator:
                assert shipped[feed.code]["unit"] == "percentage", feed.code


def test_the_headline_20_week_measure_excludes_exceptions_and_the_two_never_mix():
    table, headline = feed_for("EHCP_20WK")
    assert table.key == "timeliness_20_week"
    assert headline.columns == (
        "pc_plans_issued_20_weeks_ex",
        "plans_issued_20_weeks_ex",
        "plans_issued_den_ex",
    )
    _, including = feed_for("EHCP_20WK_INCL")
    assert including.columns == (
        "pc_plans_issued_within_20_weeks",
        "plans_issued_within_20_weeks",
        "plans_issued_den",
    )


def registry(tmp_path, feed: dict) -> None:
    path = tmp_path / "sources.json"
    path.write_text(
        json.dumps(
            {
                "publications": {"p": {"title": "T", "publisher": "DfE", "download": "https://x"}},
                "tables": [
                    {
                        "key": "t",
                        "publication": "p",
                        "title": "T",
                        "file_hint": "t.csv",
                        "measures": ["a", "a_ex", "b_ex"],
                        "indicators": [feed],
                    }
                ],
            }
        )
    )
    tables.__wrapped__(path)


def test_a_feed_that_mixes_with_and_without_exceptions_is_refused(tmp_path):
    with pytest.raises(RegistryError, match="mixes columns with and without exceptions"):
        registry(
            tmp_path,
            {"code": "X", "value": "a", "numerator": "a_ex", "denominator": [], "unit": "count"},
        )


def test_a_feed_of_a_column_the_table_has_not_is_refused(tmp_path):
    with pytest.raises(RegistryError, match="reads columns it does not have"):
        registry(tmp_path, {"code": "X", "value": "c", "unit": "count"})


def test_the_standard_columns_are_the_published_twelve():
    assert len(EES_COLUMNS) == 12


def test_every_feed_has_the_unit_of_its_catalogue_indicator():
    shipped = {entry["code"]: entry for entry in json.loads(CATALOGUE.read_text())}
    for table in tables().values():
        for feed in table.feeds:
            assert feed.unit == shipped[feed.code]["unit"], feed.code
