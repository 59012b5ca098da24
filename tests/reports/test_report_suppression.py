"""The report's tables of counts withhold small numbers and whatever would reveal them."""

import re
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from send_qa.core.suppression import WITHHELD
from send_qa.reports.evidence import published_percent_good, report_counts


def timeliness(label, on_time, late, missing):
    return SimpleNamespace(
        label=label, on_time=on_time, late=late, missing=missing, decided=on_time + late + missing
    )


def qa(*, total=20, submitted=20, graded=20, good=12, by_grade=None, services=(), agreed=None):
    rows = list(services)
    return SimpleNamespace(
        audits=SimpleNamespace(
            total=total,
            submitted=submitted,
            graded=graded,
            good_or_better=good,
            by_grade=by_grade if by_grade is not None else {"Good": 12, "Requires improvement": 8},
        ),
        advice_by_service=rows,
        advice_timeliness=timeliness(
            "All",
            sum(r.on_time for r in rows),
            sum(r.late for r in rows),
            sum(r.missing for r in rows),
        ),
        agreed_grades=agreed or {},
    )


def test_audits_of_a_term_are_shown_whole_when_their_base_is_not_small():
    """Audits are the service's own work: 2 not submitted of 12 are shown (decision 0004)."""
    counts = report_counts(qa(total=12, submitted=10))
    (line,) = counts["audits"].rows
    assert line.total == 12 and line.counts == [10, 2]


def test_audits_of_a_term_with_a_small_base_are_withheld_whole():
    counts = report_counts(qa(total=4, submitted=3))
    (line,) = counts["audits"].rows
    assert line.total == WITHHELD and line.counts == [WITHHELD, WITHHELD]


def test_grades_given_at_audit_are_shown_beside_their_total():
    counts = report_counts(qa(by_grade={"Outstanding": 2, "Good": 9, "Inadequate": 14}))
    assert [row.counts[0] for row in counts["grades"].rows] == [2, 9, 14]
    assert counts["grades"].totals == [25]


def test_grades_of_fewer_than_5_audits_are_all_withheld():
    counts = report_counts(qa(by_grade={"Good": 3, "Inadequate": 0}))
    assert [row.counts[0] for row in counts["grades"].rows] == [WITHHELD, WITHHELD]
    assert counts["grades"].totals == [WITHHELD]


def test_the_audit_trend_leaves_out_only_terms_with_a_small_base():
    trend = [
        {"term__name": "Autumn", "good": 150, "graded": 200},
        {"term__name": "Spring", "good": 198, "graded": 200},
        {"term__name": "Summer", "good": 3, "graded": 3},
    ]
    assert published_percent_good(trend) == [75, 99, None]


def test_advice_by_service_is_shown_whole_when_the_term_has_enough():
    services = [timeliness("Health", 10, 2, 6), timeliness("Education", 9, 7, 1)]
    counts = report_counts(qa(services=services))
    health, education = counts["advice"].rows
    assert health.counts == [10, 2, 6] and health.total == 18
    assert education.counts == [9, 7, 1] and education.total == 17
    assert counts["advice"].totals == [19, 9, 7] and counts["advice"].grand_total == 35


def test_advice_of_a_term_with_fewer_than_5_due_is_withheld_whole():
    counts = report_counts(qa(services=[timeliness("Health", 3, 0, 0)]))
    assert counts["advice"].grand_total == WITHHELD
    assert counts["advice"].rows[0].counts == [WITHHELD] * 3


@pytest.mark.django_db
def test_the_printed_report_shows_no_small_count():
    from send_qa.reports.compile import report_html
    from send_qa.reports.models import Version
    from tests.audits.test_qa_summary import build_term
    from tests.reports.factories import a_report

    call_command("load_indicators")
    term = build_term()  # 3 plans audited and agreed Good; 1 advice on time, 1 missing
    report = a_report(term.name)
    html = report_html(Version(report=report, number=1))
    audits = re.search(r"Audits this term</th><td>(.*?)</td>", html).group(1)
    assert audits == "withheld assigned, withheld submitted"
    assert "Grades agreed by the group for withheld plans: Good withheld." in html
    assert "Withheld (built on fewer than 5)" in html
    for cell in re.findall(r'<td class="num">(\d+)</td>', html):
        assert not 1 <= int(cell) <= 4
