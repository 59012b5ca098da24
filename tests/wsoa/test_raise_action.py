"""Raising an improvement action from evidence (issue 19 item 1): the generic reference, the
pre-filled form, the link kept after the evidence has gone, and what the evidence says now."""

import datetime
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kpis.follow_up import KIND, exception_ref
from kpis.models import Measurement
from send_qa.core import follow_up
from send_qa.core.roles import Role
from tests.conftest import signed_in_client
from tests.factories import UserFactory
from tests.kpis.factories import IndicatorFactory, MeasurementFactory, TargetFactory
from tests.queries import page_queries
from tests.wsoa.factories import ActionFactory, ActionPlanFactory, status
from wsoa.follow_up import default_due, source_record
from wsoa.models import Action, ActionPlan, ActionSource, RagKey

pytestmark = pytest.mark.django_db

# Periods in the past of any day the suite runs on: no clock is frozen.
AUTUMN = (datetime.date(2024, 9, 1), datetime.date(2024, 12, 31))
SPRING = (datetime.date(2025, 1, 1), datetime.date(2025, 4, 10))


@pytest.fixture
def sendops():
    return UserFactory(roles=[Role.SENDOPS])


@pytest.fixture
def owner():
    return UserFactory(roles=[Role.ACTION_OWNER], full_name="Priya Shah")


@pytest.fixture
def red_kpi(owner):
    indicator = IndicatorFactory(code="EHCP_20WK", name="EHCPs issued within 20 weeks", owner=owner)
    TargetFactory(
        indicator=indicator,
        period_start=datetime.date(2024, 9, 1),
        period_end=datetime.date(2025, 8, 31),
        value=Decimal("60"),
    )
    MeasurementFactory(
        indicator=indicator,
        period_start=AUTUMN[0],
        period_end=AUTUMN[1],
        period_label="Autumn 2024",
        value=Decimal("41.2"),
    )
    return indicator


def evidence_of(indicator):
    return follow_up.evidence_of(
        KIND, exception_ref(indicator.code, *AUTUMN), UserFactory(roles=[Role.SENDOPS])
    )


def raise_url(kind, ref, **more):
    return f"{reverse('wsoa:action_raise')}?{urlencode({'kind': kind, 'ref': ref, **more})}"


def raise_post(rag_key, data=None):
    initial = rag_key.not_rated_status()
    return {
        "area": "new",
        "area_text": "Timeliness of EHC plans",
        "number": "",
        "text": "Recover the 20-week timeliness.",
        "timescale": "31 March 2030",
        "governance_forum": "SENDOPS",
        "initial": initial.pk,
        **(data or {}),
    }


def test_the_evidence_of_a_red_kpi_names_its_figure_owner_and_concern(red_kpi, sendops, owner):
    ref = exception_ref(red_kpi.code, *AUTUMN)
    evidence = follow_up.evidence_of(KIND, ref, sendops)
    assert evidence is not None
    assert evidence.figure == "41.2% in Autumn 2024: red (target 60.0%)"
    assert evidence.owner_suggestion == owner
    assert evidence.concern is True
    assert "EHCPs issued within 20 weeks is 41.2%" in evidence.words
    # an action owner does not read the scorecard, so does not see the evidence
    assert follow_up.evidence_of(KIND, ref, owner) is None
    assert follow_up.evidence_of(KIND, "EHCP_20WK:not-a-date:x", sendops) is None
    assert follow_up.evidence_of(KIND, exception_ref("NOPE", *AUTUMN), sendops) is None


