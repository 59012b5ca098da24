"""Every page a role can reach runs the same number of queries however much data there is: each
GET of the permission matrix that answers 200 is counted on the demo local area (with a few
records where the matrix's people see them), then again after more records of every kind (issue 22). A count that grows is a query per row.

The demo (seeded once a run, tests/demo_once.py), the people and the first counts are made once
for the module (they took 1.4 s per
test): each test makes its page's records again and counts it on the larger data."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from bench.county import statistics_fresh
from send_qa.core.models import User
from tests.conftest import ROLE_PEOPLE, People, make_people, signed_in_client
from tests.demo_once import built_on_the_demo, shared_run_folder
from tests.permission_matrix import ANONYMOUS, ROLES, ROWS, Row
from tests.queries import page_queries

# Pages that open for someone, with the roles they open for.
PAGES = [
    pytest.param(row, roles, id=f"{row.url_name}-{n}")
    for n, row in enumerate(ROWS)
    if row.method == "get"
    and (roles := [r for r in ROLES if r != ANONYMOUS and row.status_for(r) == 200])
]


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


def counts(url: str, roles: list[str], people: People) -> dict[str, int]:
    found = {}
    for role in roles:
        client = signed_in_client(people[role])
        client.get(url)  # once first: what a process works out once is not the page's work
        cache.clear()
        found[role] = page_queries(client, url)
    return found


@dataclass
class Before:
    """One page's queries on the smaller data, per role, or what went wrong counting them
    (raised again in that page's own test)."""

    counts: dict[str, int] = field(default_factory=dict)
    failed: Exception | None = None


@dataclass(repr=False)  # its repr, in a failing test's report, would be every page's counts
class CountedOnce:
    people: People
    before: dict[str, Before]


class Undone(Exception):
    """Rolls a page's savepoint back once its queries are counted."""


def every_page_counted_before(chosen: set[str]) -> CountedOnce:
    """On the demo: the people and a round of records; then each page counted, as its own test
    did before it: its records made, each role's queries counted, all of it undone (a
    savepoint); then two more rounds. Built once for the module, where each page's test made
    all of it afresh (1.4 s each): the test makes its page's records again, counts again on
    the larger data and compares. A page that fails here fails its own test only."""
    people = make_people()
    more_of_everything(people, 0)  # the people's own pages not empty: emptiness may save one
    # The planner's statistics before any page is opened (`built_once` gathers them only once
    # this whole build is done): planned for empty tables, one findings query ran 5 minutes.
    statistics_fresh()
    before = {}
    for page in PAGES:
        if page.id not in chosen:
            continue
        row, roles = page.values
        before[page.id] = found = Before()
        cache.clear()  # as each test starts (tests/conftest.py empty_cache)
        try:
            with transaction.atomic():
                fresh = afresh(people)  # as the page's own test reads them
                found.counts = counts(page_url(row, fresh), roles, fresh)
                raise Undone
        except Undone:
            pass
        except Exception as error:  # raised again in the page's own test
            found.failed = error
    cache.clear()
    more_of_everything(people, 1)
    more_of_everything(people, 2)
    return CountedOnce(people=people, before=before)


def afresh(people: People) -> People:
    """The people as the database has them: a page's work undone leaves its changes to them on
    the objects (their last sign-in, their roles)."""
    made = {key: people[key].pk for key in ROLE_PEOPLE}
    fresh = User.objects.select_related("organisation", "team").in_bulk(made.values())
    return People(**{key: fresh[pk] for key, pk in made.items()})


@pytest.fixture(scope="module")
def counted_before(
    request, django_db_setup, django_db_blocker, tmp_path_factory
) -> Iterator[CountedOnce]:
    """On the demo, seeded once a run (tests/demo_once.py). Only the pages whose tests run
    (`-k`, a failed test run again) are counted."""
    chosen = {
        item.callspec.id
        for item in request.session.items
        if item.path == request.path and hasattr(item, "callspec")
    }
    yield from built_on_the_demo(
        django_db_blocker,
        shared_run_folder(tmp_path_factory),
        lambda printed: every_page_counted_before(chosen),
    )


@pytest.mark.parametrize(("row", "roles"), PAGES)
def test_a_page_runs_as_many_queries_with_more_records(row, roles, counted_before, request, db):
    found = counted_before.before[request.node.callspec.id]
    if found.failed is not None:
        raise found.failed
    people = afresh(counted_before.people)
    url = page_url(row, people)
    after = counts(url, roles, people)
    before = found.counts
    assert after == before, f"{row.url_name}: queries before {before}, after more data {after}"
