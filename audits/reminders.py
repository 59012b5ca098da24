"""Daily reminders to contributing services of the advice they owe (seed 004, weakness 3:
professionals were not told of requests in time).

Each service gets one email a day at most, listing its requests due within 7 days and those
overdue. A request is included at most once per stage: the AdviceReminder rows are written in
the same transaction as the email is sent, so a failed send is tried again the next day.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from audits.models import Advice, AdviceReminder, AdviceService
from send_qa.core.emails import email_send

Stage = AdviceReminder.Stage


@dataclass
class ServiceReminder:
    service: AdviceService
    due_soon: list[Advice] = field(default_factory=list)
    overdue: list[Advice] = field(default_factory=list)


def reminders_due(*, on: datetime.date) -> list[ServiceReminder]:
    """What each active service should be reminded of today and has not been yet."""
    already = set(AdviceReminder.objects.values_list("advice_id", "stage"))
    by_service: dict[int, ServiceReminder] = {}
    outstanding = Advice.objects.filter(service__is_active=True).select_related("plan", "service")
    for stage, advice_list in (
        (Stage.DUE_SOON, outstanding.due_soon(on=on)),
        (Stage.OVERDUE, outstanding.overdue(on=on)),
    ):
        for advice in advice_list.order_by("due", "pk"):
            if (advice.pk, stage) in already:
                continue
            entry = by_service.setdefault(advice.service_id, ServiceReminder(advice.service))
            (entry.due_soon if stage == Stage.DUE_SOON else entry.overdue).append(advice)
    return sorted(by_service.values(), key=lambda r: r.service.name)


def advice_reminders_send(*, on: datetime.date) -> int:
    """Email every service its reminders for `on`; returns how many emails were sent."""
    sent = 0
    for reminder in reminders_due(on=on):
        with transaction.atomic():
            AdviceReminder.objects.bulk_create(
                [
                    AdviceReminder(
                        advice=a, stage=Stage.DUE_SOON, sent_to=reminder.service.contact_email
                    )
                    for a in reminder.due_soon
                ]
                + [
                    AdviceReminder(
                        advice=a, stage=Stage.OVERDUE, sent_to=reminder.service.contact_email
                    )
                    for a in reminder.overdue
                ]
            )
            context = {
                "reminder": reminder,
                "on": on,
                "service_name": settings.SERVICE_NAME,
                "site_url": settings.SITE_URL,
            }
            email_send("advice_reminder", reminder.service.contact_email, context)
        sent += 1
    return sent