def test_sendops_raise_an_action_pre_filled_from_a_red_kpi_into_a_new_improvement_plan(
    red_kpi, sendops, owner
):
    client = signed_in_client(sendops)
    ref = exception_ref(red_kpi.code, *AUTUMN)
    step_one = client.get(raise_url(KIND, ref))
    assert step_one.status_code == 200
    assert "A new improvement plan" in step_one.content.decode()
    plan_form = step_one.content.decode().split('<form method="get"')[1].split("</form>")[0]
    assert "csrfmiddlewaretoken" not in plan_form  # a GET form: no token in the address
    assert "41.2% in Autumn 2024: red" in step_one.content.decode()

    url = raise_url(KIND, ref, plan="new")
    form = client.get(url)
    assert form.status_code == 200
    page = form.content.decode()
    assert "EHCPs issued within 20 weeks is 41.2%" in page  # the action's words
    due = default_due(evidence_of(red_kpi), today=timezone.localdate())
    assert f"{due.day} {due:%B %Y}" in page  # the end of the month three months on
    assert f'value="{owner.pk}" selected' in page  # the indicator's owner leads it

    response = client.post(url, raise_post(RagKey.seed_default()))
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.weakness.plan.kind == ActionPlan.Kind.IMPROVEMENT
    assert action.weakness.plan.name == "Improvement plan"
    assert action.weakness.heading == "Area for improvement 1"
    assert action.number == "1.1"
    assert [d.due for d in action.due_dates.all()] == [datetime.date(2030, 3, 31)]
    source = ActionSource.objects.get()
    assert (source.kind, source.ref, source.raised_by) == (KIND, ref, sendops)
    assert source.figure == "41.2% in Autumn 2024: red (target 60.0%)"

    # the evidence page lists it
    indicator_page = client.get(reverse("kpis:indicator_detail", args=[red_kpi.code]))
    assert "Action 1.1: Recover the 20-week timeliness." in indicator_page.content.decode()


