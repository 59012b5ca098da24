"""Action-plan summaries as papers for a meeting (send_qa/core/papers.py)."""

from django.urls import reverse

from send_qa.core.access import opaque_id
from send_qa.core.models import User
from send_qa.core.papers import Paper
from wsoa.models import ActionPlan
from wsoa.roles import ACTION_PLAN_READERS

KIND = "action_plan_summary"


def _paper(plan: ActionPlan) -> Paper:
    return Paper(
        kind=KIND,
        ref=str(plan.uuid),
        title=f"{plan.name}: summary",
        url=reverse("wsoa:plan_summary", kwargs={"plan_uuid": plan.uuid}),
    )


def candidates(user: User) -> list[Paper]:
    if not user.has_role(*ACTION_PLAN_READERS):
        return []
    return [_paper(plan) for plan in ActionPlan.objects.order_by("name")]


def describe(ref: str, user: User) -> Paper | None:
    ref = opaque_id(ref)
    if not ref or not user.has_role(*ACTION_PLAN_READERS):
        return None
    plan = ActionPlan.objects.filter(uuid=ref).first()
    return _paper(plan) if plan else None
