"""Named queries other parts of the portal (dashboard, termly report) read action plans through."""

import datetime

from django.db.models import Count, Q

from wsoa.models import Action, ActionPlan
from wsoa.summaries import plan_summary


def plans_for_dashboard(*, on: datetime.date) -> dict:
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


def actions_led_by(user, *, on: datetime.date) -> dict:
    mine = Action.objects.filter(lead=user)
    return {
        "total": mine.count(),
        "overdue": mine.overdue(on=on).count(),
        "stale": mine.stale(on=on).count(),
    }


def summaries_for_report(*, on: datetime.date) -> list[dict]:
    """Each plan's RAG summary (initial, previous quarter, now) and its overdue actions."""
    return [
        {
            "plan": plan,
            "summary": plan_summary(plan),
            "overdue": list(
                Action.objects.filter(weakness__plan=plan)
                .overdue(on=on)
                .select_related("status", "lead")
                .order_by("final_due")
            ),
        }
        for plan in ActionPlan.objects.select_related("rag_key")
    ]
