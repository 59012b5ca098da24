"""Annual reviews due: a page at a time, by team and month, with the filters kept in links."""

import datetime

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from audits.reviews import (
    ReviewFilters,
    month_read,
    plans_with_reviews_due,
    review_months,
    review_teams,
    reviews_due_ordered,
)
from audits.views.plans import PLANS_PER_PAGE
from tests.audits.factories import PlanFactory
from tests.factories import TeamFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

URL = reverse("audits:reviews_due")


def due(days: int, **fields):
    return PlanFactory(
        next_review_due=timezone.localdate() + datetime.timedelta(days=days), **fields
    )


def month_of(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).strftime("%Y-%m")


def test_a_month_is_read_only_as_year_and_month():
    assert month_read("2026-11") == datetime.date(2026, 11, 1)
    assert month_read("2026-13") is None
    assert month_read("2026-1") is None
    assert month_read("november") is None
    assert ReviewFilters.read(QueryDict("month=junk&team=1")) == ReviewFilters()


def test_the_months_and_teams_count_the_reviews_due_in_each(people):
    north = people.caseworker.team
    south = TeamFactory(organisation=north.organisation, name="EHC Team South")
    due(-40, team=north)
    due(-40, team=south)
    due(5, team=south)
    due(400, team=south)  # not due yet
    PlanFactory(team=north, next_review_due=None)
    plans = plans_with_reviews_due(people.sendops, today=timezone.localdate())
    months = {month.value: month.plans for month in review_months(plans)}
    assert months[month_of(-40)] == 2 and sum(months.values()) == 3
    teams = [(team.name, team.plans) for team in review_teams(plans)]
    assert teams == [("EHC Team North", 1), ("EHC Team South", 2)]
    in_month = ReviewFilters(month=month_of(5)).of_month(plans)
    assert [plan.team for plan in in_month] == [south]


def test_the_list_is_by_team_then_the_earliest_review_first(people):
    north = people.caseworker.team
    south = TeamFactory(organisation=north.organisation, name="A Team South")
    later, earlier, other = due(10, team=north), due(-10, team=north), due(20, team=south)
    without = due(1)
    plans = plans_with_reviews_due(people.sendops, today=timezone.localdate())
    assert list(reviews_due_ordered(plans)) == [other, earlier, later, without]


def test_the_page_shows_a_bounded_number_of_plans_with_links_keeping_the_filters(
    people, client_for
):
    north = people.caseworker.team
    south = TeamFactory(organisation=north.organisation, name="EHC Team South")
    for _ in range(PLANS_PER_PAGE + 5):
        due(-3, team=north)
    due(-3, team=south)
    client = client_for(people.sendops)
    response = client.get(URL, {"team": str(north.uuid), "month": month_of(-3)})
    assert len(response.context["page"].object_list) == PLANS_PER_PAGE
    html = response.content.decode()
    assert f"EHC Team North: {PLANS_PER_PAGE + 5} plans ({PLANS_PER_PAGE} on this page)" in html
    assert "EHC Team South" not in html.split("<table")[1]
    assert f"team={north.uuid}&amp;month={month_of(-3)}&amp;page=2" in html
    assert 'rel="next"' in html and "Page 1 of 2" in html
    last = client.get(URL, {"team": str(north.uuid), "month": month_of(-3), "page": 2})
    assert len(last.context["page"].object_list) == 5
    assert 'rel="prev"' in last.content.decode()
    beyond = client.get(URL, {"team": str(north.uuid), "month": month_of(-3), "page": 99})
    assert beyond.status_code == 200 and beyond.context["page"].number == 2
    junk = client.get(URL, {"page": "junk", "month": "junk", "team": "junk"})
    assert junk.status_code == 200 and junk.context["page"].number == 1


def test_a_caseworker_sees_only_their_team_and_no_team_filter(people, client_for):
    north = people.caseworker.team
    south = TeamFactory(organisation=north.organisation, name="EHC Team South")
    mine, theirs = due(-3, team=north), due(-3, team=south)
    response = client_for(people.caseworker).get(URL)
    html = response.content.decode()
    assert mine.case_reference in html and theirs.case_reference not in html
    assert response.context["teams"] == []
    assert 'name="month"' in html
    # Asking for another team's shows none of theirs.
    other = client_for(people.caseworker).get(URL, {"team": str(south.uuid)})
    assert theirs.case_reference not in other.content.decode()
    sendops = client_for(people.sendops).get(URL).content.decode()
    assert 'name="team"' in sendops and "EHC Team South (1)" in sendops


def test_nothing_due_says_so(people, client_for):
    html = client_for(people.sendops).get(URL).content.decode()
    assert "No annual reviews are overdue or due in the next 8 weeks." in html
    filtered = client_for(people.sendops).get(URL, {"month": "2020-01"}).content.decode()
    assert "No annual reviews due match these filters." in filtered


@pytest.mark.parametrize("page", ["1", "2"])
def test_reviews_due_runs_a_fixed_number_of_queries(people, client_for, page):
    north = people.caseworker.team
    for _ in range(PLANS_PER_PAGE + 1):
        due(-3, team=north, caseworker=people.caseworker)
    clients = [client_for(people.sendops), client_for(people.caseworker)]
    few = [page_queries(client, f"{URL}?page={page}") for client in clients]
    for n in range(4):
        team = TeamFactory(organisation=north.organisation, name=f"Team {n}")
        for days in (-90, -30, 20):
            due(days, team=team, caseworker=people.caseworker)
            due(days, team=north)
    due(-3)
    assert [page_queries(client, f"{URL}?page={page}") for client in clients] == few


@pytest.mark.parametrize("who", ["sendops", "caseworker"])
def test_the_pages_read_team_by_team_together_are_the_whole_list_in_order(
    people, client_for, monkeypatch, who
):
    monkeypatch.setattr("audits.views.plans.PLANS_PER_PAGE", 3)
    north = people.caseworker.team
    south = TeamFactory(organisation=north.organisation, name="A Team South")
    for days, team in [(5, north), (-3, south), (-20, north), (5, None), (-3, north)] * 2:
        due(days, team=team, caseworker=people.caseworker)
    due(-20, team=south, caseworker=people.caseworker)
    due(-3)  # a team-less plan nobody's caseworker: only SENDOPS sees it
    user = getattr(people, who)
    client = client_for(user)
    expected = list(reviews_due_ordered(plans_with_reviews_due(user, today=timezone.localdate())))
    for filters in ({}, {"month": month_of(5)}, {"team": str(north.uuid)}):
        shown, number = [], 1
        while True:
            response = client.get(URL, {**filters, "page": number})
            shown += response.context["page"].object_list
            if not response.context["page"].has_next():
                break
            assert len(shown) == 3 * number  # a full page each but the last
            number += 1
        wanted = expected
        if filters.get("month"):
            wanted = [
                plan
                for plan in expected
                if plan.next_review_due.strftime("%Y-%m") == filters["month"]
            ]
        if filters.get("team"):
            wanted = [plan for plan in expected if plan.team == north]
        assert shown == wanted
    assert len(expected) > 3  # several pages (for SENDOPS some of two teams)
