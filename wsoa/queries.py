"""Named queries other parts of the portal (dashboard, termly report) read action plans through."""

import datetime
from typing import Any

from django.db.models import Count, Q

from send_qa.core.models import User
from wsoa.models import Action, ActionPlan
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
