"""Each breakdown of a term's findings is kept once opened (audits.models.figures.TermBreakdown):
the kept one is what counting gives, and any change the breakdown reads (an audit, a plan's
details, a team's name, plans imported in bulk) counts it again before a page reads it."""

import pytest
from django.urls import reverse

from audits import term_figures
from audits.breakdowns import BREAKDOWNS, BY_KEY
from audits.models import Audit, Plan
from audits.models.figures import TermBreakdown
from audits.queries import findings_by, term_findings_by
from audits.signals import records_written_in_bulk
from tests.audits.factories import ModerationSessionFactory, PlanFactory, small_template
from tests.audits.test_breakdowns import audits_of
from tests.factories import TeamFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def shown(split) -> list[tuple]:
    """What a breakdown prints: each group's counts, share, sections and question means."""
    return [
        (
            g.label,
            g.submitted,
            g.good_or_better,
            g.not_good,
            g.not_graded,
            g.percent_good_or_better,
            g.sections,
            g.questions,
        )
        for g in [*split.groups, split.totals]
    ] + [(c.template.pk, [q.code for q in c.questions]) for c in split.questions]


def counted_afresh(term, breakdown) -> list[tuple]:
    return shown(findings_by(Audit.objects.of_plans().filter(term=term), breakdown))


@pytest.fixture
def a_term_of_audits():
    term = ModerationSessionFactory().term
    template = small_template()
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    audits_of(term, 6, good=4, template=template, year_group="4", team=north)
    audits_of(term, 7, good=2, template=template, year_group="8", team=south)
    audits_of(term, 2, good=1, template=template, year_group="12", primary_need="SEMH")
    return term


@pytest.mark.parametrize("breakdown", BREAKDOWNS, ids=lambda b: b.key)
def test_a_kept_breakdown_is_what_counting_gives_and_is_read_once_kept(
    a_term_of_audits, breakdown, django_assert_max_num_queries
):
    term = a_term_of_audits
    assert shown(term_findings_by(term, breakdown)) == counted_afresh(term, breakdown)
    assert TermBreakdown.objects.filter(term=term, breakdown=breakdown.key).exists()
    with django_assert_max_num_queries(4):  # the kept row, the checklists (2), their questions
        again = term_findings_by(term, breakdown)
    assert shown(again) == counted_afresh(term, breakdown)


def test_every_change_a_breakdown_reads_counts_it_again_before_it_is_read(a_term_of_audits):
    term = a_term_of_audits
    by_need, by_team = BY_KEY["primary_need"], BY_KEY["team"]
    term_findings_by(term, by_need), term_findings_by(term, by_team)

    # A plan's need changed: its audits' terms are stamped.
    plan = Plan.objects.filter(audits__term=term).exclude(primary_need="SEMH").first()
    plan.primary_need = "SEMH"
    plan.save()
    assert shown(term_findings_by(term, by_need)) == counted_afresh(term, by_need)

    # A team renamed.
    plan.team.name = "Central"
    plan.team.save()
    split = term_findings_by(term, by_team)
    assert "Central" in [g.label for g in split.groups]
    assert shown(split) == counted_afresh(term, by_team)

    # Plans changed in bulk, as the register's import writes them.
    Plan.objects.filter(audits__term=term).update(primary_need="SLCN")
    records_written_in_bulk.send(sender=Plan)
    assert shown(term_findings_by(term, by_need)) == counted_afresh(term, by_need)

    # An audit reopened.
    audit = Audit.objects.filter(term=term, status=Audit.Status.SUBMITTED).first()
    audit.status = Audit.Status.IN_PROGRESS
    audit.save()
    assert shown(term_findings_by(term, by_need)) == counted_afresh(term, by_need)


def test_the_refresh_counts_again_the_breakdowns_opened_for_a_changed_term(a_term_of_audits):
    term = a_term_of_audits
    by_need = BY_KEY["primary_need"]
    term_findings_by(term, by_need)
    kept = TermBreakdown.objects.get(term=term, breakdown=by_need.key)
    PlanFactory()  # a new plan stamps nothing: it has no audits
    plan = Plan.objects.filter(audits__term=term).first()
    plan.primary_need = "SEMH"
    plan.save()
    assert term_figures.refresh_out_of_date() >= 1
    refreshed = TermBreakdown.objects.get(term=term, breakdown=by_need.key)
    assert refreshed.counted != kept.counted
    assert not TermBreakdown.objects.filter(term=term, breakdown="team").exists()  # never opened
    assert shown(term_findings_by(term, by_need)) == counted_afresh(term, by_need)


def test_a_kept_breakdown_is_read_in_a_fixed_number_of_queries(
    a_term_of_audits, people, client_for
):
    term = a_term_of_audits
    client = client_for(people.sendops)
    url = f"{reverse('audits:findings')}?term={term.uuid}&by=primary_need"
    client.get(url)  # counted and kept
    few = page_queries(client, url)
    audits_of(term, 9, good=3, template=small_template(), year_group="2")
    client.get(url)
    assert page_queries(client, url) == few
