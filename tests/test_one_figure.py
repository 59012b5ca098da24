"""One figure for one measure: every page, export and the termly report quote the audit
percentage and its target from the same home (issue 16)."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audits.models import Audit
from kpis.computed import computed_recalculate
from kpis.models import Indicator, Measurement, Target
from send_qa.core.models import Period, ensure_academic_year
from send_qa.dashboard.panels import panels_for
from send_qa.reports.compile import report_html
from send_qa.reports.models import Version
from tests.audits.factories import PlanFactory, small_template
from tests.exports import csv_records
from tests.factories import UserFactory
from tests.reports.factories import a_report

pytestmark = pytest.mark.django_db


def a_finished_term() -> Period:
    ensure_academic_year(2025)
    return Period.objects.terms().get(name="Autumn term 2025/26")


def audited(term: Period, *, good: int, graded: int) -> None:
    """`graded` EHCP audits submitted in the term, `good` of them judged good or better, and
    the catalogue's computed indicators worked out from them."""
    template, auditor = small_template(), UserFactory(roles=["auditor"])
    Audit.objects.bulk_create(
        Audit(
            plan=plan,
            template=template,
            auditor=auditor,
            term=term,
            status=Audit.Status.SUBMITTED,
            submitted_at=timezone.now(),
            good_or_better=n < good,
            grade="Good" if n < good else "Requires improvement",
        )
        for n, plan in enumerate(PlanFactory.create_batch(graded))
    )
    call_command("load_indicators")
    computed_recalculate(terms=[term], on=term.end)


def audit_section(html: str) -> str:
    return re.search(r"Judged good or better</th><td>(.*?)</td>", html).group(1)


def scorecard_cell(html: str, name: str) -> str:
    """The value cell of an indicator's row on the scorecard page or in the printed report."""
    row = re.search(re.escape(name) + r".*?</tr>", html, re.S).group(0)
    return re.search(r'class="[^"]*num[^"]*"[^>]*>\s*([^<]*?)\s*<', row).group(1)


def sendops_dashboard_line(sendops, term) -> str:
    (panel,) = [
        p for p in panels_for(sendops, term=term) if "good or better" in " ".join(p["lines"])
    ]
    return " ".join(panel["lines"])


def test_33_of_80_reads_41_3_percent_everywhere(people, client_for):
    term = a_finished_term()
    audited(term, good=33, graded=80)
    name = Indicator.objects.get(code="AUDIT_GOOD").name

    findings = client_for(people.sendops).get(reverse("audits:findings") + f"?term={term.uuid}")
    board_scorecard = client_for(people.board).get(reverse("kpis:scorecard") + f"?term={term.uuid}")
    printed = report_html(Version(report=a_report(term.name), number=1))

    assert "41.3% (33 of 80 submitted)" in findings.content.decode()
    assert "41.3% of submitted plans judged good or better." in sendops_dashboard_line(
        people.sendops, term
    )
    assert scorecard_cell(board_scorecard.content.decode(), name) == "41.3%"
    assert audit_section(printed).startswith("41.3%")
    assert scorecard_cell(printed, name) == "41.3%"
    assert "41.2" not in printed


def test_21_good_of_25_audited_is_shown_to_the_board(people, client_for):
    """The 4 that fell short are under 5, but the judgement is of the service's own work over
    the term, and its base (25) is not small (decision 0004)."""
    term = a_finished_term()
    audited(term, good=21, graded=25)
    name = Indicator.objects.get(code="AUDIT_GOOD").name

    findings = client_for(people.sendops).get(reverse("audits:findings") + f"?term={term.uuid}")
    board_scorecard = client_for(people.board).get(reverse("kpis:scorecard") + f"?term={term.uuid}")
    printed = report_html(Version(report=a_report(term.name), number=1))

    assert "84.0% (21 of 25 submitted)" in findings.content.decode()
    assert "84.0% of submitted plans" in sendops_dashboard_line(people.sendops, term)
    assert scorecard_cell(board_scorecard.content.decode(), name) == "84.0%"
    assert audit_section(printed).startswith("84.0%")
    assert scorecard_cell(printed, name) == "84.0%"
    grades = re.search(r"Grades given at audit</h3>(.*?)</table>", printed, re.S).group(1)
    assert '<td>Requires improvement</td><td class="num">4</td>' in grades


def test_a_base_of_fewer_than_5_audits_is_withheld_from_the_board(people, client_for):
    term = a_finished_term()
    audited(term, good=3, graded=4)
    name = Indicator.objects.get(code="AUDIT_GOOD").name

    board_scorecard = client_for(people.board).get(reverse("kpis:scorecard") + f"?term={term.uuid}")
    printed = report_html(Version(report=a_report(term.name), number=1))

    assert scorecard_cell(board_scorecard.content.decode(), name) == "withheld"
    assert audit_section(printed).startswith("Withheld (built on fewer than 5 audits)")
    assert "75.0" not in printed


def test_a_percentage_about_children_keeps_the_full_rule(people, client_for):
    """21 of 25 new plans issued within 20 weeks says that 4 children waited longer."""
    term = a_finished_term()
    call_command("load_indicators")
    indicator = Indicator.objects.get(code="EHCP_20WK")
    Measurement.objects.create(
        indicator=indicator,
        period_start=term.start,
        period_end=term.end,
        value=84,
        numerator=21,
        denominator=25,
    )
    html = client_for(people.board).get(reverse("kpis:scorecard") + f"?term={term.uuid}")
    assert scorecard_cell(html.content.decode(), indicator.name) == "withheld"


def test_overlapping_targets_give_one_target_everywhere(people, client_for):
    term = a_finished_term()
    audited(term, good=33, graded=80)
    indicator = Indicator.objects.get(code="AUDIT_GOOD")
    indicator.targets.all().delete()
    day = datetime.date

    def target(start, end, value):
        return Target.objects.create(
            indicator=indicator, period_start=start, period_end=end, value=value
        )

    target(day(2025, 9, 1), day(2026, 8, 31), 70)  # the year's
    target(day(2025, 8, 1), day(2025, 12, 31), 55)  # as narrow as the next, but earlier
    newest = target(day(2025, 9, 1), day(2026, 1, 31), 65)  # 152 days, like the one before
    assert term.end == day(2025, 12, 31)

    assert indicator.target_on(term.end) == newest
    board = client_for(people.board)
    scorecard = board.get(reverse("kpis:scorecard") + f"?term={term.uuid}").content.decode()
    page = board.get(reverse("kpis:indicator_detail", args=["AUDIT_GOOD"])).content.decode()
    printed = report_html(Version(report=a_report(term.name), number=1))

    scorecard_row = re.search(re.escape(indicator.name) + r".*?</tr>", scorecard, re.S).group(0)
    assert ">65%<" in scorecard_row and ">70%<" not in scorecard_row
    exported = board.get(reverse("kpis:export_csv") + f"?term={term.uuid}")
    (line,) = [line for line in csv_records(exported) if line["Code"] == "AUDIT_GOOD"]
    assert line["Target"] == "65"  # the page's 65, without the stored padding
    assert audit_section(printed).endswith("against a target of 65%")
    report_row = re.search(re.escape(indicator.name) + r".*?</tr>", printed, re.S).group(0)
    assert '<td class="num">65</td>' in report_row
    table = page[page.index("<table") :]
    period_row = re.search(
        r"<tr[^>]*>\s*<t[dh][^>]*>" + re.escape(term.name) + r".*?</tr>", table, re.S
    )
    assert ">65%<" in period_row.group(0)
