"""Importing DfE explore-education-statistics files exactly as published."""

import datetime
from decimal import Decimal

import pytest

from benchmarks.ees import dfe_file_check, dfe_file_import, dfe_file_save
from benchmarks.lineage import lineage_load
from benchmarks.markers import Status
from benchmarks.models import Authority, Import, Level, Lineage, PublishedRow
from benchmarks.registry import is_headline, tables
from send_qa.core.tables import TableImportError, read_table
from tests.benchmarks.layouts import (
    ANNUAL_REVIEWS_EXCERPT,
    ENGLAND,
    SOUTH_EAST,
    WEST_SUSSEX,
    as_file,
    ees_csv,
    local_authority,
)

pytestmark = pytest.mark.django_db


def check(content: bytes, *, source: str | None = None, name: str = "file.csv"):
    return dfe_file_check(
        read_table(as_file(content), name), file_name=name, sha256="0" * 64, source=source
    )


def save(content: bytes, **kwargs):
    return dfe_file_save(check(content, **kwargs))


def problems_of(content: bytes, **kwargs) -> list[str]:
    with pytest.raises(TableImportError) as error:
        check(content, **kwargs)
    return [str(p) for p in error.value.problems]


def test_the_published_excerpt_goes_in_as_downloaded(people):
    plan, record = dfe_file_import(ANNUAL_REVIEWS_EXCERPT, by=people["sendops"])
    assert plan.table.key == "annual_reviews"
    assert (record.rows_read, record.rows_added, record.rows_changed) == (19, 19, 0)
    assert record.source == "annual_reviews"
    assert len(record.sha256) == 64 and record.imported_by == people["sendops"]
    west_sussex = Authority.objects.get(code="E10000032")
    assert (west_sussex.old_code, west_sussex.name, west_sussex.level) == (
        "938",
        "West Sussex",
        Level.LOCAL_AUTHORITY,
    )
    assert west_sussex.region.code == "E12000008"
    assert west_sussex.region.name == "South East"
    assert Authority.objects.get(code="E92000001").level == Level.NATIONAL
    assert Authority.objects.get(code="E06000053").region.code == "E12000009"
    england = PublishedRow.objects.get(authority__code="E92000001", headline=True)
    assert england.period_start == datetime.date(2024, 1, 1)
    assert england.period_end == datetime.date(2024, 12, 31)
    assert england.cell("pc_decsion_4weeks") == (Decimal("44.4"), "")
    assert england.cell("total_review_meeting") == (Decimal("453761"), "")
    aged_3 = PublishedRow.objects.get(authority=west_sussex, breakdown="Aged 3")
    assert not aged_3.headline
    assert aged_3.cell("pc_decsion_4weeks") == (None, Status.NOT_AVAILABLE)
    assert aged_3.cell("pc_decision_gt_4weeks") == (Decimal("100"), "")


def test_reimporting_the_same_release_changes_nothing():
    dfe_file_import(ANNUAL_REVIEWS_EXCERPT)
    before = list(PublishedRow.history.values_list("history_id", flat=True))
    plan, record = dfe_file_import(ANNUAL_REVIEWS_EXCERPT)
    assert (record.rows_added, record.rows_changed, record.rows_unchanged) == (0, 0, 19)
    assert record.changed_nothing and record.progress == Import.Progress.DONE
    assert list(PublishedRow.history.values_list("history_id", flat=True)) == before
    assert PublishedRow.objects.count() == 19


def test_a_newer_release_updates_values_and_keeps_the_old_in_the_history():
    first = ees_csv("annual_reviews", [(WEST_SUSSEX, {"pc_decsion_4weeks": "31.9"})])
    revised = ees_csv("annual_reviews", [(WEST_SUSSEX, {"pc_decsion_4weeks": "33.1"})])
    save(first)
    plan = check(revised)
    assert (plan.added, plan.changed, plan.unchanged) == (0, 1, 0)
    dfe_file_save(plan)
    row = PublishedRow.objects.get()
    assert row.cell("pc_decsion_4weeks").value == Decimal("33.1")
    kept = [h.cells["pc_decsion_4weeks"] for h in row.history.order_by("history_date")]
    assert kept == ["31.9", "33.1"]


