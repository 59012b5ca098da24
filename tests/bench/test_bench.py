"""The benchmark suite's own code, run on a tiny county so that `make bench` cannot rot: every
key page opens, within the query budget, and the jobs it times do their work; and the pure
rules of its verdict (percentiles, the median of rounds, growth, the table, the exit status)."""

import csv
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from audits.models import Answer, Audit, Plan
from bench import county as county_module
from bench import measure, published, targets
from bench.targets import Check
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


def test_every_key_page_opens_within_the_query_budget_cold_and_warm(county):
    results = measure.pages(county, repeat=1, rounds=1)
    assert len(results) == len(measure.key_pages(county))
    for page in results:
        assert 0 < page.queries <= 25, page
        assert 0 < page.cold_queries <= 25, page
        assert page.cold_p95_ms > 0 and page.warm_p95_ms > 0 and page.trivial_p95_ms > 0


def test_a_cold_sample_finds_the_caches_cleared_and_the_figure_is_the_median_round(county):
    scorecard = [p for p in measure.key_pages(county) if p[0] == "KPI scorecard (SENDOPS)"]
    [page] = measure.pages(county, repeat=3, rounds=3, which=lambda _: scorecard)
    # Warm, the scorecard's tables come from the cache; cold, they are built from the data.
    assert page.cold_queries > page.queries
    assert page.samples == 3 and len(page.rounds) == 3
    for key in ("cold_p95_ms", "warm_p95_ms", "trivial_p95_ms"):
        assert getattr(page, key) == sorted(r[key] for r in page.rounds)[1]


def test_a_cold_sample_is_built_afresh_after_a_new_kpi_data_version(county):
    from kpis.cache import data_version

    before = data_version()
    measure.caches_clear()
    assert data_version() != before


def test_the_finished_term_findings_page_names_a_term_with_submitted_audits(county):
    from send_qa.core.models import Period

    pages = {name: url for name, _, url in measure.key_pages(county)}
    url = pages["Findings, a finished term"]
    term = Period.objects.get(uuid=url.split("term=")[1])
    assert term.end < timezone.localdate()
    assert Audit.objects.filter(term=term, status=Audit.Status.SUBMITTED).count() > 1
    response = measure.signed_in(county.users["sendops@demo.invalid"]).get(url)
    assert term.name in response.content.decode()


def test_the_load_test_signs_in_several_roles_and_every_page_answers_them(county):
    from bench.load import COLD_SCORECARD, load_pages

    pages = load_pages(county)
    assert pages[0][2] == measure.TRIVIAL and len(pages) > 3
    assert {name for name, _, _ in pages} >= {COLD_SCORECARD, "Findings, a finished term (SENDOPS)"}
    roles = {role for _, who, _ in pages for role in county.users[who].roles}
    assert len(roles) >= 4
    with override_settings(ROOT_URLCONF="bench.urls"):
        for name, who, path in pages:
            response = measure.signed_in(county.users[who]).get(path)
            assert response.status_code == 200, (name, who)


def test_a_scorecards_share_is_the_median_round_each_beside_its_own_trivial_run(monkeypatch):
    from bench import load

    # Three rounds in which the trivial page's own throughput moves, as it does over a run.
    served = iter(
        [("trivial", 600), ("page", 180), ("trivial", 400), ("page", 160)]
        + [("trivial", 500), ("page", 200)]
    )
    asked = []

    def alone(name, url, cookie, *, connections, seconds):
        expected, rate = next(served)
        asked.append((name, expected))
        return load.LoadResult(name, rate, rate * seconds, 0, 10.0, 20.0)

    monkeypatch.setattr(load, "_alone", alone)
    trivial = ("Trivial Django page", "w", "/t", "c")
    result = load._beside_trivial(
        trivial, (load.COLD_SCORECARD, "w", "/s", "c"), connections=5, seconds=1
    )
    assert [expected for _, expected in asked] == ["trivial", "page"] * 3
    assert [name for name, _ in asked][1::2] == [load.COLD_SCORECARD] * 3
    assert result.shares == [0.3, 0.4, 0.4]
    # The median share is 0.4, of the round whose trivial run served 400 a second (the first
    # round of that share): not the best trivial run's 0.3, nor the best page's.
    assert result.share == 0.4 and result.trivial_per_second == 400
    assert result.requests_per_second == 160


def test_the_median_round_of_an_even_number_is_the_lower_middle_one():
    from bench.load import LoadResult, median_round

    rounds = [
        LoadResult(str(n), 1, 1, 0, 1, 1, share=share) for n, share in enumerate([4, 1, 3, 2])
    ]
    assert median_round(rounds).share == 2


def test_the_version_bumper_makes_a_new_kpi_data_version_while_it_runs(monkeypatch):
    import time

    from bench import load
    from kpis.cache import data_version

    monkeypatch.setattr(load, "BUMP_SECONDS", 0.01)
    before = data_version()
    with load.VersionBumper() as bumper:
        time.sleep(0.2)
    assert bumper.bumps > 1 and data_version() != before
    stopped = data_version()
    time.sleep(0.05)
    assert data_version() == stopped


