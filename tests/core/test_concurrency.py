"""The one guard against saving over a colleague's change (send_qa/core/concurrency.py)."""

import datetime
import threading
from decimal import Decimal

import pytest
from django import forms
from django.db import DatabaseError, connection, transaction

from kpis.models import Indicator, Measurement
from send_qa.core.bulk import copy_create_with_history
from send_qa.core.concurrency import (
    VERSION_FIELD,
    EditConflict,
    VersionedFormMixin,
    rows_version,
    version_check,
)
from send_qa.core.models import User
from tests.kpis.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)


def period_rows(indicator):
    return [Measurement.objects.filter(indicator=indicator, period_start=START, period_end=END)]


def measurement(indicator, area="local", value="10"):
    return Measurement.objects.create(
        indicator=indicator, period_start=START, period_end=END, area=area, value=Decimal(value)
    )


def test_the_version_stays_while_nothing_changes():
    indicator = IndicatorFactory()
    measurement(indicator)
    assert rows_version(period_rows(indicator)) == rows_version(period_rows(indicator))


@pytest.mark.parametrize(
    ("field", "value"),
    [("value", Decimal("11")), ("commentary", "Why it moved"), ("period_label", "Summer")],
)
def test_the_version_changes_when_any_field_changes(field, value):
    indicator = IndicatorFactory()
    row = measurement(indicator)
    before = rows_version(period_rows(indicator))
    Measurement.objects.filter(pk=row.pk).update(**{field: value})
    assert rows_version(period_rows(indicator)) != before


def test_the_version_covers_every_row_of_a_group_and_rows_joining_or_leaving_it(people):
    indicator = IndicatorFactory()
    measurement(indicator, "local")
    england = measurement(indicator, "england", "20")
    before = rows_version(period_rows(indicator))
    Measurement.objects.filter(pk=england.pk).update(value=Decimal("21"))
    changed = rows_version(period_rows(indicator))
    assert changed != before
    copy_create_with_history(  # a bulk writer that bumps no counter
        [
            Measurement(
                indicator=indicator,
                period_start=START,
                period_end=END,
                area="region",
                value=Decimal(5),
            )
        ],
        by=people.sendops,
    )
    joined = rows_version(period_rows(indicator))
    assert joined != changed
    Measurement.objects.filter(area="region").delete()
    assert rows_version(period_rows(indicator)) == changed


def test_the_version_of_no_rows_differs_from_that_of_a_first_row():
    indicator = IndicatorFactory()
    empty = rows_version(period_rows(indicator))
    measurement(indicator)
    assert rows_version(period_rows(indicator)) != empty


def test_the_check_passes_on_the_current_version_and_refuses_any_other():
    indicator = IndicatorFactory()
    measurement(indicator)
    current = rows_version(period_rows(indicator))
    with transaction.atomic():
        version_check(period_rows(indicator), current, thing="value")
    for stale in ("", "0", current[:-1] + ("0" if current[-1] != "0" else "1")):
        with pytest.raises(EditConflict) as refusal, transaction.atomic():
            version_check(period_rows(indicator), stale, thing="value")
        assert "Someone else saved a change to this value" in refusal.value.message


@pytest.mark.django_db(transaction=True)
def test_the_check_runs_only_inside_the_transaction_that_saves_and_locks_the_rows():
    """Between the check and the write no one else can change the rows."""
    indicator = IndicatorFactory()
    row = measurement(indicator)
    with pytest.raises(transaction.TransactionManagementError):
        version_check(period_rows(indicator), rows_version(period_rows(indicator)))
    seen = {}

    def other_writer():
        try:
            with transaction.atomic():
                Measurement.objects.select_for_update(nowait=True).get(pk=row.pk)
            seen["locked"] = False
        except DatabaseError:
            seen["locked"] = True
        finally:
            connection.close()

    with transaction.atomic():
        version_check(period_rows(indicator), rows_version(period_rows(indicator)))
        writer = threading.Thread(target=other_writer)
        writer.start()
        writer.join()
    assert seen == {"locked": True}


class IndicatorNameForm(VersionedFormMixin, forms.ModelForm):
    edit_thing = "indicator"

    class Meta:
        model = Indicator
        fields = ["name"]


def test_a_form_carries_the_version_of_its_page_and_refuses_a_stale_save():
    indicator = IndicatorFactory(name="Old")
    opened = IndicatorNameForm(instance=indicator).initial[VERSION_FIELD]
    assert opened == rows_version([Indicator.objects.filter(pk=indicator.pk)])
    Indicator.objects.filter(pk=indicator.pk).update(name="A colleague's")
    form = IndicatorNameForm({"name": "Mine", VERSION_FIELD: opened}, instance=indicator)
    assert form.is_valid()
    with pytest.raises(EditConflict), form.guard(url="/here/"):
        form.save()
    assert form.edit_conflict is not None and form.edit_conflict.url == "/here/"
    indicator.refresh_from_db()
    assert indicator.name == "A colleague's"
    fresh = IndicatorNameForm(instance=indicator).initial[VERSION_FIELD]
    form = IndicatorNameForm({"name": "Mine", VERSION_FIELD: fresh}, instance=indicator)
    assert form.is_valid()
    with form.guard():
        form.save()
    indicator.refresh_from_db()
    assert indicator.name == "Mine"


def test_a_guarded_save_says_whether_it_saved_and_what_the_page_answers():
    indicator = IndicatorFactory(name="Old")
    opened = IndicatorNameForm(instance=indicator).initial[VERSION_FIELD]
    Indicator.objects.filter(pk=indicator.pk).update(name="A colleague's")
    stale = IndicatorNameForm({"name": "Mine", VERSION_FIELD: opened}, instance=indicator)
    assert stale.is_valid() and not stale.save_guarded(url="/here/")
    assert stale.status_code == 409 and stale.edit_conflict.url == "/here/"
    indicator.refresh_from_db()
    assert indicator.name == "A colleague's"
    fresh = IndicatorNameForm(instance=indicator).initial[VERSION_FIELD]
    form = IndicatorNameForm({"name": "Mine", VERSION_FIELD: fresh}, instance=indicator)
    assert form.is_valid() and form.save_guarded(url="/here/")
    assert form.status_code == 200
    indicator.refresh_from_db()
    assert indicator.name == "Mine"


def test_a_form_that_adds_a_record_has_nothing_to_guard():
    form = IndicatorNameForm({"name": "New"}, instance=Indicator(code="NEW1"))
    assert form.guarded_rows() == []
    with transaction.atomic():
        version_check([], "")


def test_the_version_tells_apart_times_less_than_a_millisecond_apart(people):
    moment = people.sendops.date_joined.replace(microsecond=1000)
    User.objects.filter(pk=people.sendops.pk).update(date_joined=moment)
    rows = [User.objects.filter(pk=people.sendops.pk)]
    before = rows_version(rows)
    User.objects.filter(pk=people.sendops.pk).update(date_joined=moment.replace(microsecond=1001))
    assert rows_version(rows) != before
