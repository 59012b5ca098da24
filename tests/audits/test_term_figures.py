"""Each term's findings kept (audits.models.figures.TermFigures): the kept figures are what
counting the answers gives, every kind of change counts them again, a page never reads a count
made before a change, and the pages read them in a fixed number of queries."""

import copy
import random
from io import BytesIO

import pytest
from django.db.models import Avg, Count, F, FloatField, Q
from django.db.models.functions import Cast
from django.urls import reverse

from audits import term_figures
from audits.models import Answer, Audit, TemplateItem
from audits.models.figures import TermFigures
from audits.queries import audit_trend, term_findings, term_findings_of, term_qa, trend_by_term
from audits.result_import import results_check, results_save, results_template
from audits.retention import retention_apply
from audits.template_io import template_import
from send_qa.core.models import Period, ensure_academic_year
from send_qa.core.tables import read_table
from tests.audits.factories import SMALL_TEMPLATE, AuditFactory, PlanFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def a_checklist(name: str):
    data = copy.deepcopy(SMALL_TEMPLATE)
    data["name"] = name
    return template_import(data)[0]


def items_of(template) -> dict[str, TemplateItem]:
    return {i.code: i for i in TemplateItem.objects.filter(section__template=template)}


def an_audit(term, template, rng: random.Random, *, status: str) -> Audit:
    """An audit left not started, in progress, or submitted, with answers drawn by `rng`
    (B1 and B2 may be "not applicable", A2 and B2 yes or no)."""
    audit = AuditFactory(term=term, template=template, plan=PlanFactory())
    if status == Audit.Status.NOT_STARTED:
        return audit
    found = items_of(template)

    def maybe_na(fields: dict) -> dict:
        return {"not_applicable": True} if rng.random() < 0.2 else fields

    audit.save_answers(
        values={
            found["A1"].pk: {"score": rng.randint(1, 5)},
            found["A2"].pk: {"yes_no": rng.choice(["yes", "no"])},
            found["B1"].pk: maybe_na({"score": rng.randint(1, 5)}),
            found["B2"].pk: maybe_na({"yes_no": rng.choice(["yes", "no"])}),
        },
        version=audit.edit_version(),
    )
    if status == Audit.Status.SUBMITTED:
        audit.save_overall(rating=rng.randint(1, 4), comments="", version=audit.edit_version())
        audit.submit(version=audit.edit_version(), by=audit.auditor)
    return audit


def random_term(rng: random.Random, terms, templates, count: int) -> None:
    statuses = [Audit.Status.NOT_STARTED, Audit.Status.IN_PROGRESS, *[Audit.Status.SUBMITTED] * 3]
    for _ in range(count):
        an_audit(rng.choice(terms), rng.choice(templates), rng, status=rng.choice(statuses))


def counted_directly(term):
    return term_findings(Audit.objects.of_plans().filter(term=term))


def weakest_by_sql(term) -> list[tuple]:
    """The weakest questions as the findings counted them before they were kept: one query
    over the answers, averaging each as a percentage of its scale."""
    rows = (
        Answer.objects.filter(audit__in=Audit.objects.of_plans().filter(term=term).submitted())
        .with_value(TemplateItem.Kind.SCORE)
        .values("item__code", "item__section__template__name")
        .annotate(
            answers=Count("id"),
            average=Avg("score"),
            percent=Avg(Cast(F("score"), FloatField()) * 100.0 / F("item__scale_max")),
        )
    )
    return sorted(
        (r["item__code"], r["item__section__template__name"], r["answers"], r["percent"])
        for r in rows
    )


