"""Comparators worked out from published figures, against hand-worked examples."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from benchmarks.ees import dfe_file_check, dfe_file_save
from benchmarks.models import Authority, Import, Neighbour, NeighbourSet, OwnArea
from benchmarks.signals import published_data_changed
from kpis.comparators import (
    PUBLISHED_NOTE,
    comparators_after_import,
    comparators_for_area,
    comparators_refresh,
)
from kpis.models import Comparator, Measurement
from kpis.scorecard import comparisons_used, scorecard_rows
from send_qa.core.tables import read_table
from send_qa.reports.compile import report_html
from send_qa.reports.models import Version
from tests.benchmarks.layouts import (
    ANNUAL_REVIEWS_EXCERPT,
    ENGLAND,
    SOUTH_EAST,
    WEST_SUSSEX,
    as_file,
    ees_csv,
)
from tests.benchmarks.layouts import local_authority as la
from tests.exports import csv_parts, csv_records
from tests.kpis.factories import IndicatorFactory, MeasurementFactory
from tests.reports.factories import a_report

pytestmark = pytest.mark.django_db

# Ten neighbours of West Sussex (codes of the right shape, made up), two with no figure.
NEIGHBOUR_VALUES = ["50", "55", "65", "70", "40", "45", "x", "c", "80", "35"]
NEIGHBOURS = [la(f"E10000{101 + i}", str(801 + i), f"Neighbour {i + 1}") for i in range(10)]
OTHERS = [(la("E06000201", "701", "Other high"), "90"), (la("E06000202", "702", "Other low"), "20")]


def timeliness_file(own: str = "60", *, period: str = "2024") -> bytes:
    rows = [
        (ENGLAND, {"pc_plans_issued_20_weeks_ex": "46.4"}),
        (SOUTH_EAST, {"pc_plans_issued_20_weeks_ex": "50.1"}),
        (
            WEST_SUSSEX,
            {
                "pc_plans_issued_20_weeks_ex": own,
                "plans_issued_20_weeks_ex": "60",
                "plans_issued_den_ex": "100",
                "pc_plans_issued_within_20_weeks": "57.5",
            },
        ),
        (WEST_SUSSEX, {"pc_plans_issued_20_weeks_ex": "c"}, ("Sex", "Female")),
    ]
    rows += [
        (area, {"pc_plans_issued_20_weeks_ex": value})
        for area, value in zip(NEIGHBOURS, NEIGHBOUR_VALUES, strict=True)
    ]
    rows += [(area, {"pc_plans_issued_20_weeks_ex": value}) for area, value in OTHERS]
    return ees_csv("timeliness_20_week", rows, period=period, headline="All EHC plans")


def imported(content: bytes) -> Import:
    plan = dfe_file_check(
        read_table(as_file(content), "timeliness_20_week.csv"),
        file_name="timeliness_20_week.csv",
        sha256="0" * 64,
    )
    return dfe_file_save(plan)


@pytest.fixture
def west_sussex():
    imported(timeliness_file())
    own = Authority.objects.get(code="E10000032")
    found = NeighbourSet.objects.create(name="DfE statistical neighbours", release="2025")
    Neighbour.objects.bulk_create(
        Neighbour(
            neighbour_set=found,
            authority=own,
            neighbour=Authority.objects.get(code=area[5]),
            rank=rank,
            proximity="Close",
        )
        for rank, area in enumerate(NEIGHBOURS, start=1)
    )
    OwnArea.objects.create(authority=own)
    return own


def headline(code: str) -> Comparator:
    return Comparator.objects.get(indicator__code=code, headline=True)


def test_england_region_neighbours_rank_and_quartile_as_worked_by_hand(west_sussex):
    IndicatorFactory(code="EHCP_20WK", polarity="higher")
    comparators_refresh()
    row = headline("EHCP_20WK")
    assert (row.area_code, row.period_label) == ("E10000032", "2024 (calendar year)")
    assert (row.value, row.numerator, row.denominator) == (Decimal(60), 60, 100)
    assert (row.england, row.region, row.region_name) == (
        Decimal("46.4"),
        Decimal("50.1"),
        "South East",
    )
    # 50, 55, 65, 70, 40, 45, 80, 35 have figures: 440 / 8 = 55; middle two 50 and 55.
    assert (row.neighbour_mean, row.neighbour_median) == (Decimal(55), Decimal("52.5"))
    assert (row.neighbours_with_data, row.neighbours_listed) == (8, 10)
    assert row.comparison == "DfE statistical neighbours (2025)"
    # Eleven authorities have a figure; 65, 70, 80 and 90 are better than 60: rank 5, and
    # 5 <= 11/2 is quartile B.
    assert (row.rank, row.of, row.quartile) == (5, 11, "B")


def test_rank_follows_polarity(west_sussex):
    IndicatorFactory(code="EHCP_20WK", polarity="lower")
    comparators_refresh()
    # Lower is better: 50, 55, 40, 45, 35 and 20 are better than 60: rank 7 of 11, and
    # 7 <= 3 x 11 / 4 = 8.25 is quartile C.
    assert (headline("EHCP_20WK").rank, headline("EHCP_20WK").quartile) == (7, "C")


def test_a_marker_is_kept_and_a_breakdown_has_its_own_comparator(west_sussex):
    IndicatorFactory(code="EHCP_20WK")
    comparators_refresh()
    female = Comparator.objects.get(breakdown="Female")
    assert (female.value, female.status, female.rank) == (None, "c", None)
    assert female.england_status == "blank"  # no England row for that breakdown


def test_the_two_timeliness_measures_are_never_mixed(west_sussex):
    IndicatorFactory(code="EHCP_20WK")
    IndicatorFactory(code="EHCP_20WK_INCL", computed=True)
    comparators_refresh()
    assert headline("EHCP_20WK").value == Decimal(60)
    assert headline("EHCP_20WK_INCL").value == Decimal("57.5")


def test_the_published_figure_becomes_the_value_of_an_indicator_the_portal_does_not_calculate(
    west_sussex,
):
    IndicatorFactory(code="EHCP_20WK")
    comparators_refresh()
    value = Measurement.objects.get(indicator__code="EHCP_20WK", area="local")
    assert (value.period_start, value.period_end) == (
        datetime.date(2024, 1, 1),
        datetime.date(2024, 12, 31),
    )
    assert (value.value, value.numerator, value.denominator) == (Decimal(60), 60, 100)
    assert value.source_note.startswith(PUBLISHED_NOTE)
    imported(timeliness_file(own="61"))  # a revised release updates it
    comparators_refresh()
    value.refresh_from_db()
    assert value.value == Decimal(61)


def test_a_value_a_person_entered_is_never_overwritten(west_sussex):
    indicator = IndicatorFactory(code="EHCP_20WK")
    MeasurementFactory(
        indicator=indicator,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        value=Decimal("59.9"),
        numerator=None,
        denominator=None,
        source_note="",
    )
    comparators_refresh()
    assert Measurement.objects.get(indicator=indicator).value == Decimal("59.9")
    assert headline("EHCP_20WK").value == Decimal(60)  # the published figure, beside it


def test_a_calculated_indicator_keeps_the_published_figure_beside_its_own(west_sussex):
    IndicatorFactory(code="EHCP_20WK_INCL", computed=True)
    comparators_refresh()
    assert not Measurement.objects.filter(indicator__code="EHCP_20WK_INCL").exists()
    assert headline("EHCP_20WK_INCL").value == Decimal("57.5")


def test_any_authority_can_be_looked_at(west_sussex):
    indicator = IndicatorFactory(code="EHCP_20WK")
    neighbour = Authority.objects.get(code="E10000104")  # 70: beaten by 80 and 90
    (row, *_) = [c for c in comparators_for_area(indicator, neighbour) if c.headline]
    assert (row.value, row.rank, row.of, row.quartile) == (Decimal(70), 3, 11, "B")
    assert row.neighbours_listed == 0  # no neighbour list of its own
    assert not Comparator.objects.filter(area_code="E10000104").exists()


def test_no_own_area_means_no_comparators(db):
    IndicatorFactory(code="EHCP_20WK")
    imported(timeliness_file())
    assert comparators_refresh() == 0
    assert not Comparator.objects.exists()


def test_an_import_works_out_the_comparators_in_the_background(west_sussex, eager_celery):
    IndicatorFactory(code="EHCP_20WK")
    record = imported(timeliness_file(own="62", period="2023"))
    published_data_changed.send(sender=Import, record=record)
    record.refresh_from_db()
    assert record.progress == Import.Progress.DONE
    assert record.steps_done == record.steps_total > 0
    assert record.steps_total == 1  # the one fed indicator the catalogue holds here, not all nine
    assert "comparators worked out" in record.progress_note
    assert Comparator.objects.filter(period_label="2023 (calendar year)").exists()


def test_the_scorecard_reads_the_stored_comparators(west_sussex):
    indicator = IndicatorFactory(code="EHCP_20WK", polarity="higher")
    comparators_refresh()
    (row,) = scorecard_rows([indicator], as_at=datetime.date(2025, 6, 30))
    assert row.value.text == "60.0%"
    assert not row.compared_elsewhere
    assert {area: shown.text for area, shown in row.benchmarks.items()} == {
        "england": "46.4%",
        "region": "50.1%",
        "statistical_neighbours": "55.0%",
    }
    assert (row.rank.rank, row.rank.out_of, row.rank.quartile) == (5, 11, "B")
    assert comparisons_used([row]) == ["DfE statistical neighbours (2025)"]


def test_a_calculated_termly_indicator_names_the_period_it_is_compared_on(west_sussex):
    indicator = IndicatorFactory(code="EHCP_20WK_INCL", computed=True)
    MeasurementFactory(
        indicator=indicator,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 4, 30),
        value=Decimal("52"),
        numerator=None,
        denominator=None,
    )
    comparators_refresh()
    (row,) = scorecard_rows([indicator], as_at=datetime.date(2025, 6, 30))
    assert row.value.text == "52.0%"
    assert row.compared_elsewhere
    assert row.comparator.period_label == "2024 (calendar year)"
    assert row.published.text == "57.5%"


def test_a_published_marker_is_printed_with_its_meaning(west_sussex):
    imported(timeliness_file(own="x", period="2025"))
    indicator = IndicatorFactory(code="EHCP_20WK")
    comparators_refresh()
    (row,) = scorecard_rows([indicator], as_at=datetime.date(2026, 6, 30))
    assert row.comparator.period_label == "2025 (calendar year)"
    assert row.published.text == "Not available (x)"
    assert row.value.text == "60.0%"  # 2024: the 2025 figure is not available


def value(indicator, start, end, number):
    return MeasurementFactory(
        indicator=indicator,
        period_start=start,
        period_end=end,
        value=Decimal(number),
        numerator=None,
        denominator=None,
    )


def test_direction_never_compares_a_calendar_year_with_an_academic_year(db):
    indicator = IndicatorFactory(code="KPI_YEARS", polarity="higher")
    value(indicator, datetime.date(2023, 1, 1), datetime.date(2023, 12, 31), "50")
    value(indicator, datetime.date(2023, 9, 1), datetime.date(2024, 8, 31), "90")
    value(indicator, datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), "60")
    (row,) = scorecard_rows([indicator], as_at=datetime.date(2025, 1, 31))
    assert row.latest.value == Decimal(60)
    assert row.previous.value == Decimal(50)  # 2023, not the academic year 2023/24
    assert row.direction == "improving"
    assert [m.value for m in row.trend] == [Decimal(50), Decimal(60)]


def test_direction_never_compares_a_term_with_a_year(db):
    indicator = IndicatorFactory(code="KPI_TERMS", polarity="higher")
    value(indicator, datetime.date(2023, 9, 1), datetime.date(2023, 12, 31), "30")
    value(indicator, datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), "70")
    value(indicator, datetime.date(2024, 9, 1), datetime.date(2024, 12, 31), "40")
    (row,) = scorecard_rows([indicator], as_at=datetime.date(2025, 1, 31))
    assert (row.latest.value, row.previous.value) == (Decimal(40), Decimal(30))
    assert row.direction == "improving"


def test_export_benchmarks_writes_one_row_per_period(west_sussex, tmp_path):
    IndicatorFactory(code="EHCP_20WK")
    imported(timeliness_file(own="x", period="2025"))
    comparators_refresh()
    output = tmp_path / "out.csv"
    call_command("export_benchmarks", "ehcp_20wk", "--output", str(output), stdout=io.StringIO())
    lines = output.read_text().splitlines()
    assert lines == [
        "Period,Area code,Area,Value,DfE marker,England,Region,Neighbours' mean,"
        "Neighbours' median,Neighbours with data,Rank,Out of,Quartile",
        "2024 (calendar year),E10000032,West Sussex,60,,46.4,50.1,55,52.5,8 of 10,5,11,B",
        "2025 (calendar year),E10000032,West Sussex,Not available (x),x,46.4,50.1,55,52.5,"
        "8 of 10,,,",
    ]


def test_export_benchmarks_looks_at_any_authority(west_sussex):
    IndicatorFactory(code="EHCP_20WK")
    out = io.StringIO()
    call_command("export_benchmarks", "EHCP_20WK", "--area", "804", stdout=out)
    (header, row) = out.getvalue().splitlines()
    assert row.startswith("2024 (calendar year),E10000104,Neighbour 4,70,,")
    assert row.endswith(",,3,11,B")


def test_export_benchmarks_names_what_is_wrong(west_sussex):
    IndicatorFactory(code="EHCP_20WK")
    with pytest.raises(CommandError, match="There is no indicator NOPE"):
        call_command("export_benchmarks", "NOPE")
    with pytest.raises(CommandError, match="No authority has the code E10009999"):
        call_command("export_benchmarks", "EHCP_20WK", "--area", "E10009999")


def test_the_export_link_downloads_the_same_rows(west_sussex, client_for, people):
    indicator = IndicatorFactory(code="EHCP_20WK")
    comparators_refresh()
    response = client_for(people.board).get(
        reverse("kpis:benchmark_export_csv", args=["EHCP_20WK"])
    )
    assert response.status_code == 200
    about, (header, first, *_) = csv_parts(response)
    assert about[:2] == [f"Published comparators: {indicator.name}", "Area: West Sussex"]
    assert header[:4] == ["Period", "Area code", "Area", "Value"]
    assert first[:5] == ["2024 (calendar year)", "E10000032", "West Sussex", "60", ""]
    other = client_for(people.board).get(
        reverse("kpis:benchmark_export_csv", args=["EHCP_20WK"]), {"area": "E10000104"}
    )
    assert "Neighbour 4" in other.content.decode()
    missing = client_for(people.board).get(
        reverse("kpis:benchmark_export_csv", args=["EHCP_20WK"]), {"area": "E10009999"}
    )
    assert missing.status_code == 404


def test_import_benchmarks_imports_the_published_file_and_works_out_comparators(west_sussex):
    IndicatorFactory(code="AR_HELD", unit="count")
    out = io.StringIO()
    call_command("import_benchmarks", str(ANNUAL_REVIEWS_EXCERPT), stdout=out)
    text = out.getvalue()
    assert "table annual_reviews, 2024): 19 rows added, 0 changed, 0 unchanged" in text
    assert "Worked out" in text
    again = io.StringIO()
    call_command("import_benchmarks", str(ANNUAL_REVIEWS_EXCERPT), stdout=again)
    assert "0 rows added, 0 changed, 19 unchanged" in again.getvalue()
    assert "Nothing changed" in again.getvalue()


def test_import_benchmarks_lists_every_problem(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(ees_csv("caseload", [(ENGLAND, {"num_caseload": "lots"})]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: fix the 1 problem"):
        call_command("import_benchmarks", str(bad), stderr=err)
    assert "Row 2, column 'num_caseload'" in err.getvalue()


def test_the_termly_report_prints_region_rank_quartile_and_the_set_used(west_sussex):
    IndicatorFactory(code="EHCP_20WK", name="New plans on time", oba_category="how_well")
    comparators_refresh()
    printed = report_html(Version(report=a_report("Autumn term 2025/26"), number=1))
    row = re.search(r"<tr>\s*<td>New plans on time.*?</tr>", printed, re.S).group(0)
    cells = [
        re.sub(r"<[^>]+>", " ", c).split() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]
    # Indicator, latest, target, RAG, direction, England, region, neighbours, rank, quartile
    assert cells[5] == ["46.4%"]
    assert cells[6] == ["50.1%"]
    assert cells[7] == ["55.0%", "8", "of", "10", "with", "data"]
    assert cells[8] == ["5", "of", "11"]
    assert cells[9] == ["B"]
    assert "neighbours are DfE statistical neighbours (2025)" in printed


def test_the_scorecard_export_carries_the_published_comparators(west_sussex, client_for, people):
    IndicatorFactory(code="EHCP_20WK")
    comparators_refresh()
    response = client_for(people.board).get(reverse("kpis:export_csv"))
    (exported,) = csv_records(response)
    assert {k: exported[k] for k in ("England", "Region", "Statistical neighbours")} == {
        "England": "46.4",
        "Region": "50.1",
        "Statistical neighbours": "55",
    }
    assert (exported["Rank"], exported["Quartile"]) == ("5 of 11", "B")
    assert exported["Period compared"] == "2024 (calendar year)"
    assert exported["Region name"] == "South East"
    assert exported["Neighbours with data"] == "8 of 10"
    assert exported["Compared with"] == "DfE statistical neighbours (2025)"


def test_an_indicator_whose_unit_is_not_the_published_one_gets_no_comparators(west_sussex):
    IndicatorFactory(code="EHCP_20WK", unit="count")
    record = imported(timeliness_file(period="2023"))
    comparators_after_import(record.pk)
    record.refresh_from_db()
    assert not Comparator.objects.exists()
    assert (
        "EHCP_20WK is counted as count, but the DfE's pc_plans_issued_20_weeks_ex is a "
        "percentage: its comparators are left out." in record.progress_note
    )


@pytest.mark.parametrize("url_name", ["kpis:benchmark_export_csv", "kpis:benchmark_export_xlsx"])
def test_the_benchmark_export_runs_as_many_queries_with_more_published_periods(
    url_name, west_sussex, client_for, people
):
    """Counted on one published year, then on four: a query per period or row would show."""
    from tests.queries import page_queries

    IndicatorFactory(code="EHCP_20WK")
    comparators_refresh()
    client = client_for(people.board)
    url = reverse(url_name, args=["EHCP_20WK"])
    client.get(url)
    one_year = page_queries(client, url)
    for year in ("2021", "2022", "2023"):
        imported(timeliness_file(own="55", period=year))
    comparators_refresh()
    shown = client.get(reverse("kpis:benchmark_export_csv", args=["EHCP_20WK"]))
    assert "2021 (calendar year)" in shown.content.decode()  # the more data is in the export
    assert page_queries(client, url) == one_year
