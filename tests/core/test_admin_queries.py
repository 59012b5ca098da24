"""The admin site's lists run a fixed number of queries whatever the number of rows (issue 22:
the people list ran 27 queries at 8 people and 63 at 25)."""

import pytest
from django.urls import reverse

from tests.factories import TeamFactory, UserFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["admin:core_user_changelist", "admin:core_team_changelist"])
def test_an_admin_list_runs_the_same_queries_for_5_rows_as_for_30(name, people, client_for):
    client = client_for(people.admin)
    for _ in range(5):
        UserFactory(team=TeamFactory())
    few = page_queries(client, reverse(name))
    for _ in range(25):
        UserFactory(team=TeamFactory())
    assert page_queries(client, reverse(name)) == few


def test_the_people_list_filters_by_a_team_named_with_its_organisation(people, client_for):
    team = TeamFactory()
    member = UserFactory(team=team, email="member@example.org")
    UserFactory(team=TeamFactory(), email="other@example.org")
    client = client_for(people.admin)
    listed = client.get(reverse("admin:core_user_changelist")).content.decode()
    assert f"{team.name} ({team.organisation.name})" in listed
    chosen = client.get(reverse("admin:core_user_changelist"), {"team__id__exact": team.pk})
    assert member.email in chosen.content.decode()
    assert "other@example.org" not in chosen.content.decode()
