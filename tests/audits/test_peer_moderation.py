"""Level 1: each team peer-moderates 2 plans every 6 weeks; what is due and overdue."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.models import Audit
from audits.peer_moderation import cycles_of_year, suggested_plans, team_schedules
from tests.audits.factories import AuditFactory, PlanFactory, small_template
from tests.factories import TeamFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def test_the_year_runs_in_six_week_cycles_from_september():
    cycles = cycles_of_year(datetime.date(2026, 11, 24))
    assert [(c.number, c.start, c.end) for c in cycles] == [
        (1, datetime.date(2026, 9, 1), datetime.date(2026, 10, 12)),
        (2, datetime.date(2026, 10, 13), datetime.date(2026, 11, 23)),
        (3, datetime.date(2026, 11, 24), datetime.date(2027, 1, 4)),
    ]
    assert len(cycles_of_year(datetime.date(2026, 9, 1))) == 1
    assert cycles_of_year(datetime.date(2027, 8, 31))[-1].number == 9


def peer(team, *, submitted_on=None, started_on):
    audit = AuditFactory(plan=PlanFactory(team=team), purpose=Audit.Purpose.PEER_MODERATION)
    at = datetime.datetime.combine(started_on, datetime.time(12), tzinfo=datetime.UTC)
    Audit.objects.filter(pk=audit.pk).update(assigned_at=at)
    if submitted_on:
        Audit.objects.filter(pk=audit.pk).update(
            status=Audit.Status.SUBMITTED,
            submitted_at=datetime.datetime.combine(
                submitted_on, datetime.time(12), tzinfo=datetime.UTC
            ),
        )
    return audit


def test_cycles_are_done_due_or_overdue():
    team = TeamFactory()
    today = datetime.date(2026, 11, 24)  # the first day of cycle 3
    # Cycle 1: two submitted, done. Cycle 2: one submitted, overdue. Cycle 3: one started in
    # cycle 2 and submitted today counts here, one in progress: due.
    peer(team, started_on=datetime.date(2026, 9, 10), submitted_on=datetime.date(2026, 9, 20))
    peer(team, started_on=datetime.date(2026, 10, 1), submitted_on=datetime.date(2026, 10, 12))
    peer(team, started_on=datetime.date(2026, 10, 20), submitted_on=datetime.date(2026, 10, 21))
    peer(team, started_on=datetime.date(2026, 11, 20), submitted_on=today)
    peer(team, started_on=today)  # in progress
    AuditFactory(plan=PlanFactory(team=team))  # an ordinary audit does not count
    (schedule,) = team_schedules([team], on=today)
    assert [(c.done, c.started, c.status) for c in schedule.cycles] == [
        (2, 0, "done"),
        (1, 0, "overdue"),
        (1, 1, "due"),
    ]
    assert [c.cycle.number for c in schedule.overdue] == [2]


def test_suggestions_are_random_stable_in_a_cycle_and_skip_recent_audits():
    team = TeamFactory()
    plans = PlanFactory.create_batch(10, team=team)
    AuditFactory(plan=plans[0])
    today = timezone.localdate()
    first = list(suggested_plans(team, on=today))
    assert len(first) == 2 and plans[0] not in first
    assert list(suggested_plans(team, on=today)) == first


def test_a_caseworker_starts_a_peer_moderation_of_a_team_plan(people, client_for):
    small_template()
    mine = PlanFactory(team=people.caseworker.team)
    other = PlanFactory(team=TeamFactory())
    client = client_for(people.caseworker)
    response = client.post(reverse("audits:peer_start"), {"plan": str(mine.uuid)})
    audit = Audit.objects.get(plan=mine)
    assert response.url == reverse("audits:audit_detail", kwargs={"audit_uuid": audit.uuid})
    assert (audit.purpose, audit.auditor) == (Audit.Purpose.PEER_MODERATION, people.caseworker)
    assert client.post(reverse("audits:peer_start"), {"plan": str(other.uuid)}).status_code == 404
    page = client.get(reverse("audits:peer_moderation")).content.decode()
    assert people.caseworker.team.name in page and mine.case_reference in page


def test_the_page_runs_a_fixed_number_of_queries(people, client_for):
    client = client_for(people.sendops)
    PlanFactory(team=people.caseworker.team)
    url = reverse("audits:peer_moderation")

    few = page_queries(client, url)
    today = timezone.localdate()
    for _ in range(4):
        team = TeamFactory()
        peer(team, started_on=today, submitted_on=today)
        peer(team, started_on=today)
    assert page_queries(client, url) == few
