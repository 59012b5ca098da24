"""The benchmark suite's own code, run on a tiny county so that `make bench` cannot rot: every
key page opens, within the query budget, and the jobs it times do their work."""

import pytest

from audits.models import Answer, Audit, Plan
from bench import county as county_module
from bench import measure
from kpis.models import Indicator, Measurement
from wsoa.models import Action, ProgressUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return county_module.build(scale=0.003)


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
    assert Measurement.objects.count() == Indicator.objects.count() * per_indicator
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
     99%    1.20s
  1500 requests in 10.00s, 30.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    149.95
Transfer/sec:      3.00MB
"""


def test_the_load_test_reads_throughput_errors_and_latency_from_wrk():
    from bench.load import parse_wrk

    result = parse_wrk("Scorecard", WRK_OUTPUT)
    assert result.requests_per_second == 149.95 and result.requests == 1500
    assert result.errors == 7  # 4 error answers, 3 socket errors
    assert result.p99_ms == 1200.0
    clean = WRK_OUTPUT.replace("  Socket errors: connect 0, read 2, write 0, timeout 1\n", "")
    assert parse_wrk("Scorecard", clean.replace("Non-2xx or 3xx responses: 4\n", "")).errors == 0
