"""A save of an action plan, a weakness or an action based on an out-of-date page is refused,
with a link to the current version; the colleague's change is kept."""

import datetime

import pytest
from django.urls import reverse

from tests.conflicts import assert_refused, page_version
from tests.kpis.factories import IndicatorFactory
from tests.wsoa.factories import (
    ActionFactory,
    ActionPlanFactory,
    WeaknessFactory,
    rag_key_post,
    status,
)
from wsoa.models import Action, ActionPlan, DueDate, Weakness
from wsoa.services import action_save
from wsoa.timescales import parse_timescale

pytestmark = pytest.mark.django_db


def plan_data(plan, name):
    return {"name": name, "kind": plan.kind, "stale_after_weeks": plan.stale_after_weeks}


def test_a_stale_save_of_an_action_plan_is_refused(people, client_for):
    plan = ActionPlanFactory(name="Before")
    url = reverse("wsoa:plan_edit", kwargs={"plan_uuid": plan.uuid})
    client = client_for(people.sendops)
    opened = page_version(client.get(url))
    ActionPlan.objects.filter(pk=plan.pk).update(name="A colleague's name")
    response = client.post(url, {**plan_data(plan, "Mine"), "version": opened})
    assert_refused(response, "action plan", url)
    assert 'value="Mine"' in response.content.decode()  # what they typed is still shown
    assert client.post(url, {**plan_data(plan, "Mine"), "version": opened}).status_code == 409
    plan.refresh_from_db()
    assert plan.name == "A colleague's name"
    fresh = {**plan_data(plan, "Mine"), "version": page_version(client.get(url))}
    assert client.post(url, fresh).status_code == 302
    plan.refresh_from_db()
    assert plan.name == "Mine"


def test_a_stale_save_of_a_weakness_is_refused_even_when_only_its_indicators_changed(
    people, client_for
):
    weakness = WeaknessFactory(text="Before")
    url = reverse(
        "wsoa:weakness_edit", kwargs={"plan_uuid": weakness.plan.uuid, "number": weakness.number}
    )
    client = client_for(people.sendops)
    opened = page_version(client.get(url))
    indicator = IndicatorFactory()
    weakness.indicators.add(indicator)
    data = {"number": weakness.number, "text": "Mine"}
    response = client.post(url, {**data, "version": opened})
    assert_refused(response, "weakness", url)
    weakness.refresh_from_db()
    assert weakness.text == "Before" and list(weakness.indicators.all()) == [indicator]
    fresh = {**data, "version": page_version(client.get(url)), "indicators": [indicator.pk]}
    assert client.post(url, fresh).status_code == 302
    assert Weakness.objects.get(pk=weakness.pk).text == "Mine"


def action_data(action, text):
    return {
        "number": action.number,
        "text": text,
        "initial": status("Red").pk,
        "timescale": "Dec 2026",
    }


def test_a_stale_save_of_an_action_is_refused_and_keeps_the_colleagues_dates(people, client_for):
    action = ActionFactory(text="Before")
    url = reverse("wsoa:action_edit", kwargs={"action_uuid": action.uuid})
    client = client_for(people.sendops)
    opened = page_version(client.get(url))
    action_save(  # a colleague changes only the dates
        action=Action.objects.get(pk=action.pk),
        initial=action.initial_status,
        lead=None,
        due_dates=parse_timescale("March 2027").due_dates,
    )
    response = client.post(url, {**action_data(action, "Mine"), "version": opened})
    assert_refused(response, "action", url)
    action.refresh_from_db()
    assert action.text == "Before"
    assert [d.text for d in DueDate.objects.filter(action=action)] == ["March 2027"]
    fresh = {**action_data(action, "Mine"), "version": page_version(client.get(url))}
    assert client.post(url, fresh).status_code == 302
    action.refresh_from_db()
    assert action.text == "Mine"


def test_a_progress_update_after_the_page_was_opened_makes_its_save_stale(people, client_for):
    action = ActionFactory()
    url = reverse("wsoa:action_edit", kwargs={"action_uuid": action.uuid})
    client = client_for(people.sendops)
    opened = page_version(client.get(url))
    action.add_update(
        author=people.sendops,
        narrative="Started",
        status=status("Amber"),
        date=datetime.date(2026, 9, 1),
    )
    response = client.post(url, {**action_data(action, "Mine"), "version": opened})
    assert_refused(response, "action", url)
    assert Action.objects.get(pk=action.pk).status.name == "Amber"


def test_a_stale_save_of_a_plans_rag_key_is_refused(people, client_for):
    plan = ActionPlanFactory()
    url = reverse("wsoa:rag_key", kwargs={"plan_uuid": plan.uuid})
    client = client_for(people.sendops)
    opened = page_version(client.get(url), "version_form")
    names = [s.name for s in plan.rag_key.statuses.rated()]
    plan.rag_key.statuses.filter(order=0).update(definition="A colleague's words")
    mine = ["Mine", *names[1:]]
    response = client.post(url, {**rag_key_post(plan, mine), "version": opened})
    assert_refused(response, "RAG key", url)
    plan.refresh_from_db()
    assert [s.name for s in plan.rag_key.statuses.rated()] == names
    fresh = page_version(client.get(url), "version_form")
    assert client.post(url, {**rag_key_post(plan, mine), "version": fresh}).status_code == 302
    plan.refresh_from_db()
    assert plan.rag_key.statuses.get(order=0).name == "Mine"
