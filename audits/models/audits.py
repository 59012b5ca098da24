"""Audits of EHC plans (or advice, or any subject) against a published template version."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from audits.models.plans import Plan
from audits.models.templates import ChecklistTemplate, TemplateItem
from audits.roles import AUDIT_ASSIGNEES, AUDIT_MANAGERS, CASEWORKERS
from send_qa.core.models import Period


class AuditQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AuditQuerySet":
        """SENDOPS see all; auditors the audits assigned to them; caseworkers their team's."""
        if user.has_role(*AUDIT_MANAGERS):
            return self
        conditions = Q(pk__in=[])
        if user.has_role(*AUDIT_ASSIGNEES):
            conditions |= Q(auditor=user)
        if user.has_role(*CASEWORKERS) and user.team_id:
            # Moderation re-audits are anonymised: only their own moderator sees them.
            conditions |= Q(plan__team_id=user.team_id) & ~Q(purpose=Audit.Purpose.MODERATION)
        return self.filter(conditions)

    def of_plans(self) -> "AuditQuerySet":
        """Audits of EHC plans as such (not advice, not moderation re-audits)."""
        return self.filter(
            template__subject=ChecklistTemplate.Subject.EHCP,
            purpose__in=[Audit.Purpose.AUDIT, Audit.Purpose.PEER_MODERATION],
        )

    def submitted(self) -> "AuditQuerySet":
        return self.filter(status=Audit.Status.SUBMITTED)

    def open(self) -> "AuditQuerySet":
        return self.exclude(status=Audit.Status.SUBMITTED)

    @transaction.atomic
    def assign(self, *, plans, auditor, template, term, by) -> tuple[list["Audit"], list[Plan]]:
        """Create an audit of each plan for the auditor; returns (created, skipped).

        A plan that already has an audit against the same checklist in the same term is
        skipped, so that selecting it twice never makes a second, competing audit.
        """
        plans = list(plans)
        taken = set(
            self.filter(plan__in=plans, template__name=template.name, term=term).values_list(
                "plan_id", flat=True
            )
        )
        skipped = [plan for plan in plans if plan.pk in taken]
        created = self.bulk_create(
            [
                Audit(plan=plan, template=template, auditor=auditor, term=term, assigned_by=by)
                for plan in plans
                if plan.pk not in taken
            ]
        )
        return created, skipped


