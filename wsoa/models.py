"""Action plans after an inspection (seed 004): significant weaknesses, actions, their RAG
history through progress updates, and quarterly snapshots for monitoring with the DfE and
NHS England."""

import datetime
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.models import HistoricalRecords

from send_qa.core.models import User
from wsoa.roles import ACTION_LEADS, ACTION_PLAN_READERS

DEFAULT_STALE_WEEKS = 6
SEED_RAG_KEY_NAME = "RAG rating key"  # as seed 004 heads it
RAG_STATUS_FIELDS = ("name", "definition", "colour", "counts_as_done")
NOT_RATED_NAME = "Not yet rated"
NOT_RATED_DEFINITION = (
    "The action has not been reviewed yet. It counts as neither on track nor done, and is "
    "left out of the direction of travel."
)
NOT_RATED_ORDER = 32767  # off the worst-to-best scale, which is numbered from 0

# Seed 004's RAG rating key, worst first. "Completed" is in its summary table but not its key;
# its definition here is ours.
SEED_RAG_KEY = [
    (
        "Red",
        "The action has not yet started or there is significant delay in implementation. The "
        "action must be prioritised to bring it back on track to deliver improvement.",
        "red",
        False,
    ),
    (
        "Amber",
        "The action has started but there is some delay in implementation. The action must be "
        "monitored to ensure the required improvement is delivered.",
        "yellow",
        False,
    ),
    (
        "Light green",
        "The action is on track to be completed by the agreed date. Evidence is required to "
        "show that the improvement has been embedded and sustained.",
        "turquoise",
        False,
    ),
    (
        "Green",
        "The action has been completed and there is evidence that the improvement has been "
        "embedded and sustained.",
        "green",
        True,
    ),
    ("Completed", "The action is finished and closed.", "grey", True),
]
TAG_COLOURS = [
    "red",
    "orange",
    "yellow",
    "turquoise",
    "green",
    "blue",
    "light-blue",
    "purple",
    "pink",
    "grey",
]