@pytest.mark.parametrize("marker", ["x", "c", "z", "low", "u"])
def test_every_dfe_marker_is_kept_beside_the_value(marker):
    save(ees_csv("timeliness_20_week", [(ENGLAND, {"pc_plans_issued_20_weeks_ex": marker})]))
    cell = PublishedRow.objects.get().cell("pc_plans_issued_20_weeks_ex")
    assert cell.value is None
    assert cell.status == Status(marker)


def test_a_value_that_is_neither_a_number_nor_a_marker_is_named():
    problems = problems_of(
        ees_csv("timeliness_20_week", [(ENGLAND, {}), (ENGLAND, {"avg_weeks_issue_plan": "n/a"})])
    )
    assert problems == [
        "Row 3, column 'avg_weeks_issue_plan': \"n/a\" is neither a number nor one of the DfE's "
        "markers (x not available, c confidential, z not applicable, low, u low reliability). "
        "Correct the cell as published."
    ]
    assert PublishedRow.objects.count() == 0


def test_headings_of_no_known_table_are_refused_with_the_expected_headings():
    content = ees_csv("requests", [(ENGLAND, {})]).replace(b"requests_rya", b"requests_ryx")
    (problem,) = problems_of(content)
    assert problem.startswith("The headings do not match a table the portal knows.")
    assert "requests (requests_received_in_year, requests_rya," in problem
    (named,) = problems_of(content, source="requests")
    assert named.startswith(
        "The headings do not match the table requests: the file has no column requests_rya; "
        "the table has no column requests_ryx."
    )


def test_a_file_without_the_standard_columns_is_refused():
    (problem,) = problems_of(b"la_code,value\nE10000032,4\n")
    assert "it has no column time_period, time_identifier" in problem


def test_an_unknown_source_key_is_named():
    (problem,) = problems_of(ees_csv("requests", [(ENGLAND, {})]), source="reqs")
    assert problem.startswith('"reqs" is not a table the portal knows: use one of')


@pytest.mark.parametrize(
    ("period", "identifier", "message"),
    [
        ("202324", "Calendar year", '"202324" is not a calendar year: write it as four digits'),
        ("2024", "Academic year", '"2024" is not an academic year: the DfE writes it as'),
        ("202325", "Financial year", '"202325" is not a financial year'),
        ("2024", "Week 3", '"Week 3" is not a time_identifier the portal reads'),
    ],
)
def test_a_period_the_time_identifier_cannot_mean_is_named(period, identifier, message):
    (problem,) = problems_of(
        ees_csv("caseload", [(ENGLAND, {})], period=period, identifier=identifier)
    )
    assert problem.startswith(f"Row 2, column 'time_period': {message}")


