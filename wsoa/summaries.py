"""The seed's summary table: actions per RAG status, initial versus now, and the direction of
travel since the previous quarter's snapshot; overall, per weakness and per lead."""

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, F, FilteredRelation, Q, QuerySet

from send_qa.core.models import User
from wsoa.models import (
    Action,
    ActionPlan,
    ProgressUpdate,
    RagStatus,
    Snapshot,
    SnapshotEntry,
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


@dataclass
class Counted:
    """One group's figures as the database counted them: per status (by id) how many actions
    started there, are there now and were there at the snapshot, and their direction."""

    initial: dict[int, int] = field(default_factory=dict)
    current: dict[int, int] = field(default_factory=dict)
    previous: dict[int, int] = field(default_factory=dict)
    improved: int = 0
    declined: int = 0
    unchanged: int = 0
    new: int = 0
    total: int = 0
    done: int = 0

    def add(self, other: "Counted") -> None:
        for mine, theirs in (
            (self.initial, other.initial),
            (self.current, other.current),
            (self.previous, other.previous),
        ):
            for status, n in theirs.items():
                mine[status] = mine.get(status, 0) + n
        self.improved += other.improved
        self.declined += other.declined
        self.unchanged += other.unchanged
        self.new += other.new
        self.total += other.total
        self.done += other.done


def _summary(
    title: str, counted: Counted, statuses: list[RagStatus], has_snapshot: bool
) -> Summary:
    rows = [
        StatusRow(
            s,
            initial=counted.initial.get(s.pk, 0),
            current=counted.current.get(s.pk, 0),
            previous=counted.previous.get(s.pk, 0) if has_snapshot else None,
        )
        for s in statuses
    ]
    if not has_snapshot:
        return Summary(title, rows, total=counted.total, done=counted.done)
    return Summary(
        title,
        rows,
        improved=counted.improved,
        declined=counted.declined,
        unchanged=counted.unchanged,
        new=counted.new,
        total=counted.total,
        done=counted.done,
    )


def _counts(statuses: list[RagStatus]) -> dict[str, Count]:
    """The aggregates of a group of actions (as `_counted_actions` names their columns). No
    direction to or from "Not yet rated": both not rated is unchanged, one is neither."""
    both_rated = Q(now_not_rated=False, before_not_rated=False)
    counts = {
        "total": Count("pk"),
        "done": Count("pk", filter=Q(now_done=True)),
        "new": Count("pk", filter=Q(before_status__isnull=True)),
        "improved": Count("pk", filter=both_rated & Q(now_order__gt=F("before_order"))),
        "declined": Count("pk", filter=both_rated & Q(now_order__lt=F("before_order"))),
        "unchanged": Count(
            "pk",
            filter=Q(now_not_rated=True, before_not_rated=True)
            | both_rated & Q(now_order=F("before_order")),
        ),
    }
    for s in statuses:
        counts[f"initial_{s.pk}"] = Count("pk", filter=Q(initial_status=s.pk))
        counts[f"current_{s.pk}"] = Count("pk", filter=Q(status=s.pk))
        counts[f"previous_{s.pk}"] = Count("pk", filter=Q(before_status=s.pk))
    return counts


def _counted_actions(plan: ActionPlan, snapshot: Snapshot | None) -> QuerySet[Action]:
    """The plan's actions with their status now and at the snapshot (none for an action added
    since) as plain columns, so that each count is a condition on one row."""
    return (
        Action.objects.filter(weakness__plan=plan)
        .alias(
            before=FilteredRelation(
                "snapshot_entries", condition=Q(snapshot_entries__snapshot=snapshot)
            ),
            before_status=F("before__status"),
            before_order=F("before__status__order"),
            before_not_rated=F("before__status__not_rated"),
            now_order=F("status__order"),
            now_not_rated=F("status__not_rated"),
            now_done=F("status__counts_as_done"),
        )
        .order_by()
    )


def _counted(row: Mapping[str, Any], statuses: list[RagStatus]) -> Counted:
    return Counted(
        initial={s.pk: row[f"initial_{s.pk}"] for s in statuses},
        current={s.pk: row[f"current_{s.pk}"] for s in statuses},
        previous={s.pk: row[f"previous_{s.pk}"] for s in statuses},
        improved=row["improved"],
        declined=row["declined"],
        unchanged=row["unchanged"],
        new=row["new"],
        total=row["total"],
        done=row["done"],
    )


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
    """Counted by the database: a row per weakness, lead and senior responsible officer, so a
    few rows and four queries whatever the number of actions."""
    statuses = list(plan.rag_key.statuses.order_by("order"))
    snapshot = plan.snapshots.order_by("-taken_on").first()
    weaknesses = {w.pk: w for w in plan.weaknesses.all()}
    by_weakness: dict[int, Counted] = defaultdict(Counted)
    by_lead: dict[str, Counted] = defaultdict(Counted)
    officers: dict[str, set[str]] = defaultdict(set)
    overall = Counted()
    for row in (
        _counted_actions(plan, snapshot)
        .values("weakness", "lead", "lead__full_name", "lead_title", "senior_responsible_officer")
        .annotate(**_counts(statuses))
    ):
        counted = _counted(row, statuses)
        lead = row["lead__full_name"] if row["lead"] else (row["lead_title"] or "No lead")
        for total in (overall, by_weakness[row["weakness"]], by_lead[lead]):
            total.add(counted)
        if row["senior_responsible_officer"]:
            officers[lead].add(row["senior_responsible_officer"])
    has_snapshot = snapshot is not None
    return PlanSummary(
        snapshot=snapshot,
        overall=_summary("All actions", overall, statuses, has_snapshot),
        by_weakness=[
            _summary(f"{w}: {cut_at_word(w.text)}", by_weakness[w.pk], statuses, has_snapshot)
            for w in sorted(weaknesses.values(), key=lambda w: w.number)
            if w.pk in by_weakness
        ],
        by_lead=[
            _summary(_lead_title(lead, officers[lead]), counted, statuses, has_snapshot)
            for lead, counted in sorted(by_lead.items())
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