def test_the_import_paths_time_new_and_changed_rows_beside_the_floor_and_leave_nothing(county):
    before = (Measurement.objects.count(), Measurement.history.count())
    timings = measure.kpi_import_paths(county, rows=300)
    names = [timing.name for timing in timings]
    assert names[2:] == [
        "KPI import, 300 new rows",
        "KPI import, 300 changed values",
        "Web import, 300 new rows",
        "Web import, 300 changed values",
    ]
    assert "300 added, 0 updated" in timings[2].detail
    assert "0 added, 300 updated" in timings[3].detail
    assert "300 added" in timings[4].detail and "300 updated" in timings[5].detail
    assert all(timing.seconds > 0 for timing in timings)
    assert (Measurement.objects.count(), Measurement.history.count()) == before


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
    assert measure.percentile(list(reversed(samples)), 0.95) == 95.0
    assert measure.percentile([3.0, 1.0, 2.0], 0.5) == 2.0
    assert measure.percentile([7.0], 0.95) == 7.0
    assert measure.percentile([1.0] * 94 + [50.0] * 6, 0.95) == 50.0


def test_a_page_s_figure_is_the_median_of_its_rounds():
    assert measure.median_of_rounds([30.0, 10.0, 20.0]) == 20.0
    assert measure.median_of_rounds([10.0, 200.0, 12.0]) == 12.0  # one slow round does not set it
    assert measure.median_of_rounds([5.0]) == 5.0
    with pytest.raises(ValueError):
        measure.median_of_rounds([])


def test_growth_is_the_large_county_s_time_over_the_small_one_s():
    assert measure.growth_ratio(10.0, 25.0) == 2.5
    assert measure.growth_ratio(20.0, 10.0) == 0.5


def test_the_growth_target_is_for_pages_that_show_a_bounded_amount_of_data(county):
    names = {name for name, _, _ in measure.key_pages(county)}
    assert names >= measure.GROWS_WITH_COUNTY
    page = measure.PageResult("Findings", "/", 1, 1, 1, 1, 1, 1, 1, 1)
    assert page.bounded
    assert not measure.PageResult("WSOA tracker", "/", 1, 1, 1, 1, 1, 1, 1, 1).bounded


def test_a_check_meets_its_target_by_its_rule_and_gives_the_ratio():
    assert Check("p95", 150.0, "<=", 150, "ms").meets
    assert not Check("p95", 150.1, "<=", 150, "ms").meets
    assert not Check("growth", 2.0, "<", 2, "x").meets
    assert Check("growth", 1.9, "<", 2, "x").meets
    assert Check("share", 0.34, ">=", 0.33).meets
    assert not Check("share", 0.2, ">=", 0.33).meets
    assert Check("p95", 300.0, "<=", 150, "ms").ratio == 2.0
    assert Check("errors", 0, "<=", 0).ratio is None and Check("errors", 0, "<=", 0).meets
    assert not Check("errors", 3, "<=", 0).meets


def test_the_verdict_table_shows_target_figure_ratio_and_the_verdict_in_words():
    table = targets.verdict_table(
        [
            Check("Findings: p95 cold", 180.0, "<=", 150, "ms"),
            Check("Findings: p95 warm", 75.0, "<=", 150, "ms"),
            Check("Load: errors", 0, "<=", 0),
        ]
    )
    lines = table.splitlines()
    assert lines[0].split() == ["what", "target", "figure", "ratio", "verdict"]
    assert re.search(r"Findings: p95 cold\s+<= 150 ms\s+180 ms\s+1\.20\s+MISSES$", lines[1])
    assert re.search(r"Findings: p95 warm\s+<= 150 ms\s+75 ms\s+0\.50\s+meets$", lines[2])
    assert re.search(r"Load: errors\s+<= 0\s+0\s+-\s+meets$", lines[3])
    assert lines[-1] == "2 of 3 targets met, 1 missed."


def test_the_bench_exits_non_zero_when_any_target_is_missed():
    met, missed = Check("a", 1.0, "<=", 2), Check("b", 3.0, "<=", 2)
    assert targets.exit_status([met, met]) == 0
    assert targets.exit_status([met, missed]) == 1
    assert targets.exit_status([missed]) == 1


def test_the_commit_is_quoted_with_whether_the_tree_was_dirty():
    assert targets.commit_described("abc123", "") == "abc123 (clean tree)"
    assert targets.commit_described("abc123", " M bench/load.py\n") == (
        "abc123 (dirty: uncommitted changes)"
    )
    assert len(targets.load_average().split()) == 3


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


def test_the_county_logs_its_peoples_events_in_proportion_and_the_log_is_searched(county):
    """The benchmark county's access log: a million events at scale 1, in proportion otherwise,
    by its people and of its records, for the access log's pages to be searched and paged. (On
    the module's county: a county of its own cost a second build, and its ANALYZE waited for
    this module's county to be rolled back when the two ran at once on the two workers.)"""
    from django.db.models import Count

    from send_qa.core.models import AccessEvent

    scale = 0.003
    written = AccessEvent.objects.exclude(address=None)  # the bench's, not the seeding's
    assert written.count() == round(county_module.ACCESS_EVENTS * scale)
    kinds = dict(written.values_list("kind").annotate(n=Count("pk")))
    assert kinds["record_viewed"] > kinds["sign_in_failed"] > 0
    viewed = written.filter(kind=AccessEvent.Kind.RECORD_VIEWED)
    records = {str(u) for u in Audit.objects.values_list("uuid", flat=True)}
    records |= {str(u) for u in Plan.objects.values_list("uuid", flat=True)}
    assert set(viewed.values_list("reference", flat=True)) <= records
    assert not written.filter(kind=AccessEvent.Kind.SIGN_IN_FAILED, username="").exists()
    pages = {name: url for name, _, url in measure.key_pages(county)}
    assert pages["Access log, search by person"].endswith("?person=auditor%40demo")
    assert "before=" in pages["Access log, unfiltered, halfway down"]
    record = pages["Access log, search by record"].split("record=")[1]
    assert viewed.filter(reference=record).exists()
