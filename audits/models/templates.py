"""Checklist templates: versioned sections and items that audits are scored against.

A published version never changes (save and delete refuse); editing makes a new draft
version. The JSON shape is documented in docs/templates.md.
"""

import re
import uuid
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.models import HistoricalRecords

from audits.models.figures import TermFigures
from audits.statuses import CHECKLIST_DRAFT, CHECKLIST_PUBLISHED, Tag
from send_qa.core.models import User


class PublishedTemplateError(ValidationError):
    def __init__(self, template: "ChecklistTemplate") -> None:
        super().__init__(
            f"{template} is published and cannot change. Make a new version to edit it."
        )


class ChecklistTemplateQuerySet(models.QuerySet["ChecklistTemplate"]):
    def published(self) -> "ChecklistTemplateQuerySet":
        return self.filter(status=ChecklistTemplate.Status.PUBLISHED)

    def latest_published(self, name: str) -> "ChecklistTemplate | None":
        return self.published().filter(name=name).order_by("-version").first()

    def for_subject(self, subject: str) -> "ChecklistTemplateQuerySet":
        return self.filter(subject=subject)

    def with_counts(self) -> "ChecklistTemplateQuerySet":
        """Each version's questions (`item_count`) and audits (`audit_count`), each counted in
        its own subquery: counting both through one join multiplies items by audits."""
        items = (
            TemplateItem.objects.filter(section__template=OuterRef("pk"))
            .order_by()
            .values("section__template")
            .annotate(n=Count("pk"))
            .values("n")
        )
        audits = (
            apps.get_model("audits", "Audit")  # its module imports this one
            ._default_manager.filter(template=OuterRef("pk"))
            .order_by()
            .values("template")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            item_count=Coalesce(Subquery(items), 0),
            audit_count=Coalesce(Subquery(audits), 0),
        )


class ChecklistTemplate(models.Model):
    class Subject(models.TextChoices):
        EHCP = "ehcp", "EHC plan"
        ADVICE = "advice", "Professional advice"
        LOCAL_OFFER = "local_offer", "Local Offer"
        WORKFORCE = "workforce", "Workforce skills"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    subject = models.CharField(max_length=20, choices=Subject.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    overall_rating_text = models.TextField(blank=True)
    overall_rating_scale = models.JSONField(null=True, blank=True)
    final_comments = models.BooleanField(default=False)
    grade_bands = models.JSONField(default=list, blank=True)
    grade_item = models.CharField(
        max_length=20,
        blank=True,
        help_text="The code of the choice item whose answer is the audit's grade, where the "
        "auditor gives a judgement rather than the percentage setting it.",
    )
    total_label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    history = HistoricalRecords()

    objects = ChecklistTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="template_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._stored_status() == self.Status.PUBLISHED:
            raise PublishedTemplateError(self)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self._stored_status() == self.Status.PUBLISHED:
            raise PublishedTemplateError(self)
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def status_tag(self) -> Tag:
        return CHECKLIST_PUBLISHED if self.is_published else CHECKLIST_DRAFT

    @property
    def has_overall_rating(self) -> bool:
        return bool(self.overall_rating_scale)

    def _stored_status(self) -> str | None:
        if not self.pk:
            return None
        return type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()

    def publish(self, *, by: User | None = None) -> None:
        """Freeze this version. Done with an update so that save()'s guard is not tripped."""
        if self.is_published:
            return
        if not self.sections.exists():
            raise ValidationError("A template needs at least one section before it is published.")
        now = timezone.now()
        type(self).objects.filter(pk=self.pk).update(
            status=self.Status.PUBLISHED, published_at=now, published_by=by
        )
        self.status, self.published_at, self.published_by = self.Status.PUBLISHED, now, by
        # A new version may be chosen for a term's audits: its figures are counted again.
        TermFigures.objects.changed_everywhere()

    def grade_for_judgement(self, label: str) -> dict | None:
        """The band the auditor's judgement names (the label of a choice of the grade item)."""
        bands: list[dict] = self.grade_bands
        return next((b for b in bands if b["label"].casefold() == label.casefold()), None)

    def grade_for(self, percent: Decimal | None) -> dict | None:
        if percent is None:
            return None
        bands: list[dict] = self.grade_bands  # JSON, checked by template_io.validate
        for band in bands:
            if percent >= Decimal(str(band["min_percent"])):
                return band
        return None


def _refuse_if_published(template_id: int | None) -> None:
    if template_id is None:
        return
    template = ChecklistTemplate.objects.filter(pk=template_id).first()
    if template and template.is_published:
        raise PublishedTemplateError(template)


class TemplateSection(models.Model):
    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveIntegerField()
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=500)
    guidance = models.TextField(blank=True)

    class Meta:
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="section_unique_code"),
            models.UniqueConstraint(fields=["template", "order"], name="section_unique_order"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        _refuse_if_published(self.template_id)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        _refuse_if_published(self.template_id)
        return super().delete(*args, **kwargs)


class TemplateItem(models.Model):
    class Kind(models.TextChoices):
        SCORE = "score", "Score on a scale"
        YES_NO = "yes_no", "Yes or no"
        CHOICE = "choice", "Choice"
        TEXT = "text", "Free text"

    section = models.ForeignKey(TemplateSection, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField()
    code = models.CharField(max_length=20)
    group = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    scale_min = models.IntegerField(null=True, blank=True)
    scale_max = models.IntegerField(null=True, blank=True)
    scale_labels = models.JSONField(default=dict, blank=True)
    choices = models.JSONField(default=list, blank=True)
    allow_na = models.BooleanField(default=False)
    required = models.BooleanField(default=True)
    weight = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("1"))
    guidance = models.TextField(blank=True)
    golden_thread = models.BooleanField(default=False)
    extra_fields = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["section__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["section", "order"], name="item_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:60]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        _refuse_if_published(
            TemplateSection.objects.filter(pk=self.section_id)
            .values_list("template_id", flat=True)
            .first()
        )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        _refuse_if_published(self.section.template_id)
        return super().delete(*args, **kwargs)

    @property
    def anchor(self) -> str:
        """The id of the question on its section's page ("item-A2"), which the task list's
        "not answered" links and the check-your-answers page open it at."""
        return "item-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.code)

    @property
    def counts(self) -> bool:
        return self.weight > 0 and self.kind != self.Kind.TEXT

    @property
    def max_points(self) -> Decimal:
        """Full marks for this item before weighting."""
        if self.kind == self.Kind.SCORE:
            return Decimal(self.scale_max or 0)
        if self.kind == self.Kind.YES_NO:
            return Decimal(1)
        if self.kind == self.Kind.CHOICE:
            scores = [c.get("score") for c in self.choices if c.get("score") is not None]
            return Decimal(str(max(scores))) if scores else Decimal(0)
        return Decimal(0)

    def scale_points(self) -> list[tuple[int, str]]:
        """Each point of the scale with its label ('' where the source names none)."""
        if self.kind != self.Kind.SCORE or self.scale_min is None or self.scale_max is None:
            return []
        return [
            (value, self.scale_labels.get(str(value), ""))
            for value in range(self.scale_min, self.scale_max + 1)
        ]
