"""A save of one period's KPI values or of an indicator's settings based on an out-of-date page
is refused, with a link to the current version; the colleague's (or the import's) change is
kept."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from kpis.models import ExceptionNote, Indicator, Measurement, Scorecard, ScorecardIndicator
from tests.conflicts import assert_refused, page_version
from tests.kpis.factories import IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db

AUTUMN = {"start": "2026-09-01", "end": "2026-12-31"}
HEADER = "indicator_code,period_start,period_end,area,value,numerator,denominator,commentary\n"


def values(local, commentary=""):
    return {
        "period_start": AUTUMN["start"],
        "period_end": AUTUMN["end"],
        "period_label": "Autumn 2026",
        "local": local,
        "commentary": commentary,
    }


def test_values_saved_on_a_page_older_than_an_import_are_refused(people, client_for, tmp_path):
    indicator = IndicatorFactory(code="EHCP_20WK")
    MeasurementFactory(indicator=indicator, value=Decimal("40"))
    url = reverse("kpis:measurement_edit", kwargs={"code": indicator.code})
    client = client_for(people.sendops)
    opened = page_version(client.get(url, AUTUMN))
    upload = tmp_path / "values.csv"  # the import adds England's value to the same period
    upload.write_text(HEADER + "EHCP_20WK,2026-09-01,2026-12-31,england,50,,,\n")
    call_command("import_kpis", str(upload))
    response = client.post(url, {**values("45", "Typed by me"), "version": opened})
    current = f"{url}?start={AUTUMN['start']}&end={AUTUMN['end']}"
    assert_refused(response, "period's values", current)
    assert "Typed by me" in response.content.decode()  # what they typed is still shown
    again = client.post(url, {**values("45", "Typed by me"), "version": opened})
    assert again.status_code == 409
    stored = {m.area: m.value for m in Measurement.objects.filter(indicator=indicator)}
    assert stored == {"local": Decimal("40"), "england": Decimal("50")}
    fresh = page_version(client.get(url, AUTUMN))
    assert client.post(url, {**values("45"), "version": fresh}).status_code == 302
    assert Measurement.objects.get(indicator=indicator, area="local").value == Decimal("45")


def test_values_entered_on_a_blank_page_for_a_period_someone_filled_meanwhile_are_refused(
    people, client_for
):
    indicator = IndicatorFactory()
    url = reverse("kpis:measurement_edit", kwargs={"code": indicator.code})
    client = client_for(people.sendops)
    opened = page_version(client.get(url))
    MeasurementFactory(indicator=indicator, value=Decimal("40"))
    response = client.post(url, {**values("45"), "version": opened})
    assert response.status_code == 409
    assert Measurement.objects.get(indicator=indicator, area="local").value == Decimal("40")


def settings_data(people, tolerance):
    return {
        "settings": "1",
        "owner": people.action_owner.pk,
        "owner_title": "",
        "priority": "",
        "tolerance": tolerance,
        "is_active": "on",
    }


def test_a_stale_save_of_an_indicators_settings_is_refused(people, client_for):
    indicator = IndicatorFactory(tolerance=Decimal("5"))
    url = reverse("kpis:indicator_settings", kwargs={"code": indicator.code})
    client = client_for(people.sendops)
    opened = page_version(client.get(url), "settings_form")
    Indicator.objects.filter(pk=indicator.pk).update(tolerance=Decimal("3"))
    response = client.post(url, {**settings_data(people, "7"), "version": opened})
    assert_refused(response, "indicator's settings", url)
    indicator.refresh_from_db()
    assert indicator.tolerance == Decimal("3")
    fresh = page_version(client.get(url), "settings_form")
    assert client.post(url, {**settings_data(people, "7"), "version": fresh}).status_code == 302
    indicator.refresh_from_db()
    assert indicator.tolerance == Decimal("7")


def test_commentary_written_on_an_old_page_is_refused(people, client_for):
    measurement = MeasurementFactory()
    indicator = measurement.indicator
    url = reverse(
        "kpis:exception_note",
        kwargs={"code": indicator.code, "period_start": "2026-09-01", "period_end": "2026-12-31"},
    )
    client = client_for(people.sendops)
    note = {"happening": "Fewer plans on time", "doing": "More staff", "improve_by": "Summer"}
    assert client.post(url, {**note, "version": page_version(client.get(url))}).status_code == 302
    opened = page_version(client.get(url))
    ExceptionNote.objects.filter(measurement=measurement).update(doing="A colleague's plan")
    response = client.post(url, {**note, "doing": "Mine", "version": opened})
    assert_refused(response, "commentary", url)
    assert ExceptionNote.objects.get(measurement=measurement).doing == "A colleague's plan"
    fresh = page_version(client.get(url))
    assert client.post(url, {**note, "doing": "Mine", "version": fresh}).status_code == 302
    assert ExceptionNote.objects.get(measurement=measurement).doing == "Mine"


def test_a_scorecard_saved_on_an_old_page_is_refused(people, client_for):
    first, second = IndicatorFactory(), IndicatorFactory()
    scorecard = Scorecard.objects.create(name="Board")
    ScorecardIndicator.objects.create(scorecard=scorecard, indicator=first)
    url = reverse("kpis:scorecard_edit", kwargs={"scorecard_uuid": scorecard.uuid})
    client = client_for(people.sendops)
    opened = page_version(client.get(url))
    ScorecardIndicator.objects.create(scorecard=scorecard, indicator=second, order=1)
    response = client.post(url, {"name": "Board", "indicators": [first.pk], "version": opened})
    assert_refused(response, "scorecard", url)
    assert set(scorecard.entries.values_list("indicator_id", flat=True)) == {first.pk, second.pk}
    fresh = page_version(client.get(url))
    posted = {"name": "Board", "indicators": [first.pk], "version": fresh}
    assert client.post(url, posted).status_code == 302
    assert list(scorecard.entries.values_list("indicator_id", flat=True)) == [first.pk]
