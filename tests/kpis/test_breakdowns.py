"""Issue 19 item 6: an indicator fed by a DfE file shows this area's figures by the file's own
breakdowns, read from the real published excerpt, small counts withheld and markers as the DfE's."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from benchmarks.models import Authority, OwnArea
from benchmarks.queries import area_breakdowns
from tests.benchmarks.layouts import ANNUAL_REVIEWS_EXCERPT
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