@pytest.mark.parametrize(
    ("period", "identifier", "start", "end"),
    [
        ("2024", "Calendar year", datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
        ("202324", "Academic year", datetime.date(2023, 9, 1), datetime.date(2024, 8, 31)),
        ("202324", "Financial year", datetime.date(2023, 4, 1), datetime.date(2024, 3, 31)),
    ],
)
def test_periods_are_read_as_the_file_says_them(period, identifier, start, end):
    save(ees_csv("personal_budgets", [(ENGLAND, {})], period=period, identifier=identifier))
    row = PublishedRow.objects.get()
    assert (row.period_start, row.period_end, row.time_period) == (start, end, period)


def test_a_code_that_is_no_authority_is_named():
    problems = problems_of(
        ees_csv(
            "caseload",
            [
                (local_authority("W06000001", "660", "Anglesey"), {}),
                (local_authority("E10000032", "9380", "West Sussex"), {}),
                (("County", *ENGLAND[1:]), {}),
                (local_authority("E10000032", "938", "West Sussex", region="S12000001"), {}),
            ],
        )
    )
    assert problems == [
        "Row 2, column 'new_la_code': \"W06000001\" is not a local authority's ONS code: use "
        "E06, E08, E09 or E10 and six digits, as published.",
        "Row 3, column 'old_la_code': \"9380\" is not a DfE local authority number (three digits).",
        "Row 4, column 'geographic_level': \"County\" is not a level the portal keeps: use "
        "National, Regional or Local authority.",
        "Row 5, column 'region_code': \"S12000001\" is not a region's ONS code: use E12 and six "
        "digits, as published.",
    ]


def test_a_repeated_row_is_named():
    problems = problems_of(ees_csv("caseload", [(WEST_SUSSEX, {}), (WEST_SUSSEX, {})]))
    assert problems == [
        "Row 3, column 'breakdown': repeats row 2 (same period, area and breakdown). Remove one "
        "of the two rows."
    ]


def test_a_recoded_authority_keeps_its_series_through_the_shipped_lineage():
    successor = Authority.objects.get(code="E06000060")  # Buckinghamshire since April 2020
    assert successor.lineage.get().predecessor_code == "E10000002"
    county = local_authority("E10000002", "825", "Buckinghamshire")
    unitary = local_authority("E06000060", "825", "Buckinghamshire")
    save(ees_csv("caseload", [(county, {"num_caseload": "5001"})], period="2019"))
    save(ees_csv("caseload", [(unitary, {"num_caseload": "5002"})], period="2020"))
    rows = {r.time_period: r for r in PublishedRow.objects.filter(authority=successor)}
    assert set(rows) == {"2019", "2020"}
    assert rows["2019"].published_code == "E10000002"
    assert rows["2020"].published_code == ""
    assert not Authority.objects.filter(code="E10000002").exists()


def test_a_split_authority_keeps_its_own_figures():
    save(ees_csv("caseload", [(local_authority("E10000021", "928", "Northamptonshire"), {})]))
    assert PublishedRow.objects.get().authority.code == "E10000021"
    west = Authority.objects.get(code="E06000062")
    assert west.lineage.get().continues_series is False


def test_the_shipped_lineage_loads_once():
    assert lineage_load() == 0
    Lineage.objects.all().delete()
    assert lineage_load() == Lineage.objects.count() == 12


def test_a_row_with_only_the_old_number_is_read_by_the_known_authority():
    save(ees_csv("caseload", [(WEST_SUSSEX, {})]))
    old_only = local_authority("", "938", "West Sussex")
    save(ees_csv("caseload", [(old_only, {"num_caseload": "9301"})], period="2023"))
    assert PublishedRow.objects.get(time_period="2023").authority.code == "E10000032"


def test_every_registry_table_takes_rows_in_its_layout():
    for key, table in tables().items():
        content = ees_csv(
            key,
            [
                (ENGLAND, dict.fromkeys(table.measures, "1")),
                (SOUTH_EAST, {}),
                (WEST_SUSSEX, {table.measures[0]: "c"}),
                (WEST_SUSSEX, {}, ("Sex", "Female")),
            ],
            headline="All " + key.replace("_", " "),
        )
        plan = check(content)
        assert plan.table.key == key
        record = dfe_file_save(plan)
        assert record.rows_added == 4
    assert PublishedRow.objects.filter(headline=True).count() == 3 * len(tables())


@pytest.mark.parametrize(
    ("topic", "breakdown", "headline"),
    [
        ("All annual reviews", "All annual reviews", True),
        ("All EHC plans", "All EHC plans", True),
        ("Total", "Total", True),
        ("Sex", "Female", False),
        ("Child or young persons age", "All ages", False),
    ],
)
def test_the_all_row_feeds_the_indicators(topic, breakdown, headline):
    assert is_headline(topic, breakdown) is headline
