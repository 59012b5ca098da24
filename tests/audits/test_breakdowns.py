"""Issue 19 item 6: findings, the QA summary and the export break down by key stage, need,
placement, team and new or existing plans, small groups withheld as for any child characteristic."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.breakdowns import (
    BREAKDOWNS,
    BY_KEY,
    EARLY_YEARS,
    EXISTING,
    KEY_STAGE_1,
    KEY_STAGE_2,
    KEY_STAGE_3,
    KEY_STAGE_4,
    NEW,
    NOT_RECORDED,
    POST_16,
    POST_19,
    audit_day,
    key_stage,
    new_or_existing,
)
from audits.exports import export_table
from audits.models import Audit
from audits.models.plans import YEAR_GROUPS, AgeBand, PrimaryNeed
from audits.queries import findings_by, term_findings
from send_qa.core.suppression import WITHHELD
from tests.audits.factories import (
    AuditFactory,
    ModerationSessionFactory,
    PlanFactory,
    small_template,
)
from tests.audits.test_moderation import submitted_audit
from tests.factories import TeamFactory
from tests.queries import page_queries

YEAR_STAGES = {
    "N1": EARLY_YEARS,
    "N2": EARLY_YEARS,
    "R": EARLY_YEARS,
    "1": KEY_STAGE_1,
    "2": KEY_STAGE_1,
    "3": KEY_STAGE_2,
    "6": KEY_STAGE_2,
    "7": KEY_STAGE_3,
    "9": KEY_STAGE_3,
    "10": KEY_STAGE_4,
    "11": KEY_STAGE_4,
    "12": POST_16,
    "14": POST_16,
}
BAND_STAGES = {
    "0-4": EARLY_YEARS,
    "5-10": NOT_RECORDED,
    "11-15": NOT_RECORDED,
    "16-19": POST_16,
    "20-25": POST_19,
    "NR": NOT_RECORDED,
    "": NOT_RECORDED,
}


@pytest.mark.parametrize(("year", "stage"), YEAR_STAGES.items())
def test_the_year_group_gives_the_key_stage_at_each_boundary(year, stage):
    assert key_stage(year, "5-10") == stage  # the year group wins over an age band


@pytest.mark.parametrize(("band", "stage"), BAND_STAGES.items())
def test_without_a_year_group_only_a_band_inside_one_stage_gives_it(band, stage):
    assert key_stage("", band) == stage


def test_every_year_group_has_a_key_stage():
    assert NOT_RECORDED not in {key_stage(year, "") for year in YEAR_GROUPS}
    assert key_stage("15", "") == NOT_RECORDED


ON = datetime.date(2026, 3, 10)


@pytest.mark.parametrize(
    ("issued", "on", "expected"),
    [
        (datetime.date(2026, 3, 10), ON, NEW),
        (datetime.date(2025, 3, 11), ON, NEW),  # a year less a day before
        (datetime.date(2025, 3, 10), ON, EXISTING),  # a year to the day: in its second year
        (datetime.date(2019, 1, 1), ON, EXISTING),
        (datetime.date(2023, 3, 1), datetime.date(2024, 2, 29), NEW),
        (datetime.date(2023, 2, 28), datetime.date(2024, 2, 29), EXISTING),
        (None, ON, NOT_RECORDED),
        (ON, None, NOT_RECORDED),
    ],
)
def test_a_plan_is_new_in_its_first_twelve_months(issued, on, expected):
    assert new_or_existing(issued, on) == expected


def test_an_audit_is_dated_by_its_submission_else_its_term_end():
    submitted = timezone.make_aware(datetime.datetime(2026, 1, 5, 9))
    assert audit_day(submitted, ON) == datetime.date(2026, 1, 5)
    assert audit_day(None, ON) == ON
    assert audit_day(None, None) is None


@pytest.mark.django_db
def test_the_database_reads_key_stage_and_new_plans_as_the_rules_do():
    term = ModerationSessionFactory().term
    template = small_template()
    cases = [(year, "5-10") for year in YEAR_STAGES] + [("", band) for band in BAND_STAGES]
    issued_dates = [
        None,
        term.end,
        term.end - datetime.timedelta(days=364),
        term.end.replace(year=term.end.year - 1),
    ]
    for n, (year, band) in enumerate(cases):
        plan = PlanFactory(year_group=year, age_band=band, plan_issued=issued_dates[n % 4])
        AuditFactory(plan=plan, term=term, template=template)
    audit = AuditFactory(plan=PlanFactory(plan_issued=term.start), template=template)  # no term
    audit.submitted_at = timezone.make_aware(datetime.datetime(2026, 2, 1, 23, 30))
    audit.save()
    AuditFactory(plan=PlanFactory(plan_issued=term.start), template=template)  # no date at all
    annotated = Audit.objects.select_related("plan", "term").annotate(
        stage=BY_KEY["key_stage"].of_audit(), new=BY_KEY["new_or_existing"].of_audit()
    )
    seen = set()
    for a in annotated:
        assert a.stage == key_stage(a.plan.year_group, a.plan.age_band)
        on = audit_day(a.submitted_at, a.term.end if a.term else None)
        assert a.new == new_or_existing(a.plan.plan_issued, on)
        seen.add(a.new)
    assert seen == {NEW, EXISTING, NOT_RECORDED}


@pytest.fixture
def term():
    return ModerationSessionFactory().term


def audits_of(term, count, *, good, template, **plan):
    for n in range(count):
        score = 5 if n < good else 1
        submitted_audit(PlanFactory(**plan), term, a1=score, b1=score, template=template)


@pytest.mark.django_db
def test_a_small_group_and_the_group_that_would_give_it_back_are_withheld(term):
    template = small_template()
    audits_of(term, 6, good=6, template=template, year_group="4")
    audits_of(term, 2, good=2, template=template, year_group="8")
    audits = Audit.objects.of_plans().filter(term=term)
    split = findings_by(audits, BY_KEY["key_stage"])
    by_label = {group.label: group for group in split.groups}
    assert list(by_label) == [KEY_STAGE_2, KEY_STAGE_3]
    ks3 = by_label[KEY_STAGE_3]
    assert (ks3.submitted, ks3.good_or_better, ks3.percent_good_or_better) == (
        WITHHELD,
        WITHHELD,
        None,
    )
    # Beside the total of 8, key stage 2's 6 would give key stage 3's 2 back: withheld too.
    ks2 = by_label[KEY_STAGE_2]
    assert WITHHELD in (ks2.submitted, ks2.good_or_better)
    assert ks2.percent_good_or_better is None and ks2.sections == {}
    assert split.totals.submitted == 8
    assert [cells for _, cells in split.section_tables[0][1]] == [[WITHHELD, WITHHELD]] * 2


@pytest.mark.django_db
def test_groups_of_five_or_more_show_the_headline_rule_and_section_averages(term):
    template = small_template()
    audits_of(term, 10, good=5, template=template, primary_need=PrimaryNeed.SEMH)
    audits_of(term, 5, good=0, template=template, primary_need=PrimaryNeed.ASD)
    AuditFactory(term=term, template=template, plan=PlanFactory(primary_need=PrimaryNeed.SEMH))
    audits = Audit.objects.of_plans().filter(term=term)
    split = findings_by(audits, BY_KEY["primary_need"])
    semh, asd = split.groups  # in the need's order: ASD after SEMH
    assert semh.label == PrimaryNeed.SEMH.label and asd.label == PrimaryNeed.ASD.label
    assert (semh.submitted, semh.good_or_better, semh.not_good) == (10, 5, 5)
    assert semh.percent_good_or_better == Decimal("50.0")
    # None good of 5: no count is small, so 0.0% is shown.
    assert (asd.submitted, asd.good_or_better, asd.percent_good_or_better) == (5, 0, Decimal("0.0"))
    headline = term_findings(audits)
    assert split.totals.percent_good_or_better == headline.percent_good_or_better
    assert (split.totals.submitted, split.totals.good_or_better) == (15, 5)
    (checklist, rows) = split.section_tables[0]
    assert [code for code, _, _ in checklist.sections] == ["A", "B"]
    # Every ASD audit: A1 1 of 5 (A2 unweighted); B1 1 of 5 and B2 yes, 1 of 1: 2 of 6.
    assert dict(rows)[asd.label] == [20, Decimal("33.3")]


@pytest.mark.django_db
def test_team_breakdown_lists_teams_alphabetically_and_not_recorded_last(term):
    template = small_template()
    audits_of(term, 5, good=5, template=template, team=TeamFactory(name="West"))
    audits_of(term, 5, good=5, template=template, team=TeamFactory(name="east"))
    audits_of(term, 5, good=5, template=template, team=None)
    split = findings_by(Audit.objects.of_plans().filter(term=term), BY_KEY["team"])
    assert [g.label for g in split.groups] == ["east", "West", NOT_RECORDED]


@pytest.mark.django_db
def test_the_findings_page_and_qa_summary_break_down_by_each_choice(term, people, client_for):
    template = small_template()
    audits_of(term, 5, good=4, template=template, year_group="R", plan_issued=term.start)
    audits_of(term, 2, good=0, template=template, year_group="12")
    client = client_for(people.sendops)
    for name in ("audits:findings", "audits:qa_summary"):
        html = client.get(reverse(name), {"term": term.uuid}).content.decode()
        assert 'id="by"' in html and "By key stage" not in html
        for breakdown in BREAKDOWNS:
            html = client.get(reverse(name), {"term": term.uuid, "by": breakdown.key})
            html = html.content.decode()
            assert f"By {breakdown.label.lower()}" in html
            assert f'<option value="{breakdown.key}" selected>' in html
        html = client.get(reverse(name), {"term": term.uuid, "by": "key_stage"}).content.decode()
        table = html.split("By key stage")[1]
        assert EARLY_YEARS in table and POST_16 in table
        assert ">80.0%<" not in table  # 4 of 5 in the early years would give post-16's 2 away
        assert "withheld" in table


@pytest.mark.django_db
def test_the_breakdown_pages_run_a_fixed_number_of_queries(term, people, client_for):
    template = small_template()
    client = client_for(people.sendops)
    audits_of(term, 1, good=1, template=template, team=TeamFactory())
    counts = {}
    urls = [
        f"{reverse(name)}?term={term.uuid}&by={breakdown.key}"
        for name in ("audits:findings", "audits:qa_summary")
        for breakdown in BREAKDOWNS
    ]
    # Each once first, to count and keep its figures (as the refresh does after a change).
    for url in urls:
        client.get(url)
    for url in urls:
        counts[url] = page_queries(client, url)
    audits_of(term, 12, good=5, template=template, team=TeamFactory(), year_group="3")
    audits_of(term, 7, good=5, template=template, team=TeamFactory(), age_band="16-19")
    for url in urls:
        client.get(url)
    for url, few in counts.items():
        assert page_queries(client, url) == few, url


@pytest.mark.django_db
def test_the_export_has_each_breakdown_column(term):
    template = small_template()
    team = TeamFactory(name="North team")
    plan = PlanFactory(
        year_group="",
        age_band=AgeBand.AGE_16_19,
        primary_need=PrimaryNeed.SLCN,
        placement_type="further_education",
        team=team,
        plan_issued=term.start,
    )
    submitted_audit(plan, term, a1=5, b1=5, template=template)
    AuditFactory(term=term, template=template, plan=PlanFactory(year_group="7"))
    header, rows = export_table(Audit.objects.of_plans().filter(term=term))
    columns = ["Key stage", "Primary need", "Placement type", "Team", "New or existing plan"]
    at = header.index("Overall rating") + 1
    assert header[at : at + 5] == columns
    assert [row[at : at + 5] for row in rows] == [
        [POST_16, PrimaryNeed.SLCN.label, "Further education", "North team", NEW],
        [KEY_STAGE_3, PrimaryNeed.ASD.label, "Mainstream", NOT_RECORDED, NOT_RECORDED],
    ]


def question_rows(split):
    """Each checklist version's question table as {(version, code): cells}."""
    return {
        (checklist.template.version, question.code): cells
        for checklist, rows in split.question_tables
        for question, cells in rows
    }


