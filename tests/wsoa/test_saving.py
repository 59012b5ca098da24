"""Saving an action with its RAG, lead and due dates, and a plan's own RAG key: the rules live
in wsoa.services.action_save and on ActionPlan, and are called here directly."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.factories import UserFactory
from tests.wsoa.factories import ActionFactory, ActionPlanFactory, WeaknessFactory, status
from wsoa.access import may_update
from wsoa.models import SEED_RAG_KEY_NAME, Action, RagKey, RagStatus, SnapshotEntry
from wsoa.services import action_save
from wsoa.summaries import snapshot_take
from wsoa.timescales import parse_timescale

pytestmark = pytest.mark.django_db

D = datetime.date


def test_a_new_action_starts_at_its_initial_rag_with_its_lead_and_due_dates(people):
    weakness = WeaknessFactory()
    action = action_save(
        action=Action(weakness=weakness, number="1.1", text="Audit every record"),
        initial=status("Amber"),
        lead=people.action_owner,
        due_dates=parse_timescale("July 2026 July 2027").due_dates,
    )
    action.refresh_from_db()
    assert (action.initial_status.name, action.status.name) == ("Amber", "Amber")
    assert action.lead == people.action_owner and may_update(people.action_owner, action)
    assert [d.due for d in action.due_dates.all()] == [D(2026, 7, 31), D(2027, 7, 31)]


def test_changing_an_action_keeps_its_rag_once_updated_and_replaces_its_dates(people):
    other_owner = UserFactory(roles=["action_owner"])
    action = ActionFactory(led_by=people.action_owner)
    action_save(
        action=action,
        initial=status("Red"),
        lead=people.action_owner,
        due_dates=parse_timescale("Dec 2026").due_dates,
    )
    action.add_update(
        author=people.sendops, narrative="Started", status=status("Amber"), date=D(2026, 9, 1)
    )
    action_save(
        action=Action.objects.get(pk=action.pk),
        initial=status("Light green"),
        lead=other_owner,
        due_dates=parse_timescale("March 2027").due_dates,
    )
    action.refresh_from_db()
    assert (action.initial_status.name, action.status.name) == ("Light green", "Amber")
    assert [d.due for d in action.due_dates.all()] == [D(2027, 3, 31)]
    assert may_update(other_owner, action) and not may_update(people.action_owner, action)


def test_an_action_is_not_saved_with_a_status_of_another_key():
    action = ActionFactory()
    foreign_key = RagKey.objects.create(name="Another council's key")
    foreign = RagStatus.objects.create(key=foreign_key, name="Red", definition="x", order=0)
    with pytest.raises(ValidationError, match="plan's RAG key"):
        action_save(action=action, initial=foreign, lead=None, due_dates=[])
    action.refresh_from_db()
    assert action.initial_status.key == action.weakness.plan.rag_key


def test_saving_an_action_with_the_same_lead_adds_no_history_of_a_lead_change(people):
    action = ActionFactory(led_by=people.action_owner)
    before = action.history.count()
    action_save(action=action, initial=status("Red"), lead=people.action_owner, due_dates=[])
    assert action.history.count() == before + 1  # the save itself, not a second for the lead


def test_a_plan_on_a_shared_key_gets_a_copy_with_its_records_moved_onto_it(people):
    action = ActionFactory()
    plan = action.weakness.plan
    other = ActionFactory()
    action.add_update(
        author=people.sendops, narrative="Started", status=status("Amber"), date=D(2026, 9, 1)
    )
    snapshot_take(plan, on=action.created_on, label="Q2", by=people.sendops)
    key = plan.rag_key_copy()
    assert key != RagKey.seed_default() and plan.rag_key == key
    action.refresh_from_db()
    assert (action.initial_status.key, action.status.key) == (key, key)
    assert action.updates.get().status.key == key
    assert SnapshotEntry.objects.get(snapshot__plan=plan).status.key == key
    other.refresh_from_db()
    assert other.status.key.name == SEED_RAG_KEY_NAME
    assert plan.rag_key_copy() == key, "a key of its own is not copied again"


def test_a_key_with_two_statuses_of_one_name_is_refused_and_nothing_is_copied():
    plan = ActionPlanFactory()
    rows = [
        {"name": "Red", "definition": "x", "colour": "red", "counts_as_done": False},
        {"name": " red ", "definition": "y", "colour": "yellow", "counts_as_done": False},
    ]
    with pytest.raises(ValidationError, match="different name"):
        plan.rag_key_save(statuses=rows)
    plan.refresh_from_db()
    assert plan.rag_key.name == SEED_RAG_KEY_NAME
    assert RagKey.objects.count() == 1


def test_saving_a_key_renames_its_statuses_and_adds_new_ones():
    plan = ActionPlanFactory()
    rows = [
        {"name": f"Level {n}", "definition": "d", "colour": "grey", "counts_as_done": n > 4}
        for n in range(6)
    ]
    key = plan.rag_key_save(statuses=rows)
    names = [s.name for s in key.statuses.order_by("order")]
    assert names == [r["name"] for r in rows] + ["Not yet rated"]
    assert RagKey.seed_default().statuses.count() == 6
