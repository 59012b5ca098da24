"""The report drafts itself from the evidence (issue 19 item 4): each bullet a stored figure,
small numbers withheld, links to the evidence, drafted once and never over someone's words."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from audits import follow_up as audit_evidence
from kpis.follow_up import KIND, exception_ref
from send_qa.core import follow_up
from send_qa.core.roles import Role
from send_qa.reports.compile import report_html
from send_qa.reports.draft import report_draft
from send_qa.reports.markup import render
from send_qa.reports.models import Report, Version
from tests.audits.factories import ModerationSessionFactory, PlanFactory, small_template
from tests.audits.test_moderation import submitted_audit
from tests.conftest import signed_in_client
from tests.factories import UserFactory
from tests.kpis.factories import IndicatorFactory, MeasurementFactory, TargetFactory
from tests.reports.factories import a_report
from tests.risks.factories import RiskFactory
from tests.wsoa.factories import ActionFactory
from wsoa.follow_up import source_record
from wsoa.models import DueDate

pytestmark = pytest.mark.django_db

SUMMER = (datetime.date(2025, 4, 22), datetime.date(2025, 7, 22))  # a term, beside a term


@pytest.fixture
def sendops():
    return UserFactory(roles=[Role.SENDOPS])


@pytest.fixture
def report():
    return a_report()  # Autumn term 2025/26


def termly(indicator, term, value, *, previous=None):
    if previous is not None:
        MeasurementFactory(
            indicator=indicator,
            period_start=SUMMER[0],
            period_end=SUMMER[1],
            period_label="Summer 2025",
            value=Decimal(previous),
        )
    return MeasurementFactory(
        indicator=indicator,
        period_start=term.start,
        period_end=term.end,
        period_label="Autumn 2025",
        value=Decimal(value),
    )


def with_target(indicator, value):
    TargetFactory(
        indicator=indicator,
        period_start=datetime.date(2025, 4, 1),
        period_end=datetime.date(2026, 8, 31),
        value=Decimal(value),
    )
    return indicator


def test_the_draft_says_what_is_green_and_improving_and_what_is_red(report, sendops):
    term = report.term
    good = with_target(IndicatorFactory(name="Annual reviews on time"), "80")
    termly(good, term, "91.5", previous="85")
    bad = with_target(IndicatorFactory(name="EHCPs issued within 20 weeks"), "60")
    termly(bad, term, "41.2", previous="44")
    draft = report_draft(term, on=datetime.date(2026, 12, 1), reader=sendops)
    assert (
        "- **Annual reviews on time**: green and improving, 91.5% in Autumn 2025: green, "
        f"improving (target 80.0%). [See the indicator](/indicators/{good.code}/#actions)"
    ) in draft.working_well.splitlines()
    assert (
        "- **EHCPs issued within 20 weeks**: 41.2% in Autumn 2025: red, declining (target "
        f"60.0%). [See the indicator](/indicators/{bad.code}/#actions)"
    ) in draft.worried_about.splitlines()
    assert "Annual reviews" not in draft.worried_about


def test_small_numbers_stay_withheld_in_the_draft(report, sendops):
    count = with_target(
        IndicatorFactory(name="Tribunal appeals", unit="count", polarity="lower"), "1"
    )
    termly(count, report.term, "3", previous="2")
    draft = report_draft(report.term, on=datetime.date(2026, 12, 1), reader=sendops)
    # "fewer than 5" is judged by nothing (decision 0013): "red, declining" beside it would
    # say what it hides, so the draft names it neither as a worry nor as working well.
    assert "Tribunal" not in draft.worried_about + draft.working_well


def test_the_draft_names_weak_questions_key_issues_and_overdue_actions(report, sendops):
    term = report.term
    template = small_template()
    for a1 in [1, 2, 2, 3, 2]:
        submitted_audit(PlanFactory(), term, a1=a1, b1=5, template=template)
    ModerationSessionFactory(term=term, themes="Outcomes are not SMART")
    late = ActionFactory(text="Recruit two educational psychologists")
    DueDate.objects.create(action=late, due=datetime.date(2025, 10, 1))
    worried = report_draft(term, on=datetime.date(2026, 12, 1), reader=sendops).worried_about
    assert (
        "- **Audit Question A1 (Captures aspirations)**: average 2.0 of 5 (40.0%) over 5 audits."
        in worried
    )
    assert "B1" not in worried  # scored 5 of 5: it scores well
    assert "Outcomes are not SMART" in worried
    assert f"**Action {late.number} is overdue**: Recruit two educational psychologists" in worried


def test_recommendations_list_the_actions_raised_this_term_with_the_kpi_now(report, sendops):
    term = report.term
    kpi = with_target(IndicatorFactory(name="EHCPs issued within 20 weeks"), "60")
    termly(kpi, term, "41.2", previous="44")
    evidence = follow_up.evidence_of(KIND, exception_ref(kpi.code, term.start, term.end), sendops)
    action = ActionFactory(text="Recover the 20-week timeliness")
    source = source_record(action, evidence, by=sendops)
    source.raised_at = datetime.datetime(2025, 11, 3, 10, tzinfo=datetime.UTC)
    source.save()
    MeasurementFactory(
        indicator=kpi,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31),
        period_label="Spring 2026",
        value=Decimal("63"),
    )
    recommendations = report_draft(
        term, on=datetime.date(2026, 12, 1), reader=sendops
    ).recommendations
    assert f"**Action {action.number}**: Recover the 20-week timeliness" in recommendations
    assert "41.2% in Autumn 2025: red, declining (target 60.0%)" in recommendations
    assert "now 63.0% in Spring 2026: green" in recommendations


def test_no_evidence_no_invented_bullets(report, sendops):
    draft = report_draft(report.term, on=datetime.date(2026, 12, 1), reader=sendops)
    assert draft.working_well.startswith("- No indicator was both green and improving")
    assert draft.worried_about.startswith("- Nothing in the stored evidence")
    assert draft.recommendations == "- No actions were raised from the evidence this term."


def test_the_narrative_is_drafted_once_and_never_over_what_is_written(report, sendops):
    report.worried_about = "Our own words"
    report.save()
    client = signed_in_client(sendops)
    url = reverse("reports:report_edit", args=[report.uuid])
    page = client.get(url).content.decode()
    assert "have been drafted from the term" in page
    report.refresh_from_db()
    assert report.drafted_at is not None
    assert report.worried_about == "Our own words"
    assert report.working_well.startswith("- No indicator")
    assert report.history.first().history_change_reason == "Drafted from the evidence"
    Report.objects.filter(pk=report.pk).update(working_well="")
    assert "have been drafted" not in client.get(url).content.decode()
    report.refresh_from_db()
    assert report.working_well == ""  # emptied by its writer: left empty


def test_a_fresh_draft_is_offered_without_changing_the_narrative(report, sendops):
    client = signed_in_client(sendops)
    url = reverse("reports:report_edit", args=[report.uuid])
    client.get(url)
    Report.objects.filter(pk=report.pk).update(working_well="Mine")
    page = client.get(f"{url}?fresh=1").content.decode()
    assert "A fresh draft from today&#x27;s evidence" in page or "fresh draft from today" in page
    report.refresh_from_db()
    assert report.working_well == "Mine"


def test_a_narrative_link_goes_only_to_the_portal_own_pages(settings):
    settings.SITE_URL = "https://qa.example.gov.uk"
    assert (
        '<a class="govuk-link" href="https://qa.example.gov.uk/kpis/indicators/X/#actions">'
        "See it</a>"
    ) in render("[See it](/kpis/indicators/X/#actions)")
    for unsafe in ("[x](//evil.example)", "[x](javascript:alert(1))", "[x](https://evil.example)"):
        assert "<a " not in render(unsafe)
    assert "&lt;b&gt;" in render("[<b>x</b>](/a/)")


def test_audit_evidence_of_the_draft_is_the_evidence_page_rule(report, sendops):
    """The weak question's figure in the draft and on its evidence page come from one rule."""
    template = small_template()
    for a1 in [1, 2, 2, 3, 2]:
        submitted_audit(PlanFactory(), report.term, a1=a1, b1=5, template=template)
    ref = audit_evidence.question_ref(report.term, template.uuid, "A1")
    evidence = follow_up.evidence_of(audit_evidence.QUESTION, ref, sendops)
    draft = report_draft(report.term, on=datetime.date(2026, 12, 1), reader=sendops)
    assert evidence.figure.split(", ")[0].removeprefix("A1: ") in draft.worried_about


