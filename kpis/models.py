"""Indicators, their targets, and measurements per period and area (seed 000, 001, 002, 004).

A measurement is one value of one indicator over one period for one area: this local area,
England, the region, the statistical neighbours' average, or another local authority named by
its DfE code (`la:873`), which lets the scorecard rank this area among all of them.
"""

import datetime
import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]{1,29}$")


def validate_code(value: str) -> None:
    if not CODE_PATTERN.match(value):
        raise ValidationError(
            "Use 2 to 30 capital letters, digits and underscores, starting with a letter"
        )


class Unit(models.TextChoices):
    PERCENTAGE = "percentage", "Percentage"
    COUNT = "count", "Count"
    DAYS = "days", "Days"
    RATE_10K = "rate_10k", "Rate per 10,000"


class Polarity(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class ObaCategory(models.TextChoices):
    """Outcomes Based Accountability (seed 000, 3.3.1)."""

    HOW_MUCH = "how_much", "How much did we do?"
    HOW_WELL = "how_well", "How well did we do it?"
    BETTER_OFF = "better_off", "Is anyone better off?"


class Source(models.TextChoices):
    DFE_RETURN = "dfe_return", "DfE return"
    LOCAL_SYSTEM = "local_system", "Local system"
    SURVEY = "survey", "Survey"
    AUDIT = "audit", "Audit"


class Frequency(models.TextChoices):
    TERMLY = "termly", "Termly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual"


class Area(models.TextChoices):
    LOCAL = "local", "This area"
    ENGLAND = "england", "England"
    REGION = "region", "Region"
    STATISTICAL_NEIGHBOURS = "statistical_neighbours", "Statistical neighbours"


LA_CODE = re.compile(r"^la:\d{3}$")


def validate_area(value: str) -> None:
    if value not in Area.values and not LA_CODE.match(value):
        raise ValidationError(
            f"{value!r} is not an area: use local, england, region, statistical_neighbours "
            "or la: and a local authority's 3-digit DfE code (la:873)"
        )


class IndicatorQuerySet(models.QuerySet):
    def active(self) -> "IndicatorQuerySet":
        return self.filter(is_active=True)


class Indicator(models.Model):
    code = models.CharField(max_length=30, unique=True, validators=[validate_code])
    name = models.CharField(max_length=200)
    definition = models.TextField()
    unit = models.CharField(max_length=12, choices=Unit.choices)
    polarity = models.CharField(max_length=6, choices=Polarity.choices)
    oba_category = models.CharField(max_length=12, choices=ObaCategory.choices)
    priority = models.CharField(max_length=300, blank=True, help_text="The outcome it serves.")
    source = models.CharField(max_length=15, choices=Source.choices)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
    )
    owner_title = models.CharField(max_length=200, blank=True)
    computed = models.BooleanField(
        default=False, help_text="Calculated by the portal from its own records, not imported."
    )
    tolerance = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=0,
        help_text="How far from target still counts as amber, in the indicator's unit.",
    )
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class Target(models.Model):
    """The value to reach over a period (often an academic or financial year)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period_start = models.DateField()
    period_end = models.DateField()
    label = models.CharField(max_length=100, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=3)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end"], name="target_unique_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="target_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} target {self.value} ({self.label or self.period_start})"

    def covers(self, day: datetime.date) -> bool:
        return self.period_start <= day <= self.period_end


class MeasurementQuerySet(models.QuerySet):
    def local(self) -> "MeasurementQuerySet":
        return self.filter(area=Area.LOCAL)


class Measurement(models.Model):
    # No index of its own: the unique constraint (indicator, period, area) starts with it.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="measurements", db_index=False
    )
    period_start = models.DateField()
    period_end = models.DateField()
    period_label = models.CharField(max_length=60, blank=True)
    area = models.CharField(max_length=30, validators=[validate_area], default=Area.LOCAL)
    value = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    numerator = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    source_note = models.CharField(max_length=200, blank=True)
    commentary = models.TextField(blank=True, help_text="The story behind the data.")
    computed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "period_start", "area"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end", "area"],
                name="measurement_unique",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="measurement_period_order",
            ),
        ]
        indexes = [models.Index(fields=["area", "period_start"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.label} {self.area}: {self.value}"

    @property
    def label(self) -> str:
        return self.period_label or f"{self.period_start:%-d %b %Y} to {self.period_end:%-d %b %Y}"


class ExceptionNote(models.Model):
    """What the owner of a red or declining indicator says before a board pack."""

    measurement = models.OneToOneField(
        Measurement, on_delete=models.CASCADE, related_name="exception_note"
    )
    happening = models.TextField("What is happening")
    doing = models.TextField("What we are doing about it")
    improve_by = models.CharField("When it will improve", max_length=200)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Exception note on {self.measurement}"


class Scorecard(models.Model):
    """A named set of indicators, such as the board's scorecard."""

    name = models.CharField(max_length=200, unique=True)
    indicators = models.ManyToManyField(Indicator, through="ScorecardIndicator")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ScorecardIndicator(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="entries")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scorecard", "order"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "indicator"], name="scorecard_once")
        ]

    def __str__(self) -> str:
        return f"{self.scorecard}: {self.indicator.code}"