def golden_by_sql(term) -> tuple[int, int]:
    counts = (
        Answer.objects.filter(
            audit__in=Audit.objects.of_plans().filter(term=term).submitted(),
            item__golden_thread=True,
        )
        .with_value(TemplateItem.Kind.YES_NO)
        .aggregate(asked=Count("id"), met=Count("id", filter=Q(yes_no="yes")))
    )
    return counts["asked"], counts["met"]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_kept_figures_are_what_counting_the_answers_gives(seed):
    rng = random.Random(seed)
    ensure_academic_year(2025)
    terms = list(Period.objects.terms())
    templates = [a_checklist("North EHCP checklist"), a_checklist("South EHCP checklist")]
    random_term(rng, terms, templates, rng.randint(8, 16))
    term_figures.refresh_out_of_date()
    assert all(figures.is_current for figures in TermFigures.objects.all())
    for term in terms:
        kept = term_findings_of(term)
        assert kept == counted_directly(term)
        weakest = sorted(
            (
                r["item__code"],
                r["item__section__template__name"],
                r["answers"],
                r["percent"],
            )
            for r in kept.weakest_items
        )
        assert [w[:3] for w in weakest] == [w[:3] for w in weakest_by_sql(term)]
        for mine, theirs in zip(weakest, weakest_by_sql(term), strict=True):
            assert mine[3] == pytest.approx(theirs[3])
        golden = kept.golden_thread
        assert (golden["asked"], golden["met"]) == golden_by_sql(term)
    assert audit_trend() == trend_by_term(Audit.objects.of_plans())


@pytest.fixture
def term():
    ensure_academic_year(2025)
    return Period.objects.terms().order_by("start").first()


@pytest.fixture
def template():
    return a_checklist("EHCP checklist")


@pytest.fixture
def refreshing(eager_celery, django_capture_on_commit_callbacks):
    """Run what a change queues once it commits (the refresh task), as the worker would."""

    def changed(change):
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return changed


def kept_figures(term) -> TermFigures:
    return TermFigures.objects.get(term=term)


def assert_kept_and_right(term) -> None:
    """The term's kept count is current (no page need count) and is what counting gives."""
    figures = kept_figures(term)
    assert figures.is_current
    kept = term_figures.FindingsCounts.from_json(figures.counts)
    assert kept == term_figures.findings_counted(Audit.objects.of_plans().filter(term=term))


def test_submitting_and_reopening_count_the_term_again(term, template, refreshing, people):
    rng = random.Random(5)
    refreshing(lambda: an_audit(term, template, rng, status=Audit.Status.SUBMITTED))
    audit = refreshing(lambda: an_audit(term, template, rng, status=Audit.Status.IN_PROGRESS))
    assert_kept_and_right(term)
    assert term_findings_of(term).submitted == 1

    def submit():
        audit.save_overall(rating=3, comments="", version=audit.edit_version())
        audit.submit(version=audit.edit_version(), by=audit.auditor)

    refreshing(submit)
    assert_kept_and_right(term)
    assert term_findings_of(term).submitted == 2
    refreshing(lambda: audit.reopen(by=people.sendops, reason="Scores disputed"))
    assert_kept_and_right(term)
    assert term_findings_of(term).submitted == 1


def test_assigning_moving_and_deleting_audits_count_the_terms_again(term, template, refreshing):
    later = Period.objects.terms().order_by("start")[1]
    rng = random.Random(6)
    audit = refreshing(lambda: an_audit(term, template, rng, status=Audit.Status.SUBMITTED))
    refreshing(
        lambda: Audit.objects.assign(
            plans=PlanFactory.create_batch(3),
            auditor=audit.auditor,
            template=template,
            term=term,
            by=None,
        )
    )
    assert_kept_and_right(term)
    assert term_findings_of(term).by_status["Not started"] == 3

    moved = Audit.objects.get(pk=audit.pk)  # read afresh, as a page reads it

    def move():
        moved.term = later
        moved.save()

    refreshing(move)
    assert_kept_and_right(term)
    assert_kept_and_right(later)
    assert (term_findings_of(term).submitted, term_findings_of(later).submitted) == (0, 1)
    refreshing(lambda: Audit.objects.filter(pk=moved.pk).delete())
    assert_kept_and_right(later)
    assert term_findings_of(later).total == 0


