"""The report's tables of counts withhold small numbers and whatever would reveal them."""

import re
from types import SimpleNamespace

import pytest

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


def test_submitted_audits_are_withheld_when_the_rest_is_small():
    counts = report_counts(qa(total=12, submitted=10))
    (line,) = counts["audits"].rows
    assert line.total == 12 and line.counts == [WITHHELD, WITHHELD]  # 12 - 10 = 2 not submitted


def test_a_small_grade_is_withheld_with_the_next_smallest():
    counts = report_counts(qa(by_grade={"Outstanding": 2, "Good": 9, "Inadequate": 14}))
    assert [row.counts[0] for row in counts["grades"].rows] == [WITHHELD, WITHHELD, 14]
    assert counts["grades"].totals == [25]


def test_a_percentage_built_on_a_small_count_is_withheld():
    assert report_counts(qa(graded=20, good=12))["percent_good_shown"]
    assert not report_counts(qa(graded=20, good=3))["percent_good_shown"]
    assert not report_counts(qa(graded=4, good=4))["percent_good_shown"]
    assert not report_counts(qa(graded=200, good=198))["percent_good_shown"]  # 2 are not


def test_the_audit_trend_leaves_out_terms_whose_percentage_would_give_a_small_count_back():
    trend = [
        {"term__name": "Autumn", "good": 150, "graded": 200},
        {"term__name": "Spring", "good": 198, "graded": 200},
        {"term__name": "Summer", "good": 3, "graded": 3},
    ]
    assert published_percent_good(trend) == [75.0, None, None]


def test_the_advice_percentage_is_withheld_when_a_few_are_not_on_time():
    services = [timeliness("Health", 60, 1, 1), timeliness("Education", 40, 1, 0)]
    counts = report_counts(qa(services=services))
    assert not counts["advice_percent_shown"]


def test_advice_by_service_suppresses_across_rows_and_columns():
    services = [timeliness("Health", 10, 2, 6), timeliness("Education", 9, 7, 8)]
    counts = report_counts(qa(services=services))
    health, education = counts["advice"].rows
    assert health.counts == [10, WITHHELD, WITHHELD] and health.total == 18
    assert education.counts == [9, WITHHELD, WITHHELD] and education.total == 24
    assert counts["advice"].totals == [19, 9, 14] and counts["advice"].grand_total == 42
    assert counts["advice_percent_shown"]


def test_no_advice_percentage_when_its_total_is_withheld():
    counts = report_counts(qa(services=[timeliness("Health", 3, 0, 0)]))
    assert counts["advice"].grand_total == WITHHELD
    assert not counts["advice_percent_shown"]


@pytest.mark.django_db
def test_the_printed_report_shows_no_small_count():
    from send_qa.reports.compile import report_html
    from send_qa.reports.models import Version
    from tests.audits.test_qa_summary import build_term
    from tests.reports.factories import a_report

    term = build_term()  # 3 plans audited and agreed Good; 1 advice on time, 1 missing
    report = a_report(term.name)
    html = report_html(Version(report=report, number=1))
    audits = re.search(r"Audits this term</th><td>(.*?)</td>", html).group(1)
    assert audits == "withheld assigned, withheld submitted"
    assert "Grades agreed by the group for withheld plans: Good withheld." in html
    assert "Withheld (built on fewer than 5)" in html
    for cell in re.findall(r'<td class="num">(\d+)</td>', html):
        assert not 1 <= int(cell) <= 4
