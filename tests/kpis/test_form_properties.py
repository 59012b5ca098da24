"""The KPI pages' forms given random and malicious values: a page with the errors, or valid
stored values; never a server error."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from kpis.models import ExceptionNote, Measurement, Target
from tests.kpis.factories import IndicatorFactory, MeasurementFactory
from tests.strategies import nasty_text

pytestmark = pytest.mark.django_db

CHECKED = examples(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def field(good: list[str]):
    """Mostly good values, so that the other fields' nasty ones get through to saving."""
    return st.one_of(st.sampled_from(good), st.sampled_from(good), nasty_text())


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


def stored_valid(model) -> None:
    for row in model.objects.all():
        row.full_clean()


@CHECKED
@given(
    data=st.fixed_dictionaries(
        {
            "period_start": field(["2026-01-01"]),
            "period_end": field(["2026-12-31"]),
            "period_label": field(["2026", "x" * 61]),
            "local": field(["55.5", "99999999999999", "0.0001"]),
            "numerator": field([""]),
            "denominator": field(["", "99999999999999"]),
            "commentary": nasty_text(),
            "england": field(["", "50", "-99999999999999"]),
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
    response = client_for(people.sendops).post(url, data)
    assert response.status_code in (200, 302)
    stored_valid(Measurement)


@CHECKED
@given(
    data=st.fixed_dictionaries(
        {
            "period_start": field(["2026-01-01"]),
            "period_end": field(["2026-12-31"]),
            "label": field(["2026/27", "x" * 200]),
            "value": field(["60", "99999999999999", "1e20"]),
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
    stored_valid(Target)


@CHECKED
@given(
    data=st.fixed_dictionaries(
        {"happening": nasty_text(), "doing": nasty_text(), "improve_by": field(["x" * 201])}
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
    stored_valid(ExceptionNote)


def test_the_values_form_says_what_is_wrong_in_plain_words(people, client_for):
    indicator = IndicatorFactory(unit="count")
    url = reverse("kpis:measurement_edit", kwargs={"code": indicator.code})
    page = (
        client_for(people.sendops)
        .post(url, {**VALUES, "period_label": "x" * 61, "local": "1e12", "england": "0.0001"})
        .content.decode()
    )
    assert "Name the period in at most 60 characters, for example Autumn 2026" in page
    assert "Enter a number below 100,000,000,000" in page
    assert "Enter a number with at most 3 decimal places" in page
    assert not Measurement.objects.exists()
