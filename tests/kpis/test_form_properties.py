"""The KPI pages' forms given random and malicious values: a page with the errors, or valid
stored values; never a server error."""

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from kpis.models import ExceptionNote, Indicator, Measurement, Scorecard, Target
from tests.conflicts import page_version
from tests.kpis.factories import IndicatorFactory, MeasurementFactory
from tests.strategies import (
    assert_one_saved_or_none,
    assert_stored_valid,
    checked,
    mostly,
    nasty_text,
)

pytestmark = pytest.mark.django_db

CHECKED = checked(60)


VALUES = {
    "period_start": "2026-01-01",
    "period_end": "2026-12-31",
    "period_label": "2026",
    "local": "55.5",
    "numerator": "",
    "denominator": "",
    "commentary": "",
    "england": "",
}


@CHECKED
@given(
    data=st.fixed_dictionaries(
        {
            "period_start": mostly(["2026-01-01"]),
            "period_end": mostly(["2026-12-31"]),
            "period_label": mostly(["2026", "x" * 61]),
            "local": mostly(["55.5", "99999999999999", "0.0001"]),
            "numerator": mostly([""]),
            "denominator": mostly(["", "99999999999999"]),
            "commentary": nasty_text(),
            "england": mostly(["", "50", "-99999999999999"]),
        }
    )
)
@example(data={**VALUES, "period_label": "x" * 61})
@example(data={**VALUES, "local": "99999999999999"})
@example(data={**VALUES, "england": "-99999999999.5"})
@example(data={**VALUES, "local": "0.0001"})
def test_the_values_form_saves_valid_values_or_shows_errors(people, client_for, data):
    indicator = IndicatorFactory(unit="count")
    url = reverse("kpis:measurement_edit", kwargs={"code": indicator.code})
    client = client_for(people.sendops)
    response = client.post(url, {**data, "version": page_version(client.get(url))})
    assert response.status_code in (200, 302)
    assert_stored_valid(Measurement)


@CHECKED
@given(
    data=st.fixed_dictionaries(
        {
            "period_start": mostly(["2026-01-01"]),
            "period_end": mostly(["2026-12-31"]),
            "label": mostly(["2026/27", "x" * 200]),
            "value": mostly(["60", "99999999999999", "1e20"]),
        }
    )
)
@example(
    data={
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "label": "x" * 200,
        "value": "1",
    }
)
@example(
    data={
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "label": "",
        "value": "99999999999999",
    }
)
def test_the_target_form_saves_valid_targets_or_shows_errors(people, client_for, data):
    indicator = IndicatorFactory(unit="count")
    url = reverse("kpis:indicator_settings", kwargs={"code": indicator.code})
    response = client_for(people.sendops).post(url, {"target": "1", **data})
    assert response.status_code in (200, 302)
    assert_stored_valid(Target)


@CHECKED
@given(
    data=st.fixed_dictionaries(
        {"happening": nasty_text(), "doing": nasty_text(), "improve_by": mostly(["x" * 201])}
    )
)
@example(data={"happening": "a", "doing": "b", "improve_by": "x" * 201})
def test_the_exception_note_form_saves_valid_notes_or_shows_errors(people, client_for, data):
    measurement = MeasurementFactory()
    url = reverse(
        "kpis:exception_note",
        kwargs={
            "code": measurement.indicator.code,
            "period_start": measurement.period_start,
            "period_end": measurement.period_end,
        },
    )
    response = client_for(people.sendops).post(url, data)
    assert response.status_code in (200, 302, 404)
    assert_stored_valid(ExceptionNote)


def test_the_values_form_says_what_is_wrong_in_plain_words(people, client_for):
    indicator = IndicatorFactory(unit="count")
    url = reverse("kpis:measurement_edit", kwargs={"code": indicator.code})
    page = (
        client_for(people.sendops)
        .post(url, {**VALUES, "period_label": "x" * 61, "local": "1e12", "england": "-1"})
        .content.decode()
    )
    assert "Name the period in at most 60 characters, for example Autumn 2026" in page
    assert "Enter a number below 100,000,000,000" in page
    assert "Enter a value of 0 or more" in page
    assert not Measurement.objects.exists()


@CHECKED
@given(
    owner=mostly(["", "good", "0"]),
    owner_title=nasty_text(max_size=300),
    priority=nasty_text(max_size=300),
    tolerance=mostly(["2.5", "", "-1", "99999999999999", "0.001"]),
)
def test_the_indicator_settings_save_valid_settings_or_show_errors(
    people, client_for, owner, owner_title, priority, tolerance
):
    indicator = IndicatorFactory(unit="percentage")
    url = reverse("kpis:indicator_settings", kwargs={"code": indicator.code})
    client = client_for(people.sendops)
    response = client.post(
        url,
        {
            "version": page_version(client.get(url), "settings_form"),
            "settings": "1",
            "owner": people.action_owner.pk if owner == "good" else owner,
            "owner_title": owner_title,
            "priority": priority,
            "tolerance": tolerance,
            "is_active": "on",
        },
    )
    assert response.status_code in (200, 302)
    assert_stored_valid(Indicator)


@CHECKED
@given(name=nasty_text(max_size=300), indicator=mostly(["good", "0", "<b>"]))
def test_a_saved_scorecard_keeps_a_valid_name_and_list_or_shows_errors(
    people, client_for, name, indicator
):
    chosen = IndicatorFactory()
    assert_one_saved_or_none(
        Scorecard,
        lambda: client_for(people.sendops).post(
            reverse("kpis:scorecard_new"),
            {"name": name, "indicators": [chosen.pk if indicator == "good" else indicator]},
        ),
    )
    assert_stored_valid(Scorecard)


NEW_INDICATOR = {
    "code": "LOCAL_WAIT",
    "name": "Average wait",
    "definition": "Mean weeks from referral to assessment.",
    "unit": "weeks",
    "polarity": "lower",
    "oba_category": "how_well",
    "source": "local_system",
    "frequency": "termly",
    "describes": "children",
    "owner": "",
    "owner_title": "",
    "priority": "",
    "baseline_value": "18.5",
    "baseline_date": "31/8/2025",
    "tolerance": "2",
    "is_active": "on",
}


@CHECKED
@given(
    code=mostly(["LOCAL_WAIT", "local_wait", "EHCP_20WK", "X", "A" * 31, "<b>"]),
    name=nasty_text(max_size=300),
    definition=nasty_text(),
    unit=mostly(["weeks", "pounds", "percentage", "furlongs"]),
    baseline_value=mostly(["18.5", "", "-1", "101", "99999999999999", "0.0001"]),
    baseline_date=mostly(["31/8/2025", "", "31/2/2025"]),
)
@example(
    code="LOCAL_WAIT",
    name="a",
    definition="b",
    unit="percentage",
    baseline_value="101",
    baseline_date="31/8/2025",
)
def test_a_new_indicator_is_saved_valid_or_the_errors_are_shown(
    people, client_for, code, name, definition, unit, baseline_value, baseline_date
):
    data = NEW_INDICATOR | {
        "code": code,
        "name": name,
        "definition": definition,
        "unit": unit,
        "baseline_value": baseline_value,
        "baseline_date": baseline_date,
    }
    response = client_for(people.sendops).post(reverse("kpis:indicator_new"), data)
    assert response.status_code in (200, 302)
    assert_stored_valid(Indicator)
    for indicator in Indicator.objects.all():
        assert indicator.baseline_problems() == {}
        assert indicator.code != "EHCP_20WK"
