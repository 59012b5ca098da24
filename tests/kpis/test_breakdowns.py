"""Issue 19 item 6: an indicator fed by a DfE file shows this area's figures by the file's own
breakdowns, read from the real published excerpt, small counts withheld and markers as the DfE's."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from benchmarks.ees import dfe_file_check, dfe_file_save
from benchmarks.models import Authority, OwnArea
from benchmarks.queries import area_breakdowns, breakdown_order, marker_text
from kpis.comparators import comparators_refresh
from kpis.scorecard import breakdown_topics, scorecard_rows
from send_qa.core.tables import read_table
from tests.benchmarks.layouts import ANNUAL_REVIEWS_EXCERPT, WEST_SUSSEX, as_file, ees_csv
from tests.exports import csv_parts, csv_records, csv_table
from tests.kpis.factories import IndicatorFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def area(code):
    call_command("import_benchmarks", str(ANNUAL_REVIEWS_EXCERPT), stdout=io.StringIO())
    found = Authority.objects.get(code=code)
    OwnArea.objects.create(authority=found)
    return found


def test_this_areas_figures_by_each_breakdown_of_the_file():
    area("E10000032")  # West Sussex: age, sex, placement and years in place in the excerpt
    (period,) = area_breakdowns("AR_HELD")
    assert period.label == "2024 (calendar year)"
    assert list(period.topics) == [
        "Child or young persons age",
        "Sex",
        "Type of placement",
        "Years EHC plan in place",
    ]
    by_age = {f.breakdown: f.value for f in period.topics["Child or young persons age"]}
    assert by_age["Aged 5"].value == 129 and by_age["Aged 3"].value == 1
    decisions = area_breakdowns("AR_DECISION_4WK")[0].topics["Child or young persons age"]
    assert {f.breakdown: f.value.status for f in decisions}["Aged 3"] == "x"  # as published


def test_the_indicator_page_prints_each_breakdown_through_the_one_rule(people, client_for):
    area("E06000053")  # Isles of Scilly: aged 12 (2 reviews) and aged 13 (1, at 100%)
    IndicatorFactory(code="AR_HELD", name="Annual reviews held", unit="count")
    IndicatorFactory(code="AR_DECISION_4WK", name="Review decisions in 4 weeks")
    client = client_for(people.board)
    held = client.get(reverse("kpis:indicator_detail", args=["AR_HELD"])).content.decode()
    table = held.split('id="breakdown"')[1]
    assert "Child or young persons age: 2024 (calendar year)" in table
    aged_13 = table.split("Aged 13")[1].split("</tr>")[0]
    assert ">1<" not in aged_13 and "fewer than 5" in aged_13.lower()
    rate = client.get(reverse("kpis:indicator_detail", args=["AR_DECISION_4WK"])).content.decode()
    table = rate.split('id="breakdown"')[1]
    assert "100.0%" not in table.split("Aged 13")[1].split("</tr>")[0]  # 1 of 1: withheld
    assert "Not available (x)" in table.split("Aged 12")[1].split("</tr>")[0]  # as published


def test_the_indicator_page_runs_a_fixed_number_of_queries(people, client_for):
    area("E10000032")
    IndicatorFactory(code="AR_HELD", unit="count")
    client = client_for(people.board)
    url = reverse("kpis:indicator_detail", args=["AR_HELD"])
    few = page_queries(client, url)
    OwnArea.objects.update(authority=Authority.objects.get(code="E06000053"))
    assert page_queries(client, url) == few


# The scorecard broken down by a published topic (issue 19 item 6).


def test_breakdown_values_sort_numbers_as_numbers_and_less_than_first():
    values = [
        "Aged 10",
        "Unknown",
        "Aged 3",
        "Aged 2 and under",
        "Aged 25",
        "1",
        "Less than a year",
    ]
    assert sorted(values, key=breakdown_order) == [
        "Less than a year",
        "1",
        "Aged 2 and under",
        "Aged 3",
        "Aged 10",
        "Aged 25",
        "Unknown",
    ]
    # The DfE's own rows come alphabetically: "Aged 10" before "Aged 2 and under".
    assert sorted(["Aged 2 and under", "Aged 10"]) == ["Aged 10", "Aged 2 and under"]


def test_the_indicator_page_lists_values_in_that_order():
    area("E10000032")
    (period,) = area_breakdowns("AR_HELD")
    years = [f.breakdown for f in period.topics["Years EHC plan in place"]]
    assert years == ["Less than a year", "1"]  # the file has "1" first


def by_age_file(own_rows, *, period="2024"):
    """An annual reviews file with West Sussex's headline and a row per (age, reviews held)."""
    rows = [(WEST_SUSSEX, {"total_review_meeting": "900"})]
    rows += [
        (WEST_SUSSEX, {"total_review_meeting": held}, ("Child or young persons age", age))
        for age, held in own_rows
    ]
    return ees_csv("annual_reviews", rows, period=period, headline="All annual reviews")


def save(content):
    plan = dfe_file_check(
        read_table(as_file(content), "annual_reviews.csv"),
        file_name="annual_reviews.csv",
        sha256=str(len(content)).rjust(64, "0"),
    )
    dfe_file_save(plan)


