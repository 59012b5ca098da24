"""Adding many records through COPY gives the same records and history as the ORM would."""

import datetime
from decimal import Decimal

import pandas as pd
import pytest
from django.db import connection

from kpis.models import Measurement
from send_qa.core.bulk import (
    copy_create_with_history,
    frame_create_with_history,
    frame_update_with_history,
)
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


@pytest.mark.parametrize("vendor", ["postgresql", "sqlite"])
def test_a_frame_of_text_is_added_then_updated_with_history(people, vendor, monkeypatch):
    """The frame entry points write what the ORM would, through COPY on PostgreSQL and through
    simple-history's bulk functions elsewhere (`make run`'s SQLite)."""
    monkeypatch.setattr(connection, "vendor", vendor)
    indicator = IndicatorFactory()
    new = pd.DataFrame(
        {
            "indicator_id": [indicator.pk, indicator.pk],
            "period_start": ["2025-04-01", "2025-04-01"],
            "period_end": ["2025-06-30", "2025-06-30"],
            "area": ["local", "england"],
            "value": ["12.5", "7"],
            "numerator": [None, ""],
            "commentary": ['Said "why"\n\\.', ""],
        }
    )
    frame_create_with_history(Measurement, new, by=people.sendops)
    local, england = Measurement.objects.order_by("area").reverse()
    assert (local.value, local.numerator, local.commentary) == (
        Decimal("12.5"),
        None,
        'Said "why"\n\\.',
    )
    assert (england.value, england.source_note, england.computed_at) == (Decimal(7), "", None)
    assert local.updated_at is not None
    created = local.history.get()
    assert (created.history_type, created.history_user, created.value) == (
        "+",
        people.sendops,
        Decimal("12.5"),
    )
    changes = pd.DataFrame({"id": [local.pk], "value": ["13"], "denominator": ["40"]})
    frame_update_with_history(Measurement, changes, by=people.admin)
    local.refresh_from_db()
    assert (local.value, local.denominator, local.commentary) == (
        Decimal(13),
        Decimal(40),
        'Said "why"\n\\.',
    )
    changed = local.history.order_by("-history_date").first()
    assert (changed.history_type, changed.history_user, changed.value) == (
        "~",
        people.admin,
        Decimal(13),
    )
    assert changed.updated_at == local.updated_at > created.updated_at
    england.refresh_from_db()
    assert england.value == Decimal(7) and england.history.count() == 1
