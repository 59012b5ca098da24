"""The weekly reminder to each action owner of their overdue and stale actions: one email per
owner per week (the week starting on Monday), recorded so that it is never sent twice."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from send_qa.core.emails import email_send
from wsoa.models import Action, ReminderSent


def week_starting(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def owner_reminders(*, on: datetime.date) -> dict:
    """Owner -> {"overdue": [...], "stale": [...]} for every active lead with either."""
    found: dict = defaultdict(lambda: {"overdue": [], "stale": []})
    actions = Action.objects.filter(lead__isnull=False, lead__is_active=True).select_related(
        "lead", "status", "weakness__plan"
    )
    for action in actions.overdue(on=on):
        found[action.lead]["overdue"].append(action)
    for action in actions.stale(on=on):
        found[action.lead]["stale"].append(action)
    return found


def action_reminders_send(*, on: datetime.date) -> int:
    """Email each owner once this week; returns how many emails were sent."""
    week = week_starting(on)
    already = set(
        ReminderSent.objects.filter(week_starting=week).values_list("owner_id", flat=True)
    )
    sent = 0
    for owner, lists in sorted(owner_reminders(on=on).items(), key=lambda kv: kv[0].pk):
        if owner.pk in already:
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(owner=owner, week_starting=week)
                context = {
                    "owner": owner,
                    "overdue": lists["overdue"],
                    "stale": lists["stale"],
                    "url": settings.SITE_URL + reverse("wsoa:my_actions"),
                    "service_name": settings.SERVICE_NAME,
                }
                email_send("action_reminder", owner.email, context)
        except IntegrityError:  # another worker sent it a moment ago
            continue
        sent += 1
    return sent
