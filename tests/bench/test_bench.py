"""The benchmark suite's own code, run on a tiny county so that `make bench` cannot rot: every
key page opens, within the query budget, and the jobs it times do their work."""

import csv
import re

import pytest
from django.urls import reverse

from audits.models import Answer, Audit, Plan
from bench import county as county_module
from bench import measure, published
from benchmarks.models import Authority, Neighbour, OwnArea, PublishedRow
from benchmarks.registry import EES_COLUMNS, table_for
from kpis.comparators import PUBLISHED_NOTE
from kpis.models import Comparator, Indicator, Measurement
from tests.conftest import built_once
from tests.exports import csv_table
from wsoa.models import Action, ProgressUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def county(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module; each test's changes to it are rolled back after the test."""
    folder = tmp_path_factory.mktemp("county")
    yield from built_once(
        django_db_blocker, lambda: county_module.build(scale=0.003, folder=folder)
    )


def test_the_county_holds_five_years_of_scored_audits_and_the_other_volumes(county):
    from django.db.models import Count

    from send_qa.core.models import Period

    scale = 0.003
    assert Plan.objects.count() >= round(county_module.PLANS * scale)
    terms = Period.objects.terms().filter(audits__isnull=False).distinct()
    assert terms.count() >= county_module.YEARS * 3
    oldest = terms.order_by("start").first()
    audits = Audit.objects.filter(term=oldest).annotate(answered=Count("answers"))
    assert audits.count() == round(county_module.AUDITS_PER_YEAR * scale) // 3
    for audit in audits:
        assert audit.status == Audit.Status.SUBMITTED and audit.answered > 0
        assert audit.percent is not None and audit.grade, "scored by the real rules"
    per_indicator = county_module.PERIODS * len(county_module.AREAS)
    # Beside them, the own area's published figures of the indicators the portal does not
    # calculate (kpis.comparators.published_values_write).
    made = Measurement.objects.exclude(source_note__startswith=PUBLISHED_NOTE)
    assert made.count() == Indicator.objects.count() * per_indicator
    assert ProgressUpdate.objects.count() >= Action.objects.count()
    assert county.counts["answers"] == Answer.objects.count()


def test_every_key_page_opens_within_the_query_budget(county):
    results = measure.pages(county, repeat=1)
    assert len(results) == len(measure.key_pages(county))
    for page in results:
        assert 0 < page.queries <= 25, page
        assert page.median_ms > 0 and page.p95_ms >= page.median_ms


def test_the_import_and_copy_timings_load_the_same_rows(county):
    portal, floor, into_table = measure.kpi_import(300)
    assert portal.detail == "300 added"
    assert Measurement.objects.filter(area__startswith="la:").count() == 300
    assert portal.seconds > 0 and floor.seconds > 0 and into_table.seconds > 0


def test_the_sample_draw_is_timed_on_the_whole_county(county):
    timing = measure.sampling(county)
    drawn, population = timing.detail.removesuffix(" plans").split(" of ")
    assert drawn == "30"
    # The whole county's active plans, less those moderated in the last months.
    assert 30 < int(population.replace(",", "")) <= Plan.objects.filter(is_active=True).count()


def _read(path):
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_dfe_files_are_whole_england_tables_in_the_published_layout(tmp_path):
    files = published.write_files(tmp_path, count=20)
    assert files.own.code == published.OWN_AREA[0] and len(files.authorities) == 20
    for path, key in (
        (files.annual_reviews, "annual_reviews"),
        (files.timeliness, "timeliness_20_week"),
    ):
        rows = _read(path)
        assert len(rows) == files.rows[key]
        assert table_for(list(rows[0])).key == key
        assert list(rows[0])[: len(EES_COLUMNS)] == list(EES_COLUMNS)
        assert {r["time_period"] for r in rows} == {str(y) for y in range(2018, 2025)}
        levels = {r["geographic_level"] for r in rows}
        assert levels == {"National", "Regional", "Local authority"}
        local = [r for r in rows if r["geographic_level"] == "Local authority"]
        assert all(re.fullmatch(r"E(06|08|09|10)\d{6}", r["new_la_code"]) for r in local)
        assert all(re.fullmatch(r"\d{3}", r["old_la_code"]) for r in local)
        regions = {r["region_code"] for r in rows if r["geographic_level"] == "Regional"}
        assert regions == {r["region_code"] for r in local} and regions <= {
            code for code, _, _ in published.REGIONS
        }
    rows = _read(files.annual_reviews)
    breakdowns = {(r["breakdown_topic"], r["breakdown"]) for r in rows}
    assert ("All annual reviews", "All annual reviews") in breakdowns
    assert {"Aged 2 and under", "Aged 25", "Female", "Less than a year"} <= {
        b for _, b in breakdowns
    }
    assert len(breakdowns) == len(published.ANNUAL_REVIEW_BREAKDOWNS) > 35
    cells = [r[m] for r in rows for m in list(r)[len(EES_COLUMNS) :]]
    assert "x" in cells and "c" in cells
    # England's figure is the sum of the authorities', as the DfE publishes it.
    headline = [
        r for r in rows if r["time_period"] == "2024" and r["breakdown"] == "All annual reviews"
    ]
    england = next(r for r in headline if r["geographic_level"] == "National")
    local = [r for r in headline if r["geographic_level"] == "Local authority"]
    assert int(england["total_ehc_plans"]) == sum(int(r["total_ehc_plans"]) for r in local)


def test_the_dfe_import_is_timed_and_importing_again_changes_nothing(county):
    own = OwnArea.objects.get().authority
    assert own.code == published.OWN_AREA[0]
    assert Neighbour.objects.filter(authority=own).count() == published.NEIGHBOURS
    made = {place.code for place in county.dfe_files.authorities}
    assert made <= set(Authority.objects.local_authorities().values_list("code", flat=True))
    assert (
        PublishedRow.objects.filter(source="timeliness_20_week").count()
        == (county.dfe_files.rows["timeliness_20_week"])
    )
    built = Comparator.objects.headline().filter(indicator__code="EHCP_20WK")
    assert built.count() == len(published.YEARS)
    assert all(c.neighbours_listed == published.NEIGHBOURS for c in built)
    assert any(c.rank for c in built)
    imported, worked_out, again = measure.dfe_import(county)
    rows = county.dfe_files.rows["annual_reviews"]
    assert imported.detail.endswith(f"; {rows:,} added")
    assert PublishedRow.objects.filter(source="annual_reviews").count() == rows
    assert again.detail == f"changed nothing: {rows:,} rows unchanged"
    assert Comparator.objects.headline().filter(indicator__code="AR_DECISION_4WK").count() == (
        len(published.YEARS)
    )
    assert worked_out.detail == f"{Comparator.objects.count():,} stored"
    assert imported.seconds > 0 and worked_out.seconds > 0 and again.seconds > 0


def test_the_pages_with_comparators_run_the_same_queries_with_the_whole_table(county):
    before = measure.pages(county, repeat=1, which=measure.comparator_pages)
    measure.dfe_import(county)
    after = measure.pages(county, repeat=1, which=measure.comparator_pages)
    assert len(after) == len(measure.comparator_pages(county))
    for small, whole in zip(before, after, strict=True):
        assert 0 < whole.queries <= 25, whole
        assert whole.queries == small.queries, (small, whole)
    # The export the benchmark times carries the comparators: one row per published year.
    url = reverse("kpis:benchmark_export_csv", kwargs={"code": county.compared_indicator_code})
    response = measure.signed_in(county.users["sendops@demo.invalid"]).get(url)
    exported = csv_table(response)
    assert len(exported) == 1 + len(published.YEARS)
    assert {row[1] for row in exported[1:]} == {published.OWN_AREA[0]}
    quartiles = [row[-1] for row in exported[1:]]
    assert set(quartiles) <= {"A", "B", "C", "D", ""} and any(quartiles)


def test_the_nearest_rank_percentile():
    samples = [float(n) for n in range(1, 101)]
    assert measure.percentile(samples, 0.95) == 95.0
    assert measure.percentile([3.0, 1.0, 2.0], 0.5) == 2.0
    assert measure.percentile([7.0], 0.95) == 7.0


WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8000/scorecard/
  1 threads and 12 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    80.12ms   10.01ms 200.00ms   99.99%
    Req/Sec   150.00     20.00   200.00     70.00%
  Latency Distribution
     50%   78.00ms
     75%   85.00ms
     90%   95.00ms
     99%    1.20s{space}
  1500 requests in 10.00s, 30.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    149.95
Transfer/sec:      3.00MB
95th percentile: 310500us
""".format(space=" ")  # wrk pads a figure in seconds with a space


def test_the_load_test_reads_throughput_errors_and_latency_from_wrk():
    from bench.load import parse_wrk

    result = parse_wrk("Scorecard", WRK_OUTPUT)
    assert result.requests_per_second == 149.95 and result.requests == 1500
    assert result.errors == 7  # 4 error answers, 3 socket errors
    assert result.p95_ms == 310.5
    assert result.p99_ms == 1200.0
    clean = WRK_OUTPUT.replace("  Socket errors: connect 0, read 2, write 0, timeout 1\n", "")
    assert parse_wrk("Scorecard", clean.replace("Non-2xx or 3xx responses: 4\n", "")).errors == 0