class Audit(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"

    class Purpose(models.TextChoices):
        AUDIT = "audit", "Audit"
        PEER_MODERATION = "peer_moderation", "Peer moderation"
        MODERATION = "moderation", "Multi-agency moderation"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="audits")
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="audits")
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.AUDIT)
    advice = models.ForeignKey(
        "audits.Advice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audits",
        help_text="For an audit of professional advice: the advice scored.",
    )
    sampled_plan = models.ForeignKey(
        "audits.SampledPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audits",
        help_text="For a moderation re-audit: the plan as sampled (moderators see its code only).",
    )
    term = models.ForeignKey(
        Period,
        on_delete=models.PROTECT,
        related_name="audits",
        null=True,
        blank=True,
        limit_choices_to={"kind": Period.Kind.TERM},
    )
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audits"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    overall_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    final_comments = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reopen_reason = models.TextField(blank=True)
    revision = models.PositiveIntegerField(
        default=0, help_text="Goes up with every save; a save based on an older one is refused."
    )
    # Results, stored at every save so lists and findings need no recomputation.
    points = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    max_points = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    percent = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField(max_length=60, blank=True)
    good_or_better = models.BooleanField(null=True, blank=True)
    section_scores = models.JSONField(
        default=dict, blank=True, help_text="Section code -> [points, maximum] at the last save."
    )
    history = HistoricalRecords(excluded_fields=["revision"])

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-assigned_at"]
        indexes = [
            models.Index(fields=["status", "term"]),
            models.Index(fields=["auditor", "status"]),
            # The audit list's order: its first page is read from the index, not a sort.
            models.Index(fields=["-assigned_at", "id"], name="audit_list_order"),
        ]
        permissions = [("reopen_audit", "Can reopen a submitted audit")]

    def __str__(self) -> str:
        return f"Audit of {self.reference} ({self.template.name})"

    @property
    def is_anonymised(self) -> bool:
        return self.purpose == self.Purpose.MODERATION

    @property
    def reference(self) -> str:
        """How the audited plan is named on screen: its sample code in moderation."""
        if self.is_anonymised and self.sampled_plan_id:
            return self.sampled_plan.code
        return self.plan.case_reference

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def sections_with_items(self):
        return self.template.sections.prefetch_related("items")

    def answers_by_item(self) -> dict[int, "Answer"]:
        return {answer.item_id: answer for answer in self.answers.all()}

    def result(self, sections=None, answers=None):
        from audits.scoring import audit_result

        sections = list(sections if sections is not None else self.sections_with_items())
        answers = answers if answers is not None else self.answers_by_item()
        return audit_result(self.template, sections, answers)

    def claim_revision(self, revision: int) -> None:
        """Take the next revision, or refuse when someone saved since `revision` was read."""
        updated = Audit.objects.filter(pk=self.pk, revision=revision).update(
            revision=models.F("revision") + 1
        )
        if not updated:
            raise AuditConflict()
        self.revision = revision + 1

    @transaction.atomic
    def save_answers(self, *, values: dict[int, dict], revision: int, by=None) -> None:
        """Store answers (item id -> field values) for a draft, then the running results."""
        if self.is_submitted:
            raise AuditLocked()
        self.claim_revision(revision)
        existing = {a.item_id: a for a in self.answers.filter(item_id__in=values)}
        to_create, to_update, now = [], [], timezone.now()
        for item_id, fields in values.items():
            answer = existing.get(item_id) or Answer(audit=self, item_id=item_id)
            for name, value in fields.items():
                setattr(answer, name, value)
            answer.updated_at = now
            (to_update if answer.pk else to_create).append(answer)
        # Bulk writes skip model signals, so these helpers write the history rows too.
        bulk_create_with_history(to_create, Answer, default_user=by)
        bulk_update_with_history(
            to_update,
            Answer,
            [
                "score",
                "yes_no",
                "choice",
                "not_applicable",
                "text",
                "comment",
                "extras",
                "updated_at",
            ],
            default_user=by,
        )
        if self.status == self.Status.NOT_STARTED:
            self.status, self.started_at = self.Status.IN_PROGRESS, timezone.now()
        self.store_result()

    @transaction.atomic
    def save_overall(self, *, rating: int | None, comments: str, revision: int) -> None:
        if self.is_submitted:
            raise AuditLocked()
        self.claim_revision(revision)
        self.overall_rating, self.final_comments = rating, comments
        if self.status == self.Status.NOT_STARTED:
            self.status, self.started_at = self.Status.IN_PROGRESS, timezone.now()
        self.store_result()

    def missing_answers(self) -> list[str]:
        """What must still be answered before submission, in the user's words."""
        result = self.result()
        missing = [
            f"{section.section.code}: {item.text}"
            for section in result.sections
            for item in section.subtotal.required_missing
        ]
        if self.template.has_overall_rating and self.overall_rating is None:
            missing.append("Rate the plan as a whole")
        return missing

    @transaction.atomic
    def submit(self, *, revision: int, by) -> None:
        if self.is_submitted:
            raise AuditLocked()
        missing = self.missing_answers()
        if missing:
            raise AuditIncomplete(missing)
        self.claim_revision(revision)
        self.status, self.submitted_at = self.Status.SUBMITTED, timezone.now()
        self.store_result()

    @transaction.atomic
    def reopen(self, *, by, reason: str) -> None:
        if not self.is_submitted:
            raise ValidationError("Only a submitted audit can be reopened.")
        self.claim_revision(self.revision)
        self.status = self.Status.IN_PROGRESS
        self.reopened_at, self.reopened_by, self.reopen_reason = timezone.now(), by, reason
        self.save()

    def store_result(self) -> None:
        self.apply_result(self.result())
        self.save()

    def apply_result(self, result) -> None:
        """Copy a scoring result onto the audit's stored totals (without saving)."""
        band = result.grade
        self.points = result.total.points if result.total.max_points else None
        self.max_points = result.total.max_points or None
        self.percent = result.total.percent
        self.grade = band["label"] if band else ""
        self.good_or_better = band["good_or_better"] if band else None
        self.section_scores = {
            s.section.code: [float(s.subtotal.points), float(s.subtotal.max_points)]
            for s in result.sections
            if s.subtotal.max_points
        }


class AuditConflict(Exception):
    """Someone else saved this audit since the page was opened."""

    message = (
        "Someone else saved this audit after you opened it, so your changes were not saved. "
        "Their answers are shown below: check them and make your changes again."
    )


class AuditLocked(Exception):
    message = "This audit has been submitted and can no longer be changed."


class AuditIncomplete(ValidationError):
    def __init__(self, missing: list[str]):
        super().__init__(missing)
        self.missing = missing


class Answer(models.Model):
    class YesNo(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NOT_APPLICABLE = "na", "Not applicable"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(TemplateItem, on_delete=models.PROTECT, related_name="answers")
    score = models.SmallIntegerField(null=True, blank=True)
    yes_no = models.CharField(max_length=3, choices=YesNo.choices, blank=True)
    choice = models.CharField(max_length=50, blank=True)
    not_applicable = models.BooleanField(
        default=False, help_text="The auditor judged the item not applicable to this plan."
    )
    text = models.TextField(blank=True)
    comment = models.TextField(blank=True)
    extras = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audit", "item"], name="answer_unique_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.audit_id}/{self.item_id}"