def test_a_missing_area_is_refused_with_nothing_saved(red_kpi, sendops):
    plan = ActionPlanFactory(kind=ActionPlan.Kind.IMPROVEMENT)
    client = signed_in_client(sendops)
    url = raise_url(KIND, exception_ref(red_kpi.code, *AUTUMN), plan=str(plan.uuid))
    response = client.post(url, raise_post(plan.rag_key, {"area_text": "", "text": ""}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Enter the new area for improvement" in page
    assert "Enter the action" in page
    assert not Action.objects.exists() and not plan.weaknesses.exists()


def test_an_action_added_to_an_existing_area_takes_the_next_number(red_kpi, sendops):
    existing = ActionFactory(number="2.1")
    plan = existing.weakness.plan
    client = signed_in_client(sendops)
    url = raise_url(KIND, exception_ref(red_kpi.code, *AUTUMN), plan=str(plan.uuid))
    response = client.post(url, raise_post(plan.rag_key, {"area": str(existing.weakness.number)}))
    assert response.status_code == 302
    raised = Action.objects.exclude(pk=existing.pk).get()
    assert raised.weakness == existing.weakness
    assert raised.number == f"{existing.weakness.number}.2"


def test_only_sendops_raise_actions_and_unknown_evidence_is_not_found(red_kpi, owner):
    board = UserFactory(roles=[Role.BOARD])
    ref = exception_ref(red_kpi.code, *AUTUMN)
    assert signed_in_client(board).get(raise_url(KIND, ref)).status_code == 403
    assert signed_in_client(owner).get(raise_url(KIND, ref)).status_code == 403
    sendops = UserFactory(roles=[Role.SENDOPS])
    assert signed_in_client(sendops).get(raise_url(KIND, "nothing")).status_code == 404
    assert signed_in_client(sendops).get(raise_url("no_such_kind", ref)).status_code == 404
    # the board sees the panel but no button
    page = signed_in_client(board).get(reverse("kpis:indicator_detail", args=[red_kpi.code]))
    assert "Actions raised from this indicator" in page.content.decode()
    assert "Raise an action" not in page.content.decode()


def _raised_from_kpi(indicator, sendops, owner):
    action = ActionFactory(led_by=owner)
    evidence = follow_up.evidence_of(KIND, exception_ref(indicator.code, *AUTUMN), sendops)
    source_record(action, evidence, by=sendops)
    return action


def test_the_action_page_says_when_the_evidence_has_improved(red_kpi, sendops, owner):
    action = _raised_from_kpi(red_kpi, sendops, owner)
    url = reverse("wsoa:action_detail", args=[action.uuid])
    page = signed_in_client(sendops).get(url).content.decode()
    assert "Still a concern" in page and "Improved" not in page
    MeasurementFactory(
        indicator=red_kpi,
        period_start=SPRING[0],
        period_end=SPRING[1],
        period_label="Spring 2025",
        value=Decimal("66"),
    )
    page = signed_in_client(sendops).get(url).content.decode()
    assert "Improved" in page
    assert "66.0% in Spring 2025: green" in page
    assert "41.2% in Autumn 2024: red" in page  # the figure at the time stays beside it


def test_the_link_survives_the_evidence_going_under_retention(red_kpi, sendops, owner):
    action = _raised_from_kpi(red_kpi, sendops, owner)
    Measurement.objects.filter(indicator=red_kpi).delete()
    page = signed_in_client(sendops).get(reverse("wsoa:action_detail", args=[action.uuid]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "The evidence is no longer kept" in text
    assert "41.2% in Autumn 2024: red (target 60.0%)" in text
    assert ActionSource.objects.filter(action=action).exists()


def test_an_action_owner_sees_only_their_own_actions_in_follow_ups(red_kpi, sendops, owner):
    _raised_from_kpi(red_kpi, sendops, owner)
    other = UserFactory(roles=[Role.ACTION_OWNER])
    ref = exception_ref(red_kpi.code, *AUTUMN)
    assert len(follow_up.follow_ups(KIND, [ref], owner)[ref]) == 1
    assert follow_up.follow_ups(KIND, [ref], other)[ref] == []
    assert follow_up.raise_url(KIND, ref, owner) is None
    assert follow_up.raise_url(KIND, ref, sendops)


def test_follow_ups_take_a_fixed_number_of_queries(red_kpi, sendops, owner):
    ref = exception_ref(red_kpi.code, *AUTUMN)
    _raised_from_kpi(red_kpi, sendops, owner)
    with CaptureQueriesContext(connection) as one:
        follow_up.follow_ups(KIND, [ref, "x"], sendops)
    for _ in range(4):
        _raised_from_kpi(red_kpi, sendops, owner)
    with CaptureQueriesContext(connection) as five:
        found = follow_up.follow_ups(KIND, [ref, "x", "y"], sendops)
    assert len(found[ref]) == 5
    assert len(one.captured_queries) == len(five.captured_queries)


def test_the_indicator_page_keeps_a_fixed_number_of_queries_as_actions_are_raised(
    red_kpi, sendops, owner
):
    client = signed_in_client(sendops)
    url = reverse("kpis:indicator_detail", args=[red_kpi.code])
    _raised_from_kpi(red_kpi, sendops, owner)
    before = page_queries(client, url)
    for _ in range(3):
        _raised_from_kpi(red_kpi, sendops, owner)
    assert page_queries(client, url) == before


def test_status_is_shown_in_words(red_kpi, sendops, owner):
    action = _raised_from_kpi(red_kpi, sendops, owner)
    action.status = status("Amber")
    action.save()
    ref = exception_ref(red_kpi.code, *AUTUMN)
    (item,) = follow_up.follow_ups(KIND, [ref], sendops)[ref]
    assert item.status == "Amber"


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (datetime.date(2026, 12, 1), datetime.date(2027, 3, 31)),
        (datetime.date(2026, 1, 31), datetime.date(2026, 4, 30)),
        (datetime.date(2026, 11, 30), datetime.date(2027, 2, 28)),
        (datetime.date(2027, 9, 15), datetime.date(2027, 12, 31)),
    ],
)
def test_the_default_due_date_is_the_end_of_the_month_three_months_on(today, due):
    evidence = follow_up.Evidence(kind="k", ref="r", title="t", words="w")
    assert default_due(evidence, today=today) == due
    suggested = follow_up.Evidence(
        kind="k", ref="r", title="t", words="w", due_suggestion=today + datetime.timedelta(days=9)
    )
    assert default_due(suggested, today=today) == today + datetime.timedelta(days=9)
    past = follow_up.Evidence(
        kind="k", ref="r", title="t", words="w", due_suggestion=today - datetime.timedelta(days=1)
    )
    assert default_due(past, today=today) == due


def test_the_list_of_actions_raised_filters_by_kind_and_keeps_its_queries(red_kpi, sendops, owner):
    client = signed_in_client(sendops)
    url = reverse("wsoa:actions_raised")
    _raised_from_kpi(red_kpi, sendops, owner)
    page = client.get(url).content.decode()
    assert "A red or declining indicator: EHCP_20WK: EHCPs issued within 20 weeks" in page
    assert "41.2% in Autumn 2024: red" in page
    before = page_queries(client, url)
    for _ in range(4):
        _raised_from_kpi(red_kpi, sendops, owner)
    assert page_queries(client, url) == before
    assert "5 actions raised" in client.get(url).content.decode()
    assert "No actions have been raised" in client.get(f"{url}?kind=risk").content.decode()
    board = signed_in_client(UserFactory(roles=[Role.BOARD]))
    assert board.get(url).status_code == 200
    other_owner = signed_in_client(UserFactory(roles=[Role.ACTION_OWNER]))
    assert other_owner.get(url).status_code == 403
