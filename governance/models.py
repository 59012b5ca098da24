"""Meetings of the forums the seeds name, the forward plan of papers to them, each meeting's
papers and its decisions and recommendations (seed 000, sections 4 and 6; seed 002's
governance reporting cycle)."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from governance.roles import BOARD_DECISION_RECORDERS, MEETING_MANAGERS, MEETING_READERS
from send_qa.core.models import User


class Forum(models.TextChoices):
    PARTNERSHIP_BOARD = "partnership_board", "SEND Partnership Board"
    SENDOPS = "sendops", "SEND Operations Group (SENDOPS)"
    MODERATION = "moderation", "Moderation group"
    SCRUTINY = "scrutiny", "Children Services Overview and Scrutiny"
    JOINT_COMMISSIONING = "joint_commissioning", "Joint Commissioning Group"
    HEALTH_AND_WELLBEING = "health_and_wellbeing", "Health and Wellbeing Board"


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def visible_to(self, user: User) -> "MeetingQuerySet":
        return self if user.has_role(*MEETING_READERS) else self.none()

    def upcoming(self, today: datetime.date) -> "MeetingQuerySet":
        return self.filter(date__gte=today).order_by("date", "time", "pk")

    def past(self, today: datetime.date) -> "MeetingQuerySet":
        return self.filter(date__lt=today).order_by("-date", "-time", "-pk")

    def in_academic_year(self, start_year: int) -> "MeetingQuerySet":
        return self.filter(
            date__gte=datetime.date(start_year, 9, 1),
            date__lte=datetime.date(start_year + 1, 8, 31),
        )


class Meeting(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    forum = models.CharField(max_length=30, choices=Forum.choices)
    date = models.DateField()
    time = models.TimeField(null=True, blank=True)
    place = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["date", "time", "pk"]

    def __str__(self) -> str:
        return f"{self.get_forum_display()} {self.date:%-d %B %Y}"

    @property
    def is_board(self) -> bool:
        return self.forum == Forum.PARTNERSHIP_BOARD

    def kinds_user_may_record(self, user: User) -> list[str]:
        """What ``user`` may record on this meeting: SENDOPS decisions and recommendations on
        any meeting; a board member the decisions of a Partnership Board meeting."""
        if user.has_role(*MEETING_MANAGERS):
            return [Decision.Kind.DECISION, Decision.Kind.RECOMMENDATION]
        if self.is_board and user.has_role(*BOARD_DECISION_RECORDERS):
            return [Decision.Kind.DECISION]
        return []


class ForwardPlanItem(models.Model):
    """Which paper goes to which meeting. A recurring paper of the cycle (governance/cycle.py)
    names its ``paper`` key and the period it is due in, so drawing the plan again adds only
    what is missing, even after an item was moved to another meeting by hand."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        READY = "ready", "Paper ready"
        PRESENTED = "presented", "Presented"
        DEFERRED = "deferred", "Deferred"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="plan_items")
    paper = models.CharField(max_length=40, blank=True, help_text="The cycle's key, if recurring.")
    title = models.CharField(max_length=200)
    due_from = models.DateField(
        null=True, blank=True, help_text="Start of the period it is due in."
    )
    due_period = models.CharField(max_length=60, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lead_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    deferred_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting__date", "title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "due_from"],
                condition=~Q(paper="") & Q(due_from__isnull=False),
                name="forward_plan_one_paper_a_period",
            ),
            models.CheckConstraint(
                condition=~Q(status="deferred") | ~Q(deferred_reason=""),
                name="forward_plan_deferred_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} to {self.meeting}"

    @property
    def lead_shown(self) -> str:
        return self.lead.get_full_name() if self.lead else self.lead_name

    @property
    def status_colour(self) -> str:
        return {
            self.Status.PLANNED: "grey",
            self.Status.READY: "blue",
            self.Status.PRESENTED: "green",
            self.Status.DEFERRED: "orange",
        }[self.Status(self.status)]


class MeetingPaper(models.Model):
    """A paper for a meeting, from another app through ``send_qa.core.papers``. It keeps its
    own copy of the paper's title and address, so it still reads after the source is gone."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    kind = models.CharField(max_length=40)
    ref = models.CharField(max_length=100)
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True)
    paper_date = models.DateField(null=True, blank=True)
    fulfils = models.ForeignKey(
        ForwardPlanItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="papers",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind", "ref"], name="meeting_paper_once_a_meeting"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """A decision or recommendation of a meeting: evidence that can raise actions
    (``board_decision`` in ``send_qa.core.follow_up``)."""

    class Kind(models.TextChoices):
        DECISION = "decision", "Decision"
        RECOMMENDATION = "recommendation", "Recommendation"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.get_kind_display().lower()}"