class RagKey(models.Model):
    name = models.CharField(max_length=200, unique=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.name

    @classmethod
    def seed_default(cls) -> "RagKey":
        """Seed 004's key (created on first use)."""
        key, created = cls.objects.get_or_create(name=SEED_RAG_KEY_NAME)
        if created:
            RagStatus.objects.bulk_create(
                [
                    RagStatus(
                        key=key,
                        name=name,
                        definition=definition,
                        colour=colour,
                        order=order,
                        counts_as_done=done,
                    )
                    for order, (name, definition, colour, done) in enumerate(SEED_RAG_KEY)
                ]
            )
            key.not_rated_add()
        return key

    def not_rated_add(self) -> "RagStatus":
        """Every key has "Not yet rated", for actions nobody has reviewed yet."""
        status, _ = RagStatus.objects.get_or_create(
            key=self,
            not_rated=True,
            defaults={
                "name": NOT_RATED_NAME,
                "definition": NOT_RATED_DEFINITION,
                "colour": "grey",
                "order": NOT_RATED_ORDER,
            },
        )
        return status

    def not_rated_status(self) -> "RagStatus":
        return self.statuses.get(not_rated=True)


class RagStatusQuerySet(models.QuerySet["RagStatus"]):
    def rated(self) -> "RagStatusQuerySet":
        """The key's scale, worst first, without "Not yet rated"."""
        return self.filter(not_rated=False).order_by("order")


class RagStatus(models.Model):
    key = models.ForeignKey(RagKey, on_delete=models.CASCADE, related_name="statuses")
    name = models.CharField(max_length=100)
    definition = models.TextField()
    colour = models.CharField(
        max_length=20,
        choices=[(c, c.replace("-", " ").capitalize()) for c in TAG_COLOURS],
        help_text="The GOV.UK tag colour it is shown in, always beside its name.",
    )
    order = models.PositiveSmallIntegerField(help_text="0 for the worst status.")
    counts_as_done = models.BooleanField(default=False)
    not_rated = models.BooleanField(
        default=False,
        help_text="The key's one status for actions not reviewed yet: neither good nor done.",
    )

    objects = RagStatusQuerySet.as_manager()

    class Meta:
        ordering = ["key", "order"]
        constraints = [
            models.UniqueConstraint(fields=["key", "order"], name="status_order_unique"),
            models.UniqueConstraint(fields=["key", "name"], name="status_name_unique"),
            models.UniqueConstraint(
                fields=["key"], condition=Q(not_rated=True), name="one_not_rated_status"
            ),
            models.CheckConstraint(
                condition=Q(not_rated=False) | Q(counts_as_done=False),
                name="not_rated_is_not_done",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ActionPlan(models.Model):
    class Kind(models.TextChoices):
        WSOA = "wsoa", "Written Statement of Action"
        PRIORITY = "priority", "Priority action plan"
        APP = "app", "Accelerated Progress Plan"
        IMPROVEMENT = "improvement", "Improvement plan"
        SELF_EVALUATION = "self_evaluation", "Self-evaluation action plan"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.WSOA)
    inspection_start = models.DateField(null=True, blank=True)
    inspection_end = models.DateField(null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    revisit_due = models.DateField(null=True, blank=True)
    governance_forums = models.TextField(blank=True, help_text="One forum a line.")
    rag_key = models.ForeignKey(RagKey, on_delete=models.PROTECT, related_name="plans")
    table_mapping = models.JSONField(
        default=dict,
        blank=True,
        help_text="The portal's field for each heading of the plan's own table, as last imported.",
    )
    stale_after_weeks = models.PositiveSmallIntegerField(
        default=DEFAULT_STALE_WEEKS,
        help_text="An action with no progress update for this many weeks is stale.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def forums(self) -> list[str]:
        return [line.strip() for line in self.governance_forums.splitlines() if line.strip()]

    @transaction.atomic
    def rag_key_copy(self) -> RagKey:
        """The plan's key if no other plan uses it, else a copy of it made for this plan alone,
        with every action, update and snapshot of the plan moved onto the copy's statuses.
        Seed 004's key is always copied, so that new plans keep getting the seed's."""
        key = self.rag_key
        if not key.plans.exclude(pk=self.pk).exists() and key.name != SEED_RAG_KEY_NAME:
            return key
        copy = RagKey.objects.create(name=f"{self.name}: RAG key")
        actions = Action.objects.filter(weakness__plan=self)
        for old in key.statuses.order_by("order"):
            new = RagStatus.objects.create(
                key=copy,
                order=old.order,
                not_rated=old.not_rated,
                **{f: getattr(old, f) for f in RAG_STATUS_FIELDS},
            )
            actions.filter(status=old).update(status=new)
            actions.filter(initial_status=old).update(initial_status=new)
            ProgressUpdate.objects.filter(action__in=actions, status=old).update(status=new)
            SnapshotEntry.objects.filter(snapshot__plan=self, status=old).update(status=new)
        self.rag_key = copy
        self.save(update_fields=["rag_key"])
        return copy

    @transaction.atomic
    def rag_key_save(self, *, statuses: Sequence[Mapping[str, Any]]) -> RagKey:
        """Set the plan's RAG key to `statuses`, worst first (each with the fields of
        RAG_STATUS_FIELDS). A key shared with other plans is copied first, so theirs stay.
        "Not yet rated" is not among them: it stays as it is."""
        names = [status["name"].strip().lower() for status in statuses]
        names += [
            n.lower()
            for n in self.rag_key.statuses.filter(not_rated=True).values_list("name", flat=True)
        ]
        if len(names) != len(set(names)):
            raise ValidationError("Give every status a different name.")
        key = self.rag_key_copy()
        by_order = {status.order: status for status in key.statuses.rated()}
        for order, fields in enumerate(statuses):
            status = by_order.get(order) or RagStatus(key=key, order=order)
            for field in RAG_STATUS_FIELDS:
                setattr(status, field, fields[field])
            status.save()
        return key


class Weakness(models.Model):
    """A significant weakness (or area for priority action) with the aim of its programme."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="weaknesses")
    number = models.PositiveSmallIntegerField()
    heading = models.CharField(
        max_length=100,
        blank=True,
        help_text='Its number as the plan writes it, such as "Area for Improvement 2" or "SW4". '
        'Empty for "Significant weakness" and its number.',
    )
    text = models.TextField()
    aim = models.TextField(blank=True)
    kpis = models.TextField("KPIs / targets", blank=True)
    indicators = models.ManyToManyField("kpis.Indicator", blank=True, related_name="weaknesses")
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="weakness_number_unique")
        ]
        verbose_name_plural = "weaknesses"

    def __str__(self) -> str:
        return self.heading or f"Significant weakness {self.number}"


class ActionQuerySet(models.QuerySet["Action"]):
    def with_final_due(self) -> "ActionQuerySet":
        return self.annotate(final_due=Max("due_dates__due"))

    def overdue(self, *, on: datetime.date) -> "ActionQuerySet":
        """Past its (last) due date and not in a status that counts as done."""
        return (
            self.with_final_due()
            .filter(final_due__lt=on)  # type: ignore[misc]  # final_due: annotated by with_final_due()
            .exclude(status__counts_as_done=True)
        )

    def stale(self, *, on: datetime.date) -> "ActionQuerySet":
        """Not done and no progress update (nor creation) within the plan's stale weeks.

        Plans set their own number of weeks; one condition per distinct number keeps this a
        plain date comparison that every database can do.
        """
        weeks_in_use = ActionPlan.objects.values_list("stale_after_weeks", flat=True).distinct()
        condition = Q(pk__in=[])
        for weeks in weeks_in_use:
            condition |= Q(
                weakness__plan__stale_after_weeks=weeks,
                last_update__lt=on - datetime.timedelta(weeks=weeks),
            )
        return (
            self.exclude(status__counts_as_done=True)
            .annotate(last_update=Coalesce(Max("updates__date"), F("created_on")))
            .filter(condition)
        )

    def visible_to(self, user: User) -> "ActionQuerySet":
        """SENDOPS and the board see every action; an action owner the actions they lead."""
        if user.has_role(*ACTION_PLAN_READERS):
            return self
        if user.has_role(*ACTION_LEADS):
            return self.filter(lead=user)
        return self.none()


class Action(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    weakness = models.ForeignKey(Weakness, on_delete=models.CASCADE, related_name="actions")
    number = models.CharField(max_length=20)
    improvement_area = models.TextField(blank=True)
    text = models.TextField("Actions")
    success_measures = models.TextField("Success measure(s)", blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_actions",
    )
    lead_title = models.CharField(max_length=200, blank=True)
    senior_responsible_officer = models.CharField(
        max_length=200, blank=True, help_text="Who answers for the action above its lead."
    )
    governance_forum = models.CharField(max_length=200, blank=True)
    start = models.CharField(
        max_length=100, blank=True, help_text="When it starts, as written in the plan."
    )
    timescale = models.CharField(max_length=300, blank=True, help_text="As written in the plan.")
    initial_status = models.ForeignKey(RagStatus, on_delete=models.PROTECT, related_name="+")
    status = models.ForeignKey(
        RagStatus, on_delete=models.PROTECT, related_name="+", help_text="Changed by updates."
    )
    created_on = models.DateField(default=datetime.date.today)
    history = HistoricalRecords()

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["weakness", "pk"]
        permissions = [("update_progress", "Can add progress updates to the action")]

    def __str__(self) -> str:
        return f"Action {self.number}"

    @property
    def plan(self) -> ActionPlan:
        return self.weakness.plan

    def clean(self) -> None:
        for status in (
            self.status_id and self.status,
            self.initial_status_id and self.initial_status,
        ):
            if status and status.key_id != self.weakness.plan.rag_key_id:
                raise ValidationError("Choose a status from the plan's RAG key.")

    @transaction.atomic
    def add_update(
        self, *, author: User | None, narrative: str, status: RagStatus, date: datetime.date
    ) -> "ProgressUpdate":
        """The only way a RAG changes, so the whole history is kept. The update says how the
        action stood on `date` (never in the future); the action's RAG now is that of its
        latest-dated update, so a back-dated one leaves a later RAG as it is."""
        if status.key_id != self.weakness.plan.rag_key_id:
            raise ValidationError("Choose a status from the plan's RAG key.")
        if date > timezone.localdate():
            raise ValidationError("The date of the update cannot be in the future.")
        update = ProgressUpdate.objects.create(
            action=self, author=author, narrative=narrative, status=status, date=date
        )
        latest = self.updates.order_by("-date", "-created_at", "-pk").first()
        self.status_id = latest.status_id if latest else status.pk
        Action.objects.filter(pk=self.pk).update(status_id=self.status_id)
        if self.created_on > date:
            self.created_on = date  # it stood somewhere on that day, so it was in the plan
            Action.objects.filter(pk=self.pk).update(created_on=date)
        return update


class DueDate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="due_dates")
    due = models.DateField()
    text = models.CharField(max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "due"]

    def __str__(self) -> str:
        return f"{self.action} due {self.due}"


class ProgressUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for updates imported from an existing table.",
    )
    narrative = models.TextField()
    status = models.ForeignKey(RagStatus, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "date", "created_at"]

    def __str__(self) -> str:
        return f"Update to {self.action} on {self.date}"

    def clean(self) -> None:
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": "The date of the update cannot be in the future."})


def evidence_path(instance: "Evidence", filename: str) -> str:
    """Never the uploader's file name: a random name, keeping only a known suffix."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if not (suffix.isascii() and suffix.isalnum() and len(suffix) <= 5):
        suffix = "bin"
    return f"evidence/{uuid.uuid4().hex}.{suffix}"


class Evidence(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence")
    description = models.CharField(max_length=300)
    file = models.FileField(upload_to=evidence_path, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    link = models.URLField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "added_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(link=""), name="evidence_file_or_link"
            )
        ]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.description


class Snapshot(models.Model):
    """Every action's RAG frozen at a date, for the quarterly monitoring with the DfE and NHS
    England; the next quarter's summary compares against it."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="snapshots")
    taken_on = models.DateField()
    label = models.CharField(max_length=100)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["plan", "-taken_on"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "taken_on"], name="snapshot_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.label}"


class SnapshotEntry(models.Model):
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="entries")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="snapshot_entries")
    status = models.ForeignKey(RagStatus, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "action"], name="snapshot_action_once")
        ]

    def __str__(self) -> str:
        return f"{self.snapshot}: {self.action} {self.status}"


class ReminderSent(models.Model):
    """The weekly reminder to an action owner: once a week, never twice."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_starting = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "week_starting"], name="one_reminder_a_week")
        ]

    def __str__(self) -> str:
        return f"Reminder to {self.owner_id} for week of {self.week_starting}"


class ActionSource(models.Model):
    """The evidence an action was raised from (issue 19): a generic reference to a record of
    another app (`send_qa.core.follow_up`: a kind and an opaque ref), with a copy of what the
    evidence said at the time. The copy is the action's own record, so the link still reads
    after the evidence itself has gone under the retention policy."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(max_length=40)
    ref = models.CharField(max_length=200)
    title = models.CharField(max_length=500)
    words = models.TextField(blank=True)
    figure = models.CharField(max_length=300, blank=True, help_text="As shown when raised.")
    term = models.CharField(max_length=100, blank=True)
    url = models.CharField(max_length=500, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "raised_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["action", "kind", "ref"], name="action_source_once")
        ]
        indexes = [models.Index(fields=["kind", "ref"], name="action_source_kind_ref")]

    def __str__(self) -> str:
        return f"{self.action}: raised from {self.title}"
