"""The board opens a long scorecard: it says what date it is as at, the summary strip counts
each RAG in words, and its links move focus to each group and back to the top."""

import datetime
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from send_qa.core.models import ensure_academic_year
from tests.browser.conftest import axe_violations
from tests.conftest import make_people
from tests.kpis.factories import IndicatorFactory, MeasurementFactory, TargetFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = datetime.date(2026, 12, 1)
SUMMER = (datetime.date(2026, 5, 1), datetime.date(2026, 8, 31), "Summer 2026")
SPRING = (datetime.date(2026, 1, 1), datetime.date(2026, 4, 30), "Spring 2026")
CATEGORIES = ("how_much", "how_well", "better_off")


def long_scorecard() -> None:
    """30 indicators over the three OBA groups: green, amber, red, withheld and no target."""
    ensure_academic_year(2025)
    ensure_academic_year(2026)
    for n in range(30):
        indicator = IndicatorFactory(name=f"Indicator {n:02d}", oba_category=CATEGORIES[n % 3])
        if n % 5:
            TargetFactory(
                indicator=indicator,
                period_start=datetime.date(2025, 9, 1),
                period_end=datetime.date(2027, 8, 31),
                value=Decimal(60),
            )
        for start, end, label in (SPRING, SUMMER):
            withheld = n % 7 == 0
            MeasurementFactory(
                indicator=indicator,
                period_start=start,
                period_end=end,
                period_label=label,
                value=Decimal(40 + n),
                numerator=Decimal(3 if withheld else 40 + n),
                denominator=Decimal(100),
            )


def test_the_strip_links_move_focus_to_each_group_and_back(new_page, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    long_scorecard()
    people = make_people()
    shots = os.environ.get("SCORECARD_SCREENSHOTS")
    for user, name in ((people.sendops, "sendops"), (people.board, "board")):
        page = new_page(user)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(reverse("kpis:scorecard"))
        expect(
            page.get_by_text("As at the end of Summer term 2025/26 (31 August 2026)")
        ).to_be_visible()
        strip = page.locator("#summary")
        expect(strip.get_by_text("Withheld", exact=True)).to_be_visible()
        counts = strip.get_by_role("list", name="Indicators by RAG").inner_text()
        assert re.search(r"Red\s+\d+ indicators", counts), counts
        if shots:
            page.screenshot(path=str(Path(shots) / f"scorecard-{name}.png"))
    assert axe_violations(page) == []
    for group in (
        "Is anyone better off?",
        "How well did we do it?",
        "Exceptions: red or declining",
    ):
        page.locator("#summary").get_by_role("link", name=group).click()
        target = page.evaluate("location.hash").lstrip("#")
        focused = page.evaluate("document.activeElement.id")
        assert focused == target, f"{group}: focus on {focused!r}, not {target!r}"
        top = page.evaluate(f"document.getElementById('{target}').getBoundingClientRect().top")
        assert 0 <= top < 200, f"{group} is scrolled to the top of the window ({top}px)"
    page.locator("#summary").get_by_role("link", name="Is anyone better off?").click()
    page.locator("#group-is-anyone-better-off").locator(
        "xpath=following::a[contains(., 'Back to top')][1]"
    ).click()
    assert page.evaluate("document.activeElement.id") == "summary-heading"
    top = page.evaluate("document.getElementById('summary-heading').getBoundingClientRect().top")
    assert 0 <= top < 200


def test_the_recalculation_status_updates_itself(new_page):
    from kpis.models import Recalculation

    people = make_people()
    record = Recalculation.objects.create(requested_by=people.sendops)
    page = new_page(people.sendops)
    page.goto(reverse("kpis:recalculation"))
    status = page.get_by_role("status")
    expect(status).to_have_text("Waiting to recalculate the computed indicators…")
    expect(page.get_by_text("to see the latest status")).to_be_hidden()  # JavaScript is on
    page.evaluate("window.notReloaded = true")
    record.mark_started()
    expect(status).to_have_text("Recalculating the computed indicators…")
    problems = axe_violations(page)
    record.mark_finished(23)
    expect(status).to_have_text(re.compile(r"^Recalculated at .*: 23 values updated\.$"))
    expect(page.get_by_role("link", name="See the scorecard")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)
