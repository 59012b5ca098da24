"""The words of the KPI app: indicator codes, units, polarity, OBA categories, sources,
frequencies and areas. Kept apart from the models so that the one rule for a KPI value
(kpis/validity.py), which the models call, reads them without importing the models."""

import re

from django.core.exceptions import ValidationError
from django.db import models

PERIOD_LABEL_LENGTH = 60  # Measurement.period_label

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
    WEEKS = "weeks", "Weeks"
    MONEY = "pounds", "Money in pounds"


class Origin(models.TextChoices):
    """Where an indicator comes from: the shipped catalogue reloads its own, never the
    council's."""

    CATALOGUE = "catalogue", "Shipped catalogue"
    COUNCIL = "council", "Added by the council"


class TargetKind(models.TextChoices):
    """A final target is where the indicator should be at the end of its period; a milestone
    is an interim target for a shorter period on the way to it."""

    FINAL = "final", "Target"
    MILESTONE = "milestone", "Milestone"


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
