"""Adding many records through COPY gives the same records and history as the ORM would."""

import datetime
from decimal import Decimal

import pytest

from kpis.models import Measurement
from send_qa.core.bulk import copy_create_with_history
from tests.kpis.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def test_copied_records_have_ids_values_and_a_created_history_entry(people):
    indicator = IndicatorFactory()
    before = Measurement.objects.create(
        indicator=indicator,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 3, 31),
        value=Decimal(1),
    )
    new = [
        Measurement(
            indicator=indicator,
            period_start=datetime.date(2025, 4, 1),
            period_end=datetime.date(2025, 6, 30),
            area=area,
            value=Decimal("12.5"),
            commentary='Tab\there, quote " and back\\slash',
        )
        for area in ("local", "england", "la:873")
    ]
    copy_create_with_history(new, by=people.sendops)
    assert all(m.pk and m.pk > before.pk for m in new)
    assert len({m.pk for m in new}) == 3
    stored = Measurement.objects.get(pk=new[2].pk)
    assert stored.area == "la:873" and stored.value == Decimal("12.5")
    assert stored.commentary == 'Tab\there, quote " and back\\slash'
    assert stored.updated_at is not None
    history = Measurement.history.filter(id=stored.pk).get()
    assert history.history_type == "+" and history.history_user == people.sendops
    assert history.value == Decimal("12.5")
    # The objects behave as saved ones: a later save updates rather than inserts.
    new[0].value = Decimal(13)
    new[0].save()
    assert Measurement.objects.count() == 4
    # The next record made the ordinary way gets a fresh id.
    after = Measurement.objects.create(
        indicator=indicator,
        period_start=datetime.date(2025, 7, 1),
        period_end=datetime.date(2025, 9, 30),
        value=Decimal(2),
    )
    assert after.pk > max(m.pk for m in new)


def test_nothing_to_add_does_nothing():
    copy_create_with_history([])
    assert not Measurement.objects.exists()
