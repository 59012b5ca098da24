"""Actions raised from evidence (issue 19): wsoa's side of `send_qa.core.follow_up`.

Evidence lives in other apps (audit findings, moderation sessions, KPI exceptions, risks,
meetings); an action keeps a generic reference to it and a copy of what it said
(`ActionSource`). This module lists the actions raised from some evidence, says where to raise
one, raises one, and reads what the evidence says now beside what it said then.
"""

import calendar
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from send_qa.core import follow_up
from send_qa.core.follow_up import Evidence, FollowUp
from send_qa.core.models import User
from wsoa import timescales
from wsoa.models import Action, ActionPlan, ActionSource, RagKey, RagStatus, Weakness
from wsoa.roles import ACTION_PLAN_MANAGERS
from wsoa.services import action_save

IMPROVEMENT_PLAN_NAME = "Improvement plan"
DEFAULT_DUE_MONTHS = 3


def follow_ups_of(kind: str, refs: Iterable[str], user: User) -> dict[str, list[FollowUp]]:
    """The actions raised from each ref that the user may see, in one query."""
    refs = list(refs)
    found: dict[str, list[FollowUp]] = {}
    if not refs:
        return found
    sources = (
        ActionSource.objects.filter(
            kind=kind, ref__in=refs, action__in=Action.objects.visible_to(user)
        )
        .select_related("action__status", "action__weakness__plan")
        .order_by("raised_at", "pk")
    )
    for source in sources:
        action = source.action
        found.setdefault(source.ref, []).append(
            FollowUp(
                title=f"Action {action.number}: {Truncator(action.text).words(12)} "
                f"({action.weakness.plan})",
                url=reverse("wsoa:action_detail", kwargs={"action_uuid": action.uuid}),
                status=action.status.name,
                status_colour=action.status.colour,
            )
        )
    return found


def raise_url(kind: str, ref: str, user: User) -> str | None:
    """SENDOPS alone raise actions."""
    if not user.has_role(*ACTION_PLAN_MANAGERS):
        return None
    return f"{reverse('wsoa:action_raise')}?{urlencode({'kind': kind, 'ref': ref})}"


def improvement_plans() -> list[ActionPlan]:
    """The plans an action may be raised into, improvement plans first (the default kind)."""
    plans = list(ActionPlan.objects.select_related("rag_key"))
    return sorted(plans, key=lambda p: (p.kind != ActionPlan.Kind.IMPROVEMENT, p.name.lower()))


def new_improvement_plan() -> ActionPlan:
    """An unsaved improvement plan with seed 004's key, created when its first action is."""
    name = IMPROVEMENT_PLAN_NAME
    taken = set(ActionPlan.objects.filter(name__startswith=name).values_list("name", flat=True))
    number = 2
    while name in taken:
        name, number = f"{IMPROVEMENT_PLAN_NAME} {number}", number + 1
    return ActionPlan(name=name, kind=ActionPlan.Kind.IMPROVEMENT, rag_key=RagKey.seed_default())


def default_due(evidence: Evidence, *, today: datetime.date) -> datetime.date:
    """The evidence's own date when it suggests one, else the end of the month three months on."""
    if evidence.due_suggestion and evidence.due_suggestion >= today:
        return evidence.due_suggestion
    month = today.month - 1 + DEFAULT_DUE_MONTHS
    year, month = today.year + month // 12, month % 12 + 1
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def next_number(weakness: Weakness | None, weakness_number: int) -> str:
    """The next free reference in an area: 3.1, 3.2… as action plans number them."""
    count = weakness.actions.count() if weakness is not None and weakness.pk else 0
    return f"{weakness_number}.{count + 1}"


def next_weakness_number(plan: ActionPlan) -> int:
    if plan.pk is None:
        return 1
    return int(plan.weaknesses.aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def action_raise(
    *,
    plan: ActionPlan,
    weakness: Weakness | None,
    new_area: str,
    action: Action,
    initial: RagStatus,
    lead: User | None,
    due_dates: Sequence[timescales.DueDate],
    evidence: Evidence,
    by: User,
) -> Action:
    """Raise `action` from `evidence`: the plan (when new), the area for improvement (when
    `weakness` is None, a new one in `new_area`'s words), the action with its lead and due
    dates (`action_save`), and its link to the evidence, all saved or none."""
    if plan.pk is None:
        plan.created_by = by
        plan.save()
    if weakness is None:
        number = next_weakness_number(plan)
        weakness = Weakness.objects.create(
            plan=plan,
            number=number,
            heading=f"Area for improvement {number}",
            text=new_area.strip(),
        )
    action.weakness = weakness
    if not action.number:
        action.number = next_number(weakness, weakness.number)
    saved = action_save(action=action, initial=initial, lead=lead, due_dates=due_dates)
    source_record(saved, evidence, by=by)
    return saved


@transaction.atomic
def source_record(action: Action, evidence: Evidence, *, by: User | None) -> ActionSource:
    """Keep the action's link to its evidence, with a copy of what the evidence said."""
    source, _ = ActionSource.objects.get_or_create(
        action=action,
        kind=evidence.kind,
        ref=evidence.ref,
        defaults={
            "title": evidence.title[:500],
            "words": evidence.words,
            "figure": evidence.figure[:300],
            "term": evidence.term[:100],
            "url": evidence.url[:500],
            "raised_by": by,
            "raised_at": timezone.now(),
        },
    )
    return source


@dataclass(frozen=True)
class SourceNow:
    """A source beside what its evidence says today: ``evidence`` is None once it has gone
    (removed under retention) or the reader may no longer see it."""

    source: ActionSource
    kind_label: str
    evidence: Evidence | None

    @property
    def improved(self) -> bool:
        return self.evidence is not None and self.evidence.concern is False

    @property
    def still_a_concern(self) -> bool:
        return self.evidence is not None and self.evidence.concern is True


def sources_now(action: Action, user: User) -> list[SourceNow]:
    return [
        SourceNow(
            source=source,
            kind_label=follow_up.kind_label(source.kind),
            evidence=follow_up.evidence_of(source.kind, source.ref, user),
        )
        for source in action.sources.select_related("raised_by")
    ]
