"""Professional advice that informs an EHC needs assessment, and its timeliness.

Advice is due 6 weeks after it is requested (seed 002, section 4.4; SEND Code of Practice 9.52).
"""

import datetime
import uuid
from typing import Any

from django.db import models
from django.db.models import Case, Q, Value, When
from simple_history.models import HistoricalRecords

from audits.models.plans import Plan
from audits.roles import ADVICE_MANAGERS, AUDITORS
from audits.statuses import SERVICE_OFF, SERVICE_ON, Tag
from send_qa.core.models import User

ADVICE_DUE_AFTER = datetime.timedelta(weeks=6)
REMINDER_DAYS_BEFORE_DUE = 7


class Profession(models.TextChoices):
    EDUCATION_SETTING = "education_setting", "Education setting"
    EDUCATIONAL_PSYCHOLOGY = "educational_psychology", "Educational psychology"
    HEALTH_THERAPIES = "health_therapies", "Health: therapies"
    HEALTH_PAEDIATRICS = "health_paediatrics", "Health: paediatrics"
    HEALTH_CAMHS = "health_camhs", "Health: CAMHS"
    HEALTH_NURSING = "health_nursing", "Health: nursing"
    SOCIAL_CARE = "social_care", "Social care"
    OTHER = "other", "Other"


class AdviceService(models.Model):
    """A contributing service that writes advice, with the address its reminders go to."""

    name = models.CharField(max_length=200, unique=True)
    profession = models.CharField(max_length=30, choices=Profession.choices)
    contact_email = models.EmailField(
        help_text="Where reminders of advice due and overdue are sent. A team inbox is best."
    )
    is_active = models.BooleanField(default=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def status_tag(self) -> Tag:
        return SERVICE_ON if self.is_active else SERVICE_OFF


class AdviceStatus(models.TextChoices):
    ON_TIME = "on_time", "On time"
    LATE = "late", "Late"
    MISSING = "missing", "Missing"
    AWAITED = "awaited", "Not yet due"


class AdviceQuerySet(models.QuerySet["Advice"]):
    def with_status(self, *, on: datetime.date) -> "AdviceQuerySet":
        """Annotate `status` as of `on`, so lists can filter and count by it in SQL."""
        return self.annotate(
            status=Case(
                When(received__isnull=False, received__lte=models.F("due"), then=Value("on_time")),
                When(received__isnull=False, then=Value("late")),
                When(due__lt=on, then=Value("missing")),
                default=Value("awaited"),
                output_field=models.CharField(),
            )
        )

    def outstanding(self) -> "AdviceQuerySet":
        return self.filter(received__isnull=True)

    def due_soon(
        self, *, on: datetime.date, days: int = REMINDER_DAYS_BEFORE_DUE
    ) -> "AdviceQuerySet":
        """Not received, due today or within `days` days."""
        return self.outstanding().filter(due__gte=on, due__lte=on + datetime.timedelta(days=days))

    def overdue(self, *, on: datetime.date) -> "AdviceQuerySet":
        return self.outstanding().filter(due__lt=on)

    def visible_to(self, user: User) -> "AdviceQuerySet":
        """SENDOPS see all advice; auditors the advice they are asked to score."""
        if user.has_role(*ADVICE_MANAGERS):
            return self
        if user.has_role(*AUDITORS):
            return self.filter(audits__auditor=user).distinct()
        return self.none()


class Advice(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="advice")
    service = models.ForeignKey(AdviceService, on_delete=models.PROTECT, related_name="advice")
    requested = models.DateField(help_text="The date the advice was requested.")
    due = models.DateField(help_text="6 weeks after the request unless changed.")
    received = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = AdviceQuerySet.as_manager()

    class Meta:
        ordering = ["-requested", "pk"]
        indexes = [models.Index(fields=["received", "due"]), models.Index(fields=["requested"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(due__gte=models.F("requested")), name="advice_due_after_request"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} advice for {self.plan}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.requested and not self.due:
            self.due = self.requested + ADVICE_DUE_AFTER
        super().save(*args, **kwargs)

    def status(self, *, on: datetime.date) -> str:
        if self.received is not None:
            return AdviceStatus.ON_TIME if self.received <= self.due else AdviceStatus.LATE
        return AdviceStatus.MISSING if self.due < on else AdviceStatus.AWAITED


class AdviceReminder(models.Model):
    """A reminder sent to a service: one per advice request per stage, never twice."""

    class Stage(models.TextChoices):
        DUE_SOON = "due_soon", "Due within 7 days"
        OVERDUE = "overdue", "Overdue"

    advice = models.ForeignKey(Advice, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    sent_to = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["advice", "stage"], name="one_reminder_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} reminder for {self.advice_id}"