def test_the_draft_names_each_high_risk_with_its_rating(report, sendops):
    high = RiskFactory(title="EP capacity below demand", likelihood=4, impact=4)
    RiskFactory(title="Minor website outage", likelihood=1, impact=2)
    worried = report_draft(report.term, on=datetime.date(2026, 12, 1), reader=sendops).worried_about
    assert f"**Risk {high.reference} is rated High (16)**: EP capacity below demand" in worried
    assert "Minor website outage" not in worried


def test_the_report_includes_the_high_risks_and_those_whose_score_changed(report):
    high = RiskFactory(title="EP capacity below demand", likelihood=5, impact=4)
    medium = RiskFactory(title="Transport budget overspend", likelihood=2, impact=3)
    history = medium.history.get()
    history.history_date = datetime.datetime(2025, 8, 1, tzinfo=datetime.UTC)  # before the term
    history.save()
    medium.likelihood = 4  # 12: High, changed this term
    medium.save()
    latest = medium.history.order_by("-history_id").first()
    latest.history_date = datetime.datetime(2025, 11, 20, tzinfo=datetime.UTC)
    latest.save()
    html = report_html(Version(report=report, number=1))
    risks = html[html.index('id="risks"') : html.index('id="horizon"')]
    assert f"{high.reference}: EP capacity below demand" in risks
    assert "High (20)" in risks
    assert f"{medium.reference}: Transport budget overspend" in risks
    assert "Medium (6)" in risks and "High (12)" in risks
