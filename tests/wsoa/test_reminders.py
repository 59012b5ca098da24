"""The weekly reminder: exactly one email per owner per week, listing overdue and stale."""

import datetime

import pytest
from django.core import mail

from tests.factories import UserFactory
from tests.wsoa.factories import ActionFactory, status
from wsoa.models import DueDate
from wsoa.reminders import action_reminders_send

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 23)


def test_one_email_per_owner_per_week(settings):
    owner, other, quiet = (UserFactory(roles=["action_owner"]) for _ in range(3))
    late = ActionFactory(led_by=owner, created_on=MONDAY)
    DueDate.objects.create(action=late, due=MONDAY - datetime.timedelta(days=1))
    stale = ActionFactory(led_by=owner, created_on=MONDAY - datetime.timedelta(weeks=10))
    DueDate.objects.create(action=stale, due=MONDAY + datetime.timedelta(days=60))
    ActionFactory(led_by=other, created_on=MONDAY - datetime.timedelta(weeks=10))
    fine = ActionFactory(led_by=quiet, created_on=MONDAY)
    DueDate.objects.create(action=fine, due=MONDAY + datetime.timedelta(days=30))
    done = ActionFactory(led_by=quiet, created_on=MONDAY - datetime.timedelta(weeks=10))
    done.add_update(
        author=quiet,
        narrative="Done",
        status=status("Completed"),
        date=MONDAY - datetime.timedelta(weeks=9),
    )

    assert action_reminders_send(on=MONDAY) == 2
    by_owner = {email.to[0]: email for email in mail.outbox}
    assert set(by_owner) == {owner.email, other.email}
    body = by_owner[owner.email].body
    assert "Overdue" in body and f"action {late.number}" in body
    assert "Needing a progress update" in body and f"action {stale.number}" in body
    assert by_owner[owner.email].subject.endswith("1 overdue, 1 needing an update")
    # The rest of the week: nothing more. The next Monday: again.
    assert action_reminders_send(on=MONDAY + datetime.timedelta(days=3)) == 0
    assert action_reminders_send(on=MONDAY + datetime.timedelta(days=7)) == 2
    assert len(mail.outbox) == 4
