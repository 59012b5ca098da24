"""Every page a role can reach runs the same number of queries however much data there is: each
GET of the permission matrix that answers 200 is counted on the demo local area (with a few
records where the matrix's people see them), then again after more records of every kind (issue 22). A count that grows is a query per row."""

import io
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from tests.conftest import built_once
from tests.permission_matrix import ANONYMOUS, ROLES, ROWS, Row
from tests.queries import page_queries

# Pages that open for someone, with the roles they open for.
PAGES = [
    pytest.param(row, roles, id=f"{row.url_name}-{n}")
    for n, row in enumerate(ROWS)
    if row.method == "get"
    and (roles := [r for r in ROLES if r != ANONYMOUS and row.status_for(r) == 200])
]


@pytest.fixture(scope="module")
def demo_area(django_db_setup, django_db_blocker):
    """The demo local area, seeded once for the module (every test starts from it)."""
    yield from built_once(django_db_blocker, seed_demo)


def seed_demo() -> None:
    with override_settings(DEBUG=True):
        call_command("seed_demo", "--password", "demo-password-123", stdout=io.StringIO())


def more_of_everything(people, round_: int) -> None:
    """A few more records of every kind, where each role's pages show them: plans of the
    caseworker's team with audits by the auditor (some submitted), advice, moderation, people,
    indicators with values, actions the action owner leads, risks, meetings and reports."""
    from audits.models import Audit
    from governance.models import Forum
    from tests.audits.factories import (
        AdviceFactory,
        AuditFactory,
        ModerationSessionFactory,
        PlanFactory,
        sampled_plan,
    )
    from tests.factories import TeamFactory, UserFactory
    from tests.governance.factories import (
        DecisionFactory,
        ForwardPlanItemFactory,
        MeetingFactory,
    )
    from tests.kpis.factories import IndicatorFactory, MeasurementFactory, TargetFactory
    from tests.risks.factories import RiskFactory
    from tests.wsoa.factories import ActionFactory, WeaknessFactory

    team = people.caseworker.team
    for n in range(3):
        plan = PlanFactory(team=team)
        audit = AuditFactory(auditor=people.auditor, plan=plan)
        if n:
            audit.status = Audit.Status.SUBMITTED
            audit.save()
        AdviceFactory(plan=plan)
        UserFactory(organisation=people.sendops.organisation, team=team, roles=["caseworker"])
        indicator = IndicatorFactory(owner=people.action_owner)
        MeasurementFactory(indicator=indicator)
        TargetFactory(indicator=indicator)
        weakness = WeaknessFactory(plan=ActionFactory(led_by=people.action_owner).weakness.plan)
        ActionFactory(weakness=weakness, led_by=people.action_owner)
        RiskFactory(owner=people.sendops)
        meeting = MeetingFactory(forum=Forum.values[(n + round_) % len(Forum.values)])
        DecisionFactory(meeting=meeting, recorded_by=people.sendops)
        ForwardPlanItemFactory(meeting=meeting)
    TeamFactory(organisation=people.sendops.organisation)
    session = ModerationSessionFactory(members=[people.auditor])
    for order in (1, 2):
        sampled_plan(session, order=order, plan=PlanFactory(team=team))


def page_url(row: Row, people) -> str:
    """The row's address, its records made (once: they may have fixed names)."""
    url = reverse(row.url_name, kwargs=row.kwargs(people))
    data = row.data(people) if callable(row.data) else row.data
    return f"{url}?{urlencode(data)}" if data else url


def counts(url: str, roles: list[str], people, client_for) -> dict[str, int]:
    found = {}
    for role in roles:
        client = client_for(people[role])
        client.get(url)  # once first: what a process works out once is not the page's work
        cache.clear()
        found[role] = page_queries(client, url)
    return found


@pytest.mark.parametrize(("row", "roles"), PAGES)
def test_a_page_runs_as_many_queries_with_more_records(row, roles, demo_area, people, client_for):
    more_of_everything(people, 0)  # the people's own pages not empty: emptiness may save one
    url = page_url(row, people)
    before = counts(url, roles, people, client_for)
    more_of_everything(people, 1)
    more_of_everything(people, 2)
    after = counts(url, roles, people, client_for)
    assert after == before, f"{row.url_name}: queries before {before}, after more data {after}"