def test_importing_past_results_counts_the_terms_again(term, refreshing, people):
    data = {**SMALL_TEMPLATE, "name": "Past EHCP audit"}
    template_import(data, publish=True)
    term_figures.count_and_keep(term.pk)
    csv = f"case_reference,term,grade,score\nEHC1,{term.name},Good,30/40\n"

    def run():
        checked = results_check(
            read_table(BytesIO(csv.encode()), "results.csv"),
            template=results_template("Past EHCP audit"),
            by=people.sendops,
        )
        return results_save(checked, by=people.sendops)

    refreshing(run)
    assert_kept_and_right(term)
    assert term_findings_of(term).submitted == 1


def test_publishing_a_checklist_and_retention_count_every_term_again(term, template, refreshing):
    rng = random.Random(7)
    refreshing(lambda: an_audit(term, template, rng, status=Audit.Status.SUBMITTED))
    before = kept_figures(term).changed
    draft = template_import({**SMALL_TEMPLATE, "name": "New EHCP checklist"}, publish=False)[0]
    refreshing(lambda: draft.publish())
    assert kept_figures(term).changed != before
    assert_kept_and_right(term)
    before = kept_figures(term).changed
    refreshing(retention_apply)
    assert kept_figures(term).changed != before
    assert_kept_and_right(term)


def test_a_page_never_reads_a_count_made_before_a_change(term, template, people, client_for):
    rng = random.Random(8)
    an_audit(term, template, rng, status=Audit.Status.SUBMITTED)
    term_figures.refresh_out_of_date()
    assert kept_figures(term).is_current
    # A change whose refresh has not run (no commit in a test): the kept count is out of date.
    an_audit(term, template, rng, status=Audit.Status.SUBMITTED)
    assert not kept_figures(term).is_current
    client = client_for(people.sendops)
    page = client.get(reverse("audits:findings"), {"term": term.uuid})
    assert page.context["summary"] == counted_directly(term)
    assert page.context["summary"].submitted == 2
    assert term_qa(term=term, on=term.end).audits.submitted == 2  # the report's figures
    assert_kept_and_right(term)  # counted on the spot, and kept
    # Missing altogether (the bench's county is written by COPY): counted and kept.
    TermFigures.objects.all().delete()
    assert term_findings_of(term) == counted_directly(term)
    assert_kept_and_right(term)


def test_a_count_is_not_kept_when_the_term_changed_while_it_was_counted(
    term, template, monkeypatch
):
    rng = random.Random(9)
    an_audit(term, template, rng, status=Audit.Status.SUBMITTED)
    counting = term_figures.findings_counted

    def change_meanwhile(audits):
        counts = counting(audits)
        an_audit(term, template, rng, status=Audit.Status.SUBMITTED)  # a change commits
        return counts

    monkeypatch.setattr(term_figures, "findings_counted", change_meanwhile)
    term_figures.count_and_keep(term.pk)
    assert not kept_figures(term).is_current  # the next page counts it again
    monkeypatch.setattr(term_figures, "findings_counted", counting)
    assert term_findings_of(term).submitted == 2


def test_findings_and_the_qa_summary_read_the_kept_figures_in_a_fixed_number_of_queries(
    term, template, people, client_for, refreshing
):
    rng = random.Random(10)
    client = client_for(people.sendops)
    urls = [
        f"{reverse('audits:findings')}?term={term.uuid}",
        f"{reverse('audits:qa_summary')}?term={term.uuid}",
    ]
    refreshing(lambda: an_audit(term, template, rng, status=Audit.Status.SUBMITTED))
    few = [page_queries(client, url) for url in urls]
    second = a_checklist("Second EHCP checklist")
    for _ in range(6):
        refreshing(lambda: an_audit(term, second, rng, status=Audit.Status.SUBMITTED))
        refreshing(lambda: an_audit(term, template, rng, status=Audit.Status.IN_PROGRESS))
    assert [page_queries(client, url) for url in urls] == few
    # Counted on the spot (each page's count out of date): a fixed number of queries too.

    def counted_on_the_spot(url: str) -> int:
        TermFigures.objects.changed([term.pk])
        return page_queries(client, url)

    stale = [counted_on_the_spot(url) for url in urls]
    assert stale != few  # it did count
    for _ in range(6):
        an_audit(term, template, rng, status=Audit.Status.SUBMITTED)
    assert [counted_on_the_spot(url) for url in urls] == stale
