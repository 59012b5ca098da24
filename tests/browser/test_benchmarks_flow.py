"""SENDOPS import a DfE file as published and a statistical-neighbour list; the board then reads
the scorecard with England, the region, the neighbours, rank and quartile."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from benchmarks.models import Import
from tests.browser.conftest import axe_violations
from tests.conftest import make_people
from tests.kpis.factories import IndicatorFactory
from tests.kpis.test_comparators import NEIGHBOURS, timeliness_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def neighbour_file() -> str:
    lines = ["la_code,la_name,SN,SN_code,SN_name,SN_prox"]
    for rank, area in enumerate(NEIGHBOURS, start=1):
        lines.append(f"E10000032,West Sussex,{rank},{area[5]},{area[7]},Close ")
    return "\n".join(lines) + "\n"


def test_dfe_file_and_neighbours_then_the_board_reads_the_scorecard(
    new_page, tmp_path, settings, eager_celery
):
    settings.MEDIA_ROOT = tmp_path / "media"
    IndicatorFactory(code="EHCP_20WK", name="New EHCPs issued within 20 weeks")
    call_command("set_area", "E10000032", "--name", "West Sussex", stdout=io.StringIO())
    people = make_people()
    page = new_page(people.sendops)

    page.goto(reverse("benchmarks:index"))
    page.get_by_role("link", name="Import a DfE file").click()
    published = tmp_path / "timeliness_20_week.csv"
    published.write_bytes(timeliness_file())
    page.get_by_label("Upload a CSV or XLSX file").set_input_files(str(published))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("16 to add, 0 changed")).to_be_visible()
    problems = axe_violations(page)
    page.get_by_role("button", name="Import this file").click()
    expect(page.get_by_text("Imported timeliness_20_week.csv: 16 rows added")).to_be_visible()
    assert Import.objects.get(kind=Import.Kind.DFE_TABLE).progress == Import.Progress.DONE
    problems += axe_violations(page)

    page.goto(reverse("benchmarks:neighbours_import"))
    neighbours = tmp_path / "neighbours.csv"
    neighbours.write_text(neighbour_file())
    page.get_by_label("Upload a CSV or XLSX file").set_input_files(str(neighbours))
    page.get_by_label("Release").fill("2025")
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("Check before you import neighbours.csv")).to_be_visible()
    problems += axe_violations(page)
    page.get_by_role("button", name="Import this file").click()
    expect(page.get_by_text("Imported neighbours.csv").first).to_be_visible()
    problems += axe_violations(page)

    board = new_page(people.board)
    board.goto(reverse("kpis:scorecard"))
    compared = board.locator("tr", has_text="New EHCPs issued within 20 weeks").locator(
        ".app-scorecard__compare"
    )
    text = " ".join(compared.inner_text().split())
    assert "England 46.4%" in text
    assert "South East 50.1%" in text
    assert "Neighbours 55.0% (8 of 10 with data)" in text
    assert "Rank 5 of 11, quartile B" in text
    expect(board.get_by_text("DfE statistical neighbours").first).to_be_visible()
    problems += axe_violations(board)
    assert not problems, "\n".join(problems)
