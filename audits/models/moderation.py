"""Moderation: level 1 peer moderation in teams and level 2 multi-agency sessions (seed 002, 4.5).

A session draws a stratified random sample of plans (audits.sampling). Moderators see each plan
under its sample code only; SENDOPS hold the key from code to case reference.
"""

import datetime
import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from audits.models.plans import Plan
from audits.roles import AUDITORS, MODERATION_MANAGERS
from audits.statuses import SAMPLE_NOT_DRAWN, Tag
from send_qa.core.models import Period, User

MIN_SAMPLE_SIZE = 6
PEER_MODERATION_EVERY = datetime.timedelta(weeks=6)
PEER_MODERATION_PLANS = 2


def new_seed() -> int:
    return secrets.randbelow(2**31)


def new_reference() -> str:
    """A short code for a session; sample codes build on it (MOD-7KQ2-03). No case data."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
    return "".join(secrets.choice(alphabet) for _ in range(4))


class ModerationSessionQuerySet(models.QuerySet["ModerationSession"]):
    def visible_to(self, user: User) -> "ModerationSessionQuerySet":
        """SENDOPS see every session; moderators the sessions they are members of."""
        if user.has_role(*MODERATION_MANAGERS):
            return self
        if user.has_role(*AUDITORS):
            return self.filter(members=user)
        return self.none()


class ModerationSession(models.Model):
    class Pool(models.TextChoices):
        AUDITED = "audited", "Plans audited in the term"
        ALL = "all", "All active plans"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=8, unique=True, default=new_reference, editable=False)
    date = models.DateField(help_text="The day the group meets.")
    term = models.ForeignKey(
        Period,
        on_delete=models.PROTECT,
        related_name="moderation_sessions",
        limit_choices_to={"kind": Period.Kind.TERM},
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="moderation_sessions", blank=True
    )
    pool = models.CharField(max_length=10, choices=Pool.choices, default=Pool.AUDITED)
    sample_size = models.PositiveSmallIntegerField(
        default=MIN_SAMPLE_SIZE,
        validators=[MinValueValidator(MIN_SAMPLE_SIZE), MaxValueValidator(60)],
    )
    exclude_months = models.PositiveSmallIntegerField(
        default=12,
        validators=[MaxValueValidator(60)],
        help_text="Leave out plans moderated in this many months before the session.",
    )
    seed = models.BigIntegerField(default=new_seed, help_text="Draws the same sample again.")
    sampled_at = models.DateTimeField(null=True, blank=True)
    sample_population = models.PositiveIntegerField(null=True, blank=True)
    strata = models.JSONField(
        default=list, blank=True, help_text="The strata table of the sample, as drawn."
    )
    themes = models.TextField(blank=True)
    agreed_actions = models.TextField(blank=True)
    learning = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    history = HistoricalRecords(m2m_fields=[members])

    objects = ModerationSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"Moderation session on {self.date:%-d %B %Y}"

    @property
    def sample_status(self) -> Tag:
        if self.sampled_at is None:
            return SAMPLE_NOT_DRAWN
        return Tag(f"{self.sample_size} plans drawn", "")

    def sample_code(self, order: int) -> str:
        return f"MOD-{self.reference}-{order:02d}"


class SampledPlan(models.Model):
    session = models.ForeignKey(ModerationSession, on_delete=models.CASCADE, related_name="samples")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="moderation_samples")
    code = models.CharField(max_length=30, unique=True)
    order = models.PositiveSmallIntegerField()
    original_audit = models.ForeignKey(
        "audits.Audit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The audit moderation is compared with: the plan's latest submitted audit.",
    )
    agreed_grade = models.CharField(max_length=60, blank=True)
    agreed_notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "order"]
        constraints = [
            models.UniqueConstraint(fields=["session", "plan"], name="plan_once_per_session"),
            models.UniqueConstraint(fields=["session", "order"], name="sample_order_unique"),
        ]

    def __str__(self) -> str:
        return self.code
