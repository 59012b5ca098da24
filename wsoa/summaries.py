"""The seed's summary table: actions per RAG status, initial versus now, and the direction of
travel since the previous quarter's snapshot; overall, per weakness and per lead."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from send_qa.core.models import User
from wsoa.models import (
    Action,
    ActionPlan,
    ProgressUpdate,
    RagStatus,
    Snapshot,
    SnapshotEntry,
    Weakness,
)


@dataclass
class StatusRow:
    status: RagStatus
    initial: int = 0
    current: int = 0
    previous: int | None = None  # at the last snapshot, if there is one

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.current - self.previous


@dataclass
class Summary:
    title: str
    rows: list[StatusRow]
    improved: int = 0  # actions whose status is better than at the last snapshot
    declined: int = 0
    unchanged: int = 0
    new: int = 0  # actions added since the snapshot
    total: int = 0
    done: int = 0

    @property
    def previous_total(self) -> int | None:
        if not self.rows or self.rows[0].previous is None:
            return None
        return sum(row.previous or 0 for row in self.rows)  # all counted, or none

    @property
    def direction(self) -> str:
        """Overall direction of travel since the previous quarter, in words."""
        if not self.improved and not self.declined:
            return "No change"
        if self.improved > self.declined:
            return "Improving"
        if self.declined > self.improved:
            return "Declining"
        return "Mixed"


@dataclass
class PlanSummary:
    snapshot: Snapshot | None
    overall: Summary
    by_weakness: list[Summary] = field(default_factory=list)
    by_lead: list[Summary] = field(default_factory=list)
    done_statuses: list[str] = field(default_factory=list)

    @property
    def done_in_words(self) -> str:
        """Which RAG statuses count as done, for the sentence under the summary."""
        names = [f"“{name}”" for name in self.done_statuses]
        if len(names) < 2:
            return "".join(names)
        return f"{', '.join(names[:-1])} or {names[-1]}"


def _summary(
    title: str,
    actions: list[Action],
    statuses: list[RagStatus],
    before: dict[int, RagStatus] | None,
) -> Summary:
    """`before`: each action's status at the last snapshot (by action id), None without one."""
    rows = {s.pk: StatusRow(s, previous=0 if before is not None else None) for s in statuses}
    summary = Summary(title, list(rows.values()), total=len(actions))
    for action in actions:
        rows[action.initial_status_id].initial += 1
        rows[action.status_id].current += 1
        summary.done += action.status.counts_as_done
        if before is None:
            continue
        old = before.get(action.pk)
        if old is None:
            summary.new += 1
            continue
        at_snapshot = rows[old.pk]
        at_snapshot.previous = (at_snapshot.previous or 0) + 1  # 0 from the start, as before
        if old.not_rated or action.status.not_rated:
            summary.unchanged += old.not_rated == action.status.not_rated
            continue  # no direction to or from "Not yet rated"
        if action.status.order > old.order:
            summary.improved += 1
        elif action.status.order < old.order:
            summary.declined += 1
        else:
            summary.unchanged += 1
    return summary


def cut_at_word(text: str, limit: int = 80) -> str:
    """The text up to `limit` characters, cut after a whole word with an ellipsis when longer
    (a weakness's title in a table caption); a single overlong word is cut where it must be."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[: limit + 1] else text[:limit]
    return f"{cut.rstrip(' ,;:.-–')}…"


def _lead_title(lead: str, officers: set[str]) -> str:
    """The lead, with the senior responsible officers of their actions beside them."""
    if not officers:
        return lead
    return f"{lead} (senior responsible officer: {', '.join(sorted(officers))})"


def plan_summary(plan: ActionPlan) -> PlanSummary:
    """Four queries whatever the size of the plan."""
    statuses = list(plan.rag_key.statuses.order_by("order"))
    actions = list(
        Action.objects.filter(weakness__plan=plan).select_related("status", "weakness", "lead")
    )
    snapshot = plan.snapshots.order_by("-taken_on").first()
    before = None
    if snapshot is not None:
        before = {
            entry.action_id: entry.status
            for entry in SnapshotEntry.objects.filter(snapshot=snapshot).select_related("status")
        }
    by_weakness: dict[Weakness, list[Action]] = defaultdict(list)
    by_lead: dict[str, list[Action]] = defaultdict(list)
    officers: dict[str, set[str]] = defaultdict(set)
    for action in actions:
        by_weakness[action.weakness].append(action)
        lead = action.lead.full_name if action.lead else (action.lead_title or "No lead")
        by_lead[lead].append(action)
        if action.senior_responsible_officer:
            officers[lead].add(action.senior_responsible_officer)
    return PlanSummary(
        snapshot=snapshot,
        overall=_summary("All actions", actions, statuses, before),
        by_weakness=[
            _summary(f"{w}: {cut_at_word(w.text)}", acts, statuses, before)
            for w, acts in sorted(by_weakness.items(), key=lambda kv: kv[0].number)
        ],
        by_lead=[
            _summary(_lead_title(lead, officers[lead]), acts, statuses, before)
            for lead, acts in sorted(by_lead.items())
        ],
        done_statuses=[s.name for s in statuses if s.counts_as_done],
    )


def status_on(action: Action, day: datetime.date, updates: list[ProgressUpdate]) -> RagStatus:
    """The action's status as it stood at the end of `day`."""
    before = [u for u in updates if u.date <= day]
    return before[-1].status if before else action.initial_status


@transaction.atomic
def snapshot_take(plan: ActionPlan, *, on: datetime.date, label: str, by: User | None) -> Snapshot:
    """Freeze every action's RAG as it stood on `on` (replacing a snapshot of the same day)."""
    Snapshot.objects.filter(plan=plan, taken_on=on).delete()
    snapshot = Snapshot.objects.create(plan=plan, taken_on=on, label=label, taken_by=by)
    actions = list(
        Action.objects.filter(weakness__plan=plan, created_on__lte=on).select_related(
            "initial_status"
        )
    )
    updates: dict[int, list[ProgressUpdate]] = defaultdict(list)
    for update in (
        ProgressUpdate.objects.filter(action__in=actions, date__lte=on)
        .select_related("status")
        .order_by("date", "created_at")
    ):
        updates[update.action_id].append(update)
    SnapshotEntry.objects.bulk_create(
        [
            SnapshotEntry(
                snapshot=snapshot, action=a, status=status_on(a, on, updates.get(a.pk, []))
            )
            for a in actions
        ]
    )
    return snapshot
