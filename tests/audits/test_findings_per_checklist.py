"""Item 13 of issue 18: findings group by checklist version, never by a section code alone."""

import copy
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from audits.exports import export_table
from audits.models import Audit
from audits.queries import term_findings, term_qa
from tests.audits.factories import SMALL_TEMPLATE, ModerationSessionFactory, PlanFactory
from tests.audits.factories import small_template as make_template
from tests.audits.test_moderation import submitted_audit

pytestmark = pytest.mark.django_db


def two_checklists():
    """Two EHCP checklists whose first section is both "A", under different titles."""
    north = make_template(name="North EHCP checklist")
    south_data = copy.deepcopy(SMALL_TEMPLATE)
    south_data["name"] = "South EHCP checklist"
    south_data["sections"][0]["title"] = "Section A - Health and care"
    south_data["sections"][0]["items"][0]["text"] = "Health needs are specific"
    south = make_template(**south_data)
    return north, south


@pytest.fixture
def term_with_two_checklists():
    term = ModerationSessionFactory().term
    north, south = two_checklists()
    # North: A1 5 of 5 (Section A 100%); South: A1 1 of 5 (20%). Pooled they would be 60%.
    submitted_audit(PlanFactory(), term, a1=5, b1=5, template=north)
    submitted_audit(PlanFactory(), term, a1=1, b1=1, template=south)
    submitted_audit(PlanFactory(), term, a1=1, b1=2, template=south)
    return term, north, south


def test_each_checklist_has_its_own_section_averages_and_titles(term_with_two_checklists):
    term, north, south = term_with_two_checklists
    findings = term_findings(Audit.objects.of_plans().filter(term=term))
    blocks = {(block.template, block.submitted): block.sections for block in findings.checklists}
    assert blocks == {
        (north, 1): [
            ("A", "Section A - Views", 100),
            ("B", "Section B - Needs", 100),
        ],
        (south, 2): [
            ("A", "Section A - Health and care", 20),
            ("B", "Section B - Needs", Decimal("41.7")),  # (1+1 + 2+1) of 12
        ],
    }
    # The headline counts every graded audit once, whichever checklist it used.
    assert (findings.graded, findings.good_or_better) == (3, 1)
    assert findings.percent_good_or_better == Decimal("33.3")
    weakest = {
        (row["item__code"], row["item__section__template__name"]) for row in findings.weakest_items
    }
    assert ("A1", "North EHCP checklist") in weakest and ("A1", "South EHCP checklist") in weakest


def test_the_findings_page_and_qa_summary_show_one_block_per_checklist(
    term_with_two_checklists, people, client_for
):
    term, north, south = term_with_two_checklists
    client = client_for(people.sendops)
    html = client.get(reverse("audits:findings"), {"term": term.uuid}).content.decode()
    assert f"Average score per section: {north} (1 submitted)" in html
    assert f"Average score per section: {south} (2 submitted)" in html
    north_block = html.split(str(north) + " (1 submitted)")[1].split("</table>")[0]
    south_block = html.split(str(south) + " (2 submitted)")[1].split("</table>")[0]
    assert "Section A - Views" in north_block and "100.0%" in north_block
    assert "Section A - Health and care" in south_block and "20.0%" in south_block
    assert "60.0%" not in html
    assert "33.3% (1 of 3 submitted)" in html
    qa = client.get(reverse("audits:qa_summary"), {"term": term.uuid}).content.decode()
    assert f"{north}: 1 submitted" in qa and f"{south}: 2 submitted" in qa
    assert "33.3% (1 of 3)" in qa


def test_the_export_never_puts_two_checklists_in_one_column(term_with_two_checklists):
    term, north, south = term_with_two_checklists
    header, rows = export_table(Audit.objects.of_plans().filter(term=term))
    assert not [name for name in header if name.startswith("A1")]

    def column(checklist):
        (found,) = [i for i, n in enumerate(header) if n.startswith(f"{checklist} version 1: A1. ")]
        return found

    north_a1, south_a1 = column("North EHCP checklist"), column("South EHCP checklist")
    assert [(row[2], row[north_a1], row[south_a1]) for row in rows] == [
        ("North EHCP checklist", 5, ""),
        ("South EHCP checklist", "", 1),
        ("South EHCP checklist", "", 1),
    ]


def test_the_printed_report_shows_each_checklist_under_its_own_titles(term_with_two_checklists):
    from send_qa.reports.compile import report_html
    from send_qa.reports.models import Version
    from tests.reports.factories import a_report

    call_command("load_indicators")
    term, north, south = term_with_two_checklists
    html = report_html(Version(report=a_report(term.name), number=1))
    blocks = re.findall(r"<h3>Average score per section: (.*?)</h3>\s*<table>(.*?)</table>", html)
    assert [(name, "Health and care" in table, "Views" in table) for name, table in blocks] == [
        (str(north), False, True),
        (str(south), True, False),
    ]
    assert term_qa(term=term, on=term.end).audits.graded == 3
