"""The scorecard's rows stored per day and indicator (`kpis.scorecard.scorecard_rows_store`):
read they are the rows worked out, they are stored again after every kind of change, an
outdated or missing one is never read, and reading them takes one query at any size."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from kpis.cache import data_changed
from kpis.comparators import comparators_refresh
from kpis.computed import recalculation_run
from kpis.imports import measurements_import, read_table
from kpis.models import Indicator, KpiData, Measurement, StoredScorecardRow, Target
from kpis.scorecard import (
    Row,
    scorecard_rows,
    scorecard_rows_store,
    stored_days,
)
from kpis.services import period_values_save
from send_qa.core.models import Period, ensure_academic_year
from tests.kpis.factories import IndicatorFactory, MeasurementFactory, TargetFactory
from tests.kpis.test_comparators import west_sussex  # noqa: F401  (a fixture)
from tests.queries import page_queries
from tests.strategies import checked

pytestmark = pytest.mark.django_db

PERIODS = [
    (datetime.date(2024, 9, 1), datetime.date(2024, 12, 31), "Autumn 2024"),
    (datetime.date(2025, 1, 1), datetime.date(2025, 4, 30), "Spring 2025"),
    (datetime.date(2024, 9, 1), datetime.date(2025, 8, 31), "2024/25"),
    (datetime.date(2025, 5, 1), datetime.date(2025, 8, 31), "Summer 2025"),
    (datetime.date(2025, 9, 1), datetime.date(2025, 12, 31), "Autumn 2025"),
]
DAYS = [datetime.date(2025, 4, 30), datetime.date(2025, 8, 31), datetime.date(2026, 1, 15)]


def figures(row: Row) -> tuple:
    """Everything a row shows and is judged by (its trend is shown as its chart)."""
    return (
        row.indicator.pk,
        row.latest.pk if row.latest else None,
        row.previous.pk if row.previous else None,
        row.target.pk if row.target else None,
        row.rag,
        row.direction,
        row.value,
        row.benchmarks,
        row.rank,
        row.comparator.pk if row.comparator else None,
        row.published,
        row.sparkline,
        row.standing,
        row.is_exception,
        row.compared_elsewhere,
    )


def worked_out(indicators: list[Indicator], day: datetime.date) -> list[tuple]:
    """The rows as worked out from the values, whatever is stored."""
    StoredScorecardRow.objects.all().delete()
    return [figures(r) for r in scorecard_rows(indicators, as_at=day)]


def read(indicators: list[Indicator], day: datetime.date) -> list[tuple]:
    scorecard_rows_store(on=day)
    return [figures(r) for r in scorecard_rows(indicators, as_at=day)]


value_strategy = st.fixed_dictionaries(
    {
        "period": st.sampled_from(PERIODS),
        "area": st.sampled_from(["local", "local", "england", "region", "la:801", "la:802"]),
        "value": st.integers(0, 100),
        "small": st.booleans(),  # a count of fewer than 5 behind it: withheld
    }
)
indicator_strategy = st.fixed_dictionaries(
    {
        "unit": st.sampled_from(["percentage", "count"]),
        "polarity": st.sampled_from(["higher", "lower"]),
        "target": st.one_of(st.none(), st.integers(0, 100)),
        "values": st.lists(value_strategy, max_size=8),
    }
)


@checked(40)
@given(indicators=st.lists(indicator_strategy, min_size=1, max_size=3), day=st.sampled_from(DAYS))
def test_a_stored_row_is_the_row_worked_out(indicators, day):
    with transaction.atomic():
        made = []
        for spec in indicators:
            indicator = IndicatorFactory(unit=spec["unit"], polarity=spec["polarity"])
            if spec["target"] is not None:
                TargetFactory(
                    indicator=indicator,
                    period_start=datetime.date(2024, 9, 1),
                    period_end=datetime.date(2026, 8, 31),
                    value=Decimal(spec["target"]),
                )
            seen = set()
            for v in spec["values"]:
                start, end, label = v["period"]
                if (start, end, v["area"]) in seen:
                    continue
                seen.add((start, end, v["area"]))
                counts = {"numerator": Decimal(3), "denominator": Decimal(4)} if v["small"] else {}
                MeasurementFactory(
                    indicator=indicator,
                    period_start=start,
                    period_end=end,
                    period_label=label,
                    area=v["area"],
                    value=Decimal(75) if v["small"] else Decimal(v["value"]),
                    **counts,
                )
            made.append(indicator)
        assert read(made, day) == worked_out(made, day)
        transaction.set_rollback(True)


def test_a_row_compared_with_published_figures_is_stored_as_worked_out(west_sussex):  # noqa: F811
    indicator = IndicatorFactory(code="EHCP_20WK", polarity="higher")
    comparators_refresh()
    day = datetime.date(2025, 6, 30)
    stored = read([indicator], day)
    assert stored[0][9] is not None  # compared with the published figures
    assert stored == worked_out([indicator], day)


@pytest.fixture
def two_terms():
    ensure_academic_year(2025)
    indicator = IndicatorFactory(code="AR_ON_TIME", name="Annual reviews on time")
    TargetFactory(
        indicator=indicator,
        period_start=datetime.date(2025, 9, 1),
        period_end=datetime.date(2026, 8, 31),
        value=Decimal(60),
    )
    for start, end, label, number in [
        (datetime.date(2025, 9, 1), datetime.date(2025, 12, 31), "Autumn 2025", "55"),
        (datetime.date(2026, 1, 1), datetime.date(2026, 4, 30), "Spring 2026", "62.5"),
    ]:
        MeasurementFactory(
            indicator=indicator,
            period_start=start,
            period_end=end,
            period_label=label,
            value=Decimal(number),
        )
    return indicator


SPRING_END = datetime.date(2026, 4, 30)


def shown_as_at_spring(indicator: Indicator) -> str:
    (row,) = scorecard_rows([indicator], as_at=SPRING_END)
    return f"{row.value.text} {row.rag}"


def stored_text(indicator: Indicator) -> str:
    """What the row stored as at the end of spring says, if it is current."""
    stored = StoredScorecardRow.objects.get(indicator=indicator, as_at=SPRING_END)
    assert stored.data_version == KpiData.objects.version()
    return f"{Measurement.objects.get(pk=stored.latest_id).value.normalize()} {stored.rag}"


def test_rows_are_stored_for_today_and_the_last_finished_terms(two_terms):
    days = stored_days(on=datetime.date(2026, 5, 10))
    assert days[0] == datetime.date(2026, 5, 10) and SPRING_END in days
    assert days[1] == SPRING_END  # what the scorecard opens on: the last finished term
    assert scorecard_rows_store(on=datetime.date(2026, 5, 10)) == len(days)


def test_a_change_outdates_the_stored_rows_at_once_and_they_are_worked_out(two_terms):
    scorecard_rows_store(on=datetime.date(2026, 5, 10))
    assert shown_as_at_spring(two_terms) == "62.5% green"
    Measurement.objects.filter(period_label="Spring 2026").update(value=Decimal(40))
    # A bulk write says so (kpis.cache.data_changed); until the rows are stored again the
    # stored one names an older version and is not read.
    data_changed()
    assert shown_as_at_spring(two_terms) == "40.0% red"


@pytest.fixture
def stored_after_commit(eager_celery, django_capture_on_commit_callbacks, monkeypatch):
    """Run the change, then what it queues once it commits (the rows stored again), as the
    worker would; the rows are stored as at the end of spring as on a day in May."""
    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2026, 5, 10))

    def change(make):
        with django_capture_on_commit_callbacks(execute=True):
            make()

    return change


def test_saving_a_value_stores_the_rows_again(two_terms, stored_after_commit):
    stored_after_commit(lambda: scorecard_rows_store(on=datetime.date(2026, 5, 10)))
    assert stored_text(two_terms) == "62.5 green"
    stored_after_commit(
        lambda: period_values_save(
            indicator=two_terms,
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 4, 30),
            period_label="Spring 2026",
            values={"local": Decimal(41)},
            numerator=None,
            denominator=None,
            commentary="",
        )
    )
    assert stored_text(two_terms) == "41 red"


def test_changing_a_target_stores_the_rows_again(two_terms, stored_after_commit):
    stored_after_commit(lambda: scorecard_rows_store(on=datetime.date(2026, 5, 10)))
    stored_after_commit(lambda: Target.objects.filter(indicator=two_terms).first().delete())
    stored = StoredScorecardRow.objects.get(indicator=two_terms, as_at=SPRING_END)
    assert stored.data_version == KpiData.objects.version() and stored.rag == ""


def test_an_import_stores_the_rows_again(two_terms, stored_after_commit):
    content = (
        b"indicator_code,period_start,period_end,area,value\n"
        b"AR_ON_TIME,2026-01-01,2026-04-30,local,58\n"
    )
    stored_after_commit(lambda: measurements_import(read_table(io.BytesIO(content), "v.csv")))
    assert stored_text(two_terms) == "58 amber"


def test_a_recalculation_stores_the_rows_again(two_terms, stored_after_commit):
    stored_after_commit(lambda: scorecard_rows_store(on=datetime.date(2026, 5, 10)))
    before = KpiData.objects.version()
    stored_after_commit(recalculation_run)
    assert KpiData.objects.version() > before
    assert stored_text(two_terms) == "62.5 green"  # stored again at the new version


def test_reading_the_stored_rows_is_one_query_at_any_size(two_terms):
    def queries() -> int:
        scorecard_rows_store(on=datetime.date(2026, 5, 10))
        indicators = list(Indicator.objects.all())
        with CaptureQueriesContext(connection) as ctx:
            rows = scorecard_rows(indicators, as_at=SPRING_END)
        assert all(r.latest for r in rows if r.indicator.code.startswith("KPI_"))
        return len(ctx.captured_queries)

    few = queries()
    for n in range(15):
        indicator = IndicatorFactory()
        for start, end, label in PERIODS:
            for area in ("local", "england", "la:801"):
                MeasurementFactory(
                    indicator=indicator,
                    period_start=start,
                    period_end=end,
                    period_label=label,
                    area=area,
                    value=Decimal(n),
                )
    assert queries() == few == 1


def test_the_page_reads_the_stored_rows_in_fewer_queries_at_any_size(two_terms, people, client_for):
    spring = Period.objects.terms().get(name="Spring term 2025/26")
    url = reverse("kpis:scorecard") + f"?term={spring.uuid}"
    client = client_for(people.board)
    worked_out_page = page_queries(client, url)
    cache.clear()
    scorecard_rows_store(on=SPRING_END)
    stored = page_queries(client, url)
    for n in range(12):
        MeasurementFactory(
            indicator=IndicatorFactory(),
            period_start=datetime.date(2026, 1, 1),
            period_end=SPRING_END,
            value=Decimal(n),
        )
    cache.clear()
    scorecard_rows_store(on=SPRING_END)
    # The values, benchmarks, comparators and targets (and the look for stored rows): one
    # query for the stored rows instead.
    assert page_queries(client, url) == stored == worked_out_page - 4
