"""Every RAG key has "Not yet rated", for actions nobody has reviewed: neither good nor done, no
direction of travel to or from it, and where an imported action with no RAG starts."""

import datetime
import importlib
import io

import pytest
from django.apps import apps

from tests.wsoa.factories import ActionFactory, ActionPlanFactory, WeaknessFactory, status
from wsoa.imports import actions_import, rag_key_from_csv, read_table
from wsoa.models import NOT_RATED_NAME, Action, RagKey, RagStatus
from wsoa.queries import plans_for_dashboard
from wsoa.summaries import plan_summary, snapshot_take

pytestmark = pytest.mark.django_db

D = datetime.date
MIGRATION = importlib.import_module("wsoa.migrations.0003_rag_keys_gain_not_yet_rated")


def test_the_seed_key_a_councils_key_and_a_plans_copy_each_have_it_once():
    seed = RagKey.seed_default()
    council = rag_key_from_csv(
        "name,definition,colour,done\nNot started,x,red,no\nNot yet rated,y,grey,no\n"
        "Embedded,z,green,yes\n",
        name="Council key",
    )
    plan = ActionPlanFactory()
    copy = plan.rag_key_copy()
    for key in (seed, council, copy):
        not_rated = key.statuses.get(not_rated=True)
        assert (not_rated.name, not_rated.counts_as_done) == (NOT_RATED_NAME, False)
    assert [s.name for s in council.statuses.rated()] == ["Not started", "Embedded"]


def test_an_imported_action_with_no_rag_starts_not_yet_rated():
    plan = ActionPlanFactory()
    table = "Weakness,Actions,RAG\n1,Visit every placement,\n1,Audit every plan,Amber\n"
    actions_import(read_table(io.BytesIO(table.encode()), "a.csv"), plan=plan, by=None)
    first, second = Action.objects.order_by("pk")
    assert (first.initial_status.name, first.status.name) == (NOT_RATED_NAME, NOT_RATED_NAME)
    assert second.status.name == "Amber"


def test_not_yet_rated_is_neither_done_nor_a_direction_of_travel(people):
    plan = ActionPlanFactory()
    weakness = WeaknessFactory(plan=plan)
    not_rated = plan.rag_key.not_rated_status()
    first = ActionFactory(weakness=weakness, initial_status=not_rated, created_on=D(2026, 1, 1))
    second = ActionFactory(weakness=weakness, initial_status=not_rated, created_on=D(2026, 1, 1))
    snapshot_take(plan, on=D(2026, 3, 31), label="Q4", by=people.sendops)
    first.add_update(author=people.sendops, narrative="x", status=status("Red"), date=D(2026, 5, 1))
    summary = plan_summary(plan).overall
    assert (summary.improved, summary.declined, summary.unchanged) == (0, 0, 1)
    assert summary.direction == "No change" and summary.done == 0
    rows = {row.status.name: (row.initial, row.previous, row.current) for row in summary.rows}
    assert rows[NOT_RATED_NAME] == (2, 2, 1) and rows["Red"] == (0, 0, 1)
    assert plans_for_dashboard(on=D(2026, 6, 1))["done"] == 0
    assert second.status == not_rated


def test_saving_a_plans_key_keeps_not_yet_rated(people):
    plan = ActionPlanFactory()
    rows = [
        {"name": "Started", "definition": "d", "colour": "red", "counts_as_done": False},
        {"name": "Embedded", "definition": "d", "colour": "green", "counts_as_done": True},
    ]
    key = plan.rag_key_save(statuses=rows)
    assert [s.name for s in key.statuses.order_by("order")][-1] == NOT_RATED_NAME
    assert key.statuses.filter(not_rated=True).count() == 1


def test_the_migration_gives_existing_keys_the_status():
    key = RagKey.objects.create(name="An old key")
    RagStatus.objects.create(key=key, name="Red", definition="x", colour="red", order=0)
    named = RagKey.objects.create(name="A key that already says it")
    own = RagStatus.objects.create(
        key=named, name="not yet rated", definition="ours", colour="pink", order=0
    )
    MIGRATION.give_every_key_not_yet_rated(apps, None)
    assert key.not_rated_status().name == NOT_RATED_NAME
    assert named.not_rated_status() == own
