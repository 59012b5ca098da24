"""Migration core/0005 gives the teams and terms already in a database an opaque id each, the
same one on every history row of the record."""

import datetime

import pytest

# The autouse fixture applies to this module by being imported into it.
from tests.migrations import back_to_the_latest_migrations, migrate  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("core", "0004_access_event_admin_actions")]
AFTER = [("core", "0005_team_period_uuid")]


def test_existing_teams_and_terms_get_their_own_ids_and_keep_them_in_history():
    old = migrate(BEFORE)
    Organisation = old.get_model("core", "Organisation")
    organisation = Organisation.objects.create(name="Testshire", kind="la_send")
    created = {}
    for name in ("North", "South"):
        team = old.get_model("core", "Team").objects.create(organisation=organisation, name=name)
        created[("Team", team.pk)] = 2
        for kind in "+~":
            old.get_model("core", "HistoricalTeam").objects.create(
                id=team.pk,
                organisation_id=organisation.pk,
                name=name,
                is_active=True,
                history_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
                history_type=kind,
            )
    term = old.get_model("core", "Period").objects.create(
        kind="term",
        name="Autumn term 2026/27",
        season="autumn",
        start=datetime.date(2026, 9, 1),
        end=datetime.date(2026, 12, 31),
    )

    new = migrate(AFTER)
    ids = set()
    for model_name, pk in [*created, ("Period", term.pk)]:
        record = new.get_model("core", model_name).objects.get(pk=pk)
        assert record.uuid is not None
        ids.add(record.uuid)
        history = new.get_model("core", f"Historical{model_name}").objects.filter(id=pk)
        assert set(history.values_list("uuid", flat=True)) <= {record.uuid}
        assert history.count() == created.get((model_name, pk), 0)
    assert len(ids) == 3  # each its own
