"""The plans register's pages: one plan, and who may see it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.audits.factories import AuditFactory, PlanFactory
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def plan_url(plan):
    return reverse("audits:plan_detail", kwargs={"plan_uuid": plan.uuid})


def test_a_plan_shows_its_details_and_the_audits_the_reader_may_see(people, client_for):
    today = timezone.localdate()
    plan = PlanFactory(
        team=people.caseworker.team, next_review_due=today + datetime.timedelta(weeks=3)
    )
    mine = AuditFactory(plan=plan, auditor=people.auditor)
    theirs = AuditFactory(plan=plan, auditor=UserFactory(roles=["auditor"]))
    html = client_for(people.auditor).get(plan_url(plan)).content.decode()
    assert plan.case_reference in html and "Due soon" in html
    assert str(mine.uuid) in html and str(theirs.uuid) not in html
    sendops = client_for(people.sendops).get(plan_url(plan)).content.decode()
    assert str(mine.uuid) in sendops and str(theirs.uuid) in sendops
    assert "Assign this plan for audit" in sendops
    assert "Assign this plan for audit" not in html
    response = client_for(people.sendops).get(plan_url(plan))
    assert "no-store" in response["Cache-Control"]


def test_a_plan_of_another_team_is_not_found(people, client_for):
    other = PlanFactory(team=TeamFactory())
    assert client_for(people.caseworker).get(plan_url(other)).status_code == 404
    assert client_for(people.auditor).get(plan_url(other)).status_code == 404
    assert client_for(people.board).get(plan_url(other)).status_code == 403