@pytest.fixture
def by_age():
    """West Sussex's reviews held by age in 2023 and 2024, and one indicator not published."""
    save(by_age_file([("Aged 4", "50")], period="2023"))
    save(by_age_file([("Aged 10", "5"), ("Aged 2 and under", "4"), ("Aged 3", "c")]))
    OwnArea.objects.create(authority=Authority.objects.get(code="E10000032"))
    held = IndicatorFactory(code="AR_HELD", name="Annual reviews held", unit="count")
    other = IndicatorFactory(code="LOCAL_ONLY", name="Plans on the portal", unit="count")
    comparators_refresh()
    return held, other


def test_each_indicator_gets_its_latest_figures_by_the_chosen_breakdown(by_age):
    held, other = by_age
    assert breakdown_topics([held, other], as_at=datetime.date(2026, 1, 1)) == [
        "Child or young persons age"
    ]
    rows = scorecard_rows(
        [held, other], as_at=datetime.date(2026, 1, 1), breakdown="Child or young persons age"
    )
    lines = {r.indicator.code: r.breakdowns for r in rows}
    assert lines["LOCAL_ONLY"] is None
    assert [(b.breakdown, b.period_label) for b in lines["AR_HELD"]] == [
        ("Aged 2 and under", "2024 (calendar year)"),  # the latest period only: no "Aged 4"
        ("Aged 3", "2024 (calendar year)"),
        ("Aged 10", "2024 (calendar year)"),
    ]
    under, suppressed, at_threshold = (b.value for b in lines["AR_HELD"])
    assert under.suppressed and under.value is None  # 4 children: withheld
    assert (at_threshold.suppressed, at_threshold.value) == (False, 5)  # 5: shown
    assert suppressed.text == marker_text("c")  # the DfE's own marker, as theirs
    earlier = scorecard_rows(
        [held], as_at=datetime.date(2024, 6, 30), breakdown="Child or young persons age"
    )
    assert [b.breakdown for b in earlier[0].breakdowns] == ["Aged 4"]
    assert scorecard_rows([held], as_at=datetime.date(2026, 1, 1))[0].breakdowns is None


def test_the_scorecard_page_offers_the_breakdowns_and_shows_the_rows(by_age, people, client_for):
    client = client_for(people.board)
    page = client.get(reverse("kpis:scorecard")).content.decode()
    assert 'name="breakdown"' in page and "Child or young persons age</option>" in page
    assert "Aged 10" not in page
    page = client.get(
        reverse("kpis:scorecard"), {"breakdown": "Child or young persons age"}
    ).content.decode()
    assert page.index("Aged 2 and under") < page.index("Aged 3") < page.index("Aged 10")
    under = page.split("Aged 2 and under")[1].split("</tr>")[0]
    assert "fewer than 5" in under.lower()
    other = page.split("LOCAL_ONLY</span>")[1].split("</tbody>")[0]
    assert "Not published by this breakdown" in other.split("</tr>")[1]
    assert "breakdown=Child+or+young+persons+age" in page  # the downloads carry it
    nonsense = client.get(reverse("kpis:scorecard"), {"breakdown": "Aged 10"}).content.decode()
    assert "Not published by this breakdown" not in nonsense and "Aged 10" not in nonsense


def test_the_breakdown_is_part_of_the_cached_pages_key(by_age, people, client_for):
    client = client_for(people.board)
    url = reverse("kpis:scorecard")
    chosen = f"{url}?breakdown=Child+or+young+persons+age"
    assert "Aged 10" in client.get(chosen).content.decode()
    assert "Aged 10" not in client.get(url).content.decode()  # not the broken-down page
    assert "Aged 10" in client.get(chosen).content.decode()
    cold = page_queries(client, f"{chosen}&group=priority")
    assert page_queries(client, f"{chosen}&group=priority") < cold  # and cached itself


def test_the_broken_down_scorecard_runs_a_fixed_number_of_queries(by_age, people, client_for):
    client = client_for(people.board)
    url = reverse("kpis:scorecard") + "?breakdown=Child+or+young+persons+age"
    few = page_queries(client, url)
    save(by_age_file([(f"Aged {n}", str(10 + n)) for n in range(2, 20)], period="2025"))
    IndicatorFactory(code="AR_DECISION_4WK", name="Review decisions in 4 weeks")
    IndicatorFactory(code="LOCAL_TWO", unit="count")
    comparators_refresh()  # a new data version: nothing cached
    assert page_queries(client, url) == few
    assert client.get(url).content.decode().count("Aged 19") == 2


def test_the_export_carries_the_breakdown_rows(by_age, people, client_for):
    client = client_for(people.board)
    asked = {"breakdown": "Child or young persons age"}
    response = client.get(reverse("kpis:export_csv"), asked)
    about, _ = csv_parts(response)
    assert about[-2] == "Broken down by: Child or young persons age"
    found = csv_records(response)
    assert [(r["Code"], r["Group"], r["Value"]) for r in found] == [
        ("AR_HELD", "", "900"),
        ("AR_HELD", "Aged 2 and under", "fewer than 5"),
        ("AR_HELD", "Aged 3", marker_text("c")),
        ("AR_HELD", "Aged 10", "5"),
        ("LOCAL_ONLY", "", "–"),  # no value yet
        ("LOCAL_ONLY", "", "Not published by this breakdown"),
    ]
    assert {r["Broken down by"] for r in found[1:4]} == {"Child or young persons age"}
    assert found[1]["Period"] == "2024 (calendar year)"
    plain = client.get(reverse("kpis:export_csv"))
    assert len(csv_table(plain)) == 3
    workbook = client.get(reverse("kpis:export_xlsx"), asked)
    assert workbook.status_code == 200
