"""Named queries other parts of the portal (dashboard, termly report) read action plans through."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from send_qa.core.feed import FeedTable
from send_qa.core.models import User
from wsoa.models import Action, ActionPlan, ActionSource
from wsoa.summaries import plan_summary


def plans_for_dashboard(*, on: datetime.date) -> dict[str, int]:
    """Across every plan: actions, how many done, overdue and stale."""
    actions = Action.objects.all()
    counts = actions.aggregate(
        total=Count("id"), done=Count("id", filter=Q(status__counts_as_done=True))
    )
    return {
        "plans": ActionPlan.objects.count(),
        **counts,
        "overdue": actions.overdue(on=on).count(),
        "stale": actions.stale(on=on).count(),
    }


def actions_led_by(user: User, *, on: datetime.date) -> dict[str, int]:
    mine = Action.objects.filter(lead=user)
    return {
        "total": mine.count(),
        "overdue": mine.overdue(on=on).count(),
        "stale": mine.stale(on=on).count(),
    }


def summaries_for_report(*, on: datetime.date) -> list[dict[str, Any]]:
    """Each plan's RAG summary (initial, previous quarter, now) and its overdue actions."""
    return [
        {
            "plan": plan,
            "summary": plan_summary(plan),
            "overdue": list(
                Action.objects.filter(weakness__plan=plan)
                .overdue(on=on)
                .select_related("status", "lead")
                .order_by("final_due")  # type: ignore[misc]  # final_due: annotated by overdue()
            ),
        }
        for plan in ActionPlan.objects.select_related("rag_key")
    ]


@dataclass(frozen=True)
class RaisedAction:
    """An action raised from evidence in a period, for the report's recommendations."""

    action: Action
    url: str
    sources: list[ActionSource]


def actions_raised_between(start: datetime.date, end: datetime.date) -> list[RaisedAction]:
    """Actions raised from evidence between two days (inclusive), oldest first, each with the
    evidence it was raised from. A fixed number of queries."""
    sources = list(
        ActionSource.objects.filter(raised_at__date__gte=start, raised_at__date__lte=end)
        .select_related("action__status", "action__weakness__plan", "action__lead")
        .order_by("raised_at", "pk")
    )
    by_action: dict[int, RaisedAction] = {}
    for source in sources:
        action = source.action
        entry = by_action.setdefault(
            action.pk,
            RaisedAction(
                action=action,
                url=reverse("wsoa:action_detail", kwargs={"action_uuid": action.uuid}),
                sources=[],
            ),
        )
        entry.sources.append(source)
    return list(by_action.values())


def overdue_actions(*, on: datetime.date) -> list[tuple[Action, str]]:
    """Every overdue action across the plans, the longest overdue first, with its page."""
    overdue = (
        Action.objects.overdue(on=on)
        .select_related("status", "weakness__plan")
        .order_by("final_due", "pk")  # type: ignore[misc]  # final_due: annotated by overdue()
    )
    return [
        (action, reverse("wsoa:action_detail", kwargs={"action_uuid": action.uuid}))
        for action in overdue
    ]


ACTION_PLAN_FEED_HEADER = [
    "Action plan",
    "Kind",
    "RAG status",
    "Actions at the start",
    "Actions at the last snapshot",
    "Actions now",
    "Actions overdue in the plan",
    "Last snapshot",
]


def summaries_for_feed(*, on: datetime.date) -> FeedTable:
    """Each action plan's RAG summary (the report's, `summaries_for_report`): a row per plan
    and RAG status. Counts of actions, not of children: shown as they are."""
    rows: list[list[object]] = []
    for entry in summaries_for_report(on=on):
        plan, summary = entry["plan"], entry["summary"]
        snapshot = summary.snapshot.taken_on if summary.snapshot else ""
        for status_row in summary.overall.rows:
            rows.append(
                [
                    plan.name,
                    plan.get_kind_display(),
                    status_row.status.name,
                    status_row.initial,
                    "" if status_row.previous is None else status_row.previous,
                    status_row.current,
                    len(entry["overdue"]),
                    snapshot,
                ]
            )
    return FeedTable(f"Action plans as at {on:%-d %B %Y}", ACTION_PLAN_FEED_HEADER, rows)
