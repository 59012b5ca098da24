"""SENDOPS import a KPI file with a mistake, read the message, fix it and import it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kpis.models import Measurement
from tests.browser.conftest import axe_violations
from tests.conftest import make_people
from tests.kpis.factories import IndicatorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "indicator_code,period_start,period_end,area,value,numerator,denominator,commentary\n"


def test_import_with_an_error_then_fixed(new_page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    IndicatorFactory(code="EHCP_20WK", name="New EHCPs issued within 20 weeks")
    people = make_people()
    page = new_page(people.sendops)
    page.goto(reverse("kpis:import"))
    bad = tmp_path / "values.csv"
    bad.write_text(
        HEADER
        + "EHCP_20WK,2026-09-01,2026-12-31,local,55.5,,,\nEHCP20,2026-09-01,2026-12-31,england,50,,,\n"
    )
    page.get_by_label("Upload a CSV or XLSX file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    summary = page.locator(".govuk-error-summary")
    assert "Row 3, column 'indicator_code': EHCP20 is not an indicator" in summary.inner_text()
    problems = axe_violations(page)
    assert not Measurement.objects.exists()

    bad.write_text(
        HEADER
        + "EHCP_20WK,2026-09-01,2026-12-31,local,55.5,,,\nEHCP_20WK,2026-09-01,2026-12-31,england,50,,,\n"
    )
    page.get_by_label("Upload a CSV or XLSX file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("2 values will be added, 0 updated")).to_be_visible()
    problems += axe_violations(page)
    page.get_by_role("button", name="Import these values").click()
    expect(page.get_by_text("Imported values.csv: 2 values added")).to_be_visible()
    assert Measurement.objects.count() == 2
    assert not problems, "\n".join(problems)
