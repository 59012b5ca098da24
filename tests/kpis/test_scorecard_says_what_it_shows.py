"""The scorecard says what it shows (decision 0013): the date it is as at, one rule for the
page, the home page and the report; a summary strip with jump links; a withheld value judged
by nothing, on every page and export that reads a row."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kpis.models import Comparator, Indicator
from kpis.queries import rag_summary
from kpis.rules import Benchmark, Shown, judged
from kpis.scorecard import Standing, scorecard_as_at, scorecard_rows
from send_qa.core.models import Period, ensure_academic_year
from tests.exports import csv_parts, csv_records
from tests.kpis.factories import IndicatorFactory, MeasurementFactory, TargetFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

SUMMER = (datetime.date(2026, 5, 1), datetime.date(2026, 8, 31), "Summer 2026")
AUTUMN = (datetime.date(2026, 9, 1), datetime.date(2026, 12, 31), "Autumn 2026")
SPRING = (datetime.date(2026, 1, 1), datetime.date(2026, 4, 30), "Spring 2026")
TODAY = datetime.date(2026, 12, 1)  # in Autumn term 2026/27; summer has finished


def value(indicator, period, area="local", **extra):
    start, end, label = period
    return MeasurementFactory(
        indicator=indicator,
        period_start=start,
        period_end=end,
        period_label=label,
        area=area,
        **extra,
    )


def year_target(indicator, amount):
    return TargetFactory(
        indicator=indicator,
        period_start=datetime.date(2025, 9, 1),
        period_end=datetime.date(2027, 8, 31),
        value=Decimal(amount),
    )


@pytest.fixture
def today(monkeypatch):
    """Pages and queries read today through timezone.localdate: fix it on 1 December 2026."""
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    return TODAY


@pytest.fixture
def terms():
    ensure_academic_year(2025)
    ensure_academic_year(2026)
    return {t.name: t for t in Period.objects.terms()}


# The rule for what a withheld value carries


def test_a_judgement_of_a_withheld_value_is_none():
    shown = Shown("62.5%", Decimal("62.5"), suppressed=False)
    hidden = Shown("withheld", None, suppressed=True)
    rank = Benchmark(21, 21, "D")
    assert judged(rank, shown) == rank
    assert judged(rank, hidden) is None
    assert judged("red", shown, hidden) is None  # any value it is made from
    assert judged("red", shown, None) == "red"  # a missing value hides nothing


def test_a_withheld_value_has_no_rag_direction_rank_or_quartile(terms):
    visited = IndicatorFactory(code="OOB_VISITED", name="Placements visited")
    year_target(visited, 90)  # 50% and 75% would both be red
    value(visited, SPRING, value=Decimal(50), numerator=Decimal(10), denominator=Decimal(20))
    value(visited, SUMMER, value=Decimal(75), numerator=Decimal(3), denominator=Decimal(4))
    for n, other in enumerate([80, 85, 90, 95]):
        value(visited, SUMMER, area=f"la:{800 + n}", value=Decimal(other))
    (row,) = scorecard_rows([visited], as_at=SUMMER[1])
    assert row.value.text == "withheld"
    assert (row.rag, row.direction, row.rank) == (None, None, None)
    assert row.standing == Standing.WITHHELD and not row.is_exception


def test_direction_needs_the_value_before_to_be_shown_too(terms):
    appeals = IndicatorFactory(code="APPEALS", unit="count", polarity="lower")
    value(appeals, SPRING, value=Decimal(3))  # "fewer than 5"
    value(appeals, SUMMER, value=Decimal(12))
    (row,) = scorecard_rows([appeals], as_at=SUMMER[1])
    assert row.value.text == "12" and row.direction is None


def test_a_published_rank_beside_a_withheld_figure_is_not_shown(terms):
    visited = IndicatorFactory(code="OOB_VISITED")
    value(visited, SUMMER, value=Decimal(75), numerator=Decimal(3), denominator=Decimal(4))
    Comparator.objects.create(
        indicator=visited,
        area_code="E10000001",
        area_name="Here",
        period_start=SUMMER[0],
        period_end=SUMMER[1],
        period_label="2026",
        breakdown_topic="Total",
        breakdown="Total",
        headline=True,
        source="t",
        value=Decimal(75),
        numerator=Decimal(3),
        denominator=Decimal(4),
        rank=21,
        of=21,
        quartile="D",
        computed_at=timezone.now(),
    )
    (row,) = scorecard_rows([visited], as_at=SUMMER[1])
    assert row.published is not None and row.published.suppressed
    assert row.rank is None


# The one rule for the date


def test_no_term_chosen_is_the_end_of_the_last_finished_term(terms):
    as_at = scorecard_as_at(None, on=TODAY)
    assert as_at.term == terms["Summer term 2025/26"] and as_at.day == SUMMER[1]
    assert as_at.heading == "As at the end of Summer term 2025/26 (31 August 2026)"
    # The last day of a term is still in it.
    assert scorecard_as_at(None, on=AUTUMN[1]).term == terms["Summer term 2025/26"]
    assert scorecard_as_at(None, on=AUTUMN[1] + datetime.timedelta(days=1)).day == AUTUMN[1]


def test_a_chosen_term_in_progress_is_up_to_today_and_says_so(terms):
    autumn = terms["Autumn term 2026/27"]
    as_at = scorecard_as_at(autumn, on=TODAY)
    assert as_at.day == TODAY and as_at.in_progress
    assert as_at.heading == "Autumn term 2026/27, in progress: as at 1 December 2026"
    spring = scorecard_as_at(terms["Spring term 2025/26"], on=TODAY)
    assert spring.day == SPRING[1] and not spring.in_progress


def test_with_no_finished_term_it_is_today():
    as_at = scorecard_as_at(None, on=TODAY)
    assert (as_at.day, as_at.term) == (TODAY, None)
    assert as_at.heading == "As at 1 December 2026"


# The page, the home page and the report agree


@pytest.fixture
def cards(terms):
    good = IndicatorFactory(code="AR_ON_TIME", name="Annual reviews on time")
    year_target(good, 60)
    value(good, SPRING, value=Decimal(55))
    value(good, SUMMER, value=Decimal("62.5"))
    value(good, AUTUMN, value=Decimal("77.7"))  # the term in progress: not judged yet
    bad = IndicatorFactory(
        code="SEN_APPEALS", name="SEND appeals", unit="count", polarity="lower", owner=None
    )
    year_target(bad, 10)
    value(bad, SPRING, value=Decimal(12))
    value(bad, SUMMER, value=Decimal(20))
    hidden = IndicatorFactory(
        code="OOB_VISITED", name="Placements visited", oba_category="better_off"
    )
    year_target(hidden, 90)
    value(hidden, SUMMER, value=Decimal(75), numerator=Decimal(3), denominator=Decimal(4))
    IndicatorFactory(code="NEW_ONE", name="Not measured yet")
    return good, bad, hidden


def test_the_page_opens_as_at_the_last_finished_term_and_says_why_a_value_is_missing(
    cards, today, people, client_for
):
    html = client_for(people.board).get(reverse("kpis:scorecard")).content.decode()
    assert "As at the end of Summer term 2025/26 (31 August 2026)" in html
    assert "62.5%" in html and "77.7%" not in html
    assert "1 value for period ending after that" in html
    summer = Period.objects.terms().get(name="Summer term 2025/26")
    assert f'<option value="{summer.uuid}" selected>Summer term 2025/26</option>' in html
    assert ">Autumn term 2026/27 (in progress)</option>" in html


def test_the_home_page_counts_as_at_the_same_date(cards, today, people, client_for):
    summary = rag_summary(on=TODAY)
    assert summary.as_at == scorecard_as_at(None, on=TODAY)
    assert summary.counts["green"] == 1 and summary.counts["red"] == 1
    assert summary.counts["withheld"] == 1  # red at 75% of a 90% target, counted as withheld
    assert summary.counts["no value"] == 1
    html = client_for(people.sendops).get(reverse("dashboard:home")).content.decode()
    assert "As at the end of Summer term 2025/26" in html
    assert "1 green, 0 amber, 1 red, 0 with no target, 1 withheld" in html


def test_the_report_is_as_at_its_terms_end_by_the_same_rule(terms):
    from kpis.queries import scorecard_as_at_for_report

    summer = terms["Summer term 2025/26"]
    assert scorecard_as_at_for_report(summer, on=TODAY) == scorecard_as_at(summer, on=TODAY)
    assert scorecard_as_at_for_report(summer, on=TODAY).day == SUMMER[1]


def test_the_strip_counts_in_words_and_links_to_each_group(cards, today, people, client_for):
    html = client_for(people.board).get(reverse("kpis:scorecard")).content.decode()
    strip = html.split('id="summary"')[1].split("</nav>")[0]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", strip))
    for words in ("Red 1 indicator", "Amber 0 indicators", "Green 1 indicator"):
        assert words in text
    assert "No target 0 indicators" in text and "Withheld 1 indicator" in text
    assert 'class="govuk-tag govuk-tag--red">Red</strong>' in strip
    links = re.findall(r'href="#(group-[\w-]+)"', strip)
    assert len(links) == 2
    for anchor in links:
        assert f'id="{anchor}"' in html
    assert html.count(">Back to top<") == 2
    # The withheld row says why it has no RAG; no rank beside it.
    row = html.split("Placements visited</a>")[1].split("</tr>")[0]
    assert "Not judged: the value is withheld" in row and "Red" not in row


def test_the_export_gives_a_withheld_value_no_judgement(cards, today, people, client_for):
    response = client_for(people.board).get(reverse("kpis:export_csv"))
    about, _ = csv_parts(response)
    assert about[1].startswith("As at the end of Summer term 2025/26")
    by_code = {row["Code"]: row for row in csv_records(response)}
    hidden = by_code["OOB_VISITED"]
    assert hidden["Value"] == "withheld"
    assert hidden["RAG"] == hidden["Direction"] == hidden["Rank"] == hidden["Quartile"] == ""
    assert by_code["SEN_APPEALS"]["RAG"] == "Red"
    assert by_code["AR_ON_TIME"]["Value"] == "62.5"


def test_the_cache_follows_the_day_and_the_terms(cards, monkeypatch, people, client_for):
    client = client_for(people.board)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    assert (
        "As at the end of Summer term 2025/26"
        in client.get(reverse("kpis:scorecard")).content.decode()
    )
    new_year = datetime.date(2027, 1, 4)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: new_year)
    html = client.get(reverse("kpis:scorecard")).content.decode()
    assert "As at the end of Autumn term 2026/27 (31 December 2026)" in html and "77.7%" in html
    autumn = Period.objects.terms().get(name="Autumn term 2026/27")
    autumn.end = datetime.date(2027, 1, 10)  # the admin moves the term's end
    autumn.save()
    html = client.get(reverse("kpis:scorecard")).content.decode()
    assert "As at the end of Summer term 2025/26" in html


def test_the_default_page_runs_a_fixed_number_of_queries(cards, today, people, client_for):
    client = client_for(people.board)
    url = reverse("kpis:scorecard")
    few = page_queries(client, url)
    for n in range(8):
        indicator = IndicatorFactory(oba_category="how_well" if n % 2 else "how_much")
        year_target(indicator, 50)
        value(
            indicator, SUMMER, value=Decimal(40 + n), numerator=Decimal(n), denominator=Decimal(20)
        )
        value(indicator, AUTUMN, value=Decimal(40 + n))
    assert page_queries(client, url) == few <= 16
    assert Indicator.objects.count() == 12