@pytest.mark.django_db
def test_each_group_has_its_mean_score_per_question_of_each_checklist_version(term):
    first, second = small_template(), small_template(version=2)
    audits_of(term, 5, good=3, template=first, year_group="4")  # A1 and B1: 5, 5, 5, 1, 1
    audits_of(term, 6, good=1, template=second, year_group="8")  # 5, then 1 five times
    split = findings_by(Audit.objects.of_plans().filter(term=term), BY_KEY["key_stage"])
    assert [g.label for g in split.groups] == [KEY_STAGE_2, KEY_STAGE_3]
    rows = question_rows(split)
    # Key stage 2, key stage 3, all audits; never one "A1" pooled across the two versions.
    assert list(rows) == [(1, "A1"), (1, "B1"), (2, "A1"), (2, "B1")]
    assert rows[(1, "A1")] == [Decimal("3.4"), None, Decimal("3.4")]
    assert rows[(2, "A1")] == [None, Decimal("1.7"), Decimal("1.7")]  # 10 / 6, half up
    assert rows[(2, "B1")] == rows[(2, "A1")]


@pytest.mark.django_db
def test_a_groups_question_means_are_withheld_with_the_group(term):
    template = small_template()
    audits_of(term, 5, good=5, template=template, year_group="1")
    audits_of(term, 5, good=0, template=template, year_group="4")
    audits_of(term, 4, good=4, template=template, year_group="8")
    split = findings_by(Audit.objects.of_plans().filter(term=term), BY_KEY["key_stage"])
    by_label = {g.label: g for g in split.groups}
    assert by_label[KEY_STAGE_3].withheld  # 4 audits
    a1 = question_rows(split)[(1, "A1")]
    for group, cell in zip([*split.groups, split.totals], a1, strict=True):
        assert (cell == WITHHELD) == group.withheld, group.label
        assert (group.questions == {}) == group.withheld
    shown = [g for g in split.groups if not g.withheld]
    assert shown and all(g.submitted == 5 for g in shown)  # 5 is enough to be shown
    assert a1[-1] == Decimal("3.6")  # all 14 audits: (25 + 5 + 20) / 14


@pytest.mark.django_db
def test_the_pages_print_the_question_means_and_withhold_them_with_the_group(
    term, people, client_for
):
    template = small_template()
    audits_of(term, 5, good=3, template=template, year_group="R", plan_issued=term.start)
    audits_of(term, 2, good=0, template=template, year_group="12")
    client = client_for(people.sendops)
    for name in ("audits:findings", "audits:qa_summary"):
        html = client.get(reverse(name), {"term": term.uuid, "by": "key_stage"}).content.decode()
        table = html.split("Mean score per question by key stage")[1].split("</table>")[0]
        a1 = table.split("Captures aspirations")[1].split("</tr>")[0]
        # Early years' 5 would give post-16's 2 back from the total: both withheld.
        assert a1.count("withheld") == 2 and ">3.4<" not in a1
        assert ">2.7<" in a1  # all 7 audits: (5 * 3 + 1 * 4) / 7, as the headline is shown
