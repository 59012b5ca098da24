"""Indicators, their targets, and measurements per period and area (seed 000, 001, 002, 004).

A measurement is one value of one indicator over one period for one area: this local area,
England, the region, the statistical neighbours' average, or another local authority named by
its DfE code (`la:873`), which lets the scorecard rank this area among all of them.
"""

import datetime
import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from benchmarks.queries import marker_text

# The models' words live in kpis.choices; migrations and the apps name them as kpis.models.X.
from kpis.choices import (  # noqa: F401
    CODE_PATTERN,
    LA_CODE,
    PERIOD_LABEL_LENGTH,
    Area,
    Frequency,
    ObaCategory,
    Origin,
    Polarity,
    Source,
    TargetKind,
    Unit,
    validate_area,
    validate_code,
)
from kpis.rules import Shown, shown
from kpis.validity import measurement_problems, value_problem
from send_qa.core.jobs import JobStatus, TrackedJob
from send_qa.core.suppression import Describes

ENTER_VALUES = "enter_values"  # the right SENDOPS give an indicator's owner (kpis/access.py)


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def active(self) -> "IndicatorQuerySet":
        return self.filter(is_active=True)

    def retired(self) -> "IndicatorQuerySet":
        return self.filter(is_active=False)

    def councils_own(self) -> "IndicatorQuerySet":
        return self.filter(origin=Origin.COUNCIL)


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
    describes = models.CharField(
        max_length=20,
        choices=Describes.choices,
        default=Describes.CHILDREN,
        help_text="What its values are about, which decides how small numbers are protected "
        "(docs/decisions/0004-suppression.md).",
    )
    origin = models.CharField(
        max_length=10,
        choices=Origin.choices,
        default=Origin.CATALOGUE,
        help_text="Loading the shipped catalogue never changes an indicator the council added.",
    )
    baseline_value = models.DecimalField(
        max_digits=14, decimal_places=3, null=True, blank=True, help_text="Where it started."
    )
    baseline_date = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        permissions = [(ENTER_VALUES, "Can enter the values of an indicator they own")]
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_value__isnull=True, baseline_date__isnull=True)
                | Q(baseline_value__isnull=False, baseline_date__isnull=False),
                name="indicator_baseline_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"

    @property
    def is_councils_own(self) -> bool:
        return self.origin == Origin.COUNCIL

    def baseline_problems(self) -> dict[str, str]:
        """Why the baseline cannot be kept, by field: a value needs its date and the other way
        round, and the value follows the unit's rule (kpis/validity.py)."""
        value, day = self.baseline_value, self.baseline_date
        if value is None and day is None:
            return {}
        if value is None:
            return {"baseline_value": "Enter the baseline value, or remove its date"}
        if day is None:
            return {"baseline_date": "Enter the date of the baseline, or remove its value"}
        wrong = value_problem(self.unit, value) if self.unit in Unit.values else None
        return {"baseline_value": wrong} if wrong else {}

    def unit_change_problem(self, unit: str) -> str | None:
        """An indicator with values keeps its unit: 45 days are not 45 weeks."""
        if (
            self.pk is not None
            and unit != Indicator.objects.filter(pk=self.pk).values_list("unit", flat=True).get()
            and self.measurements.exists()
        ):
            return (
                f"{self.code} already has values in {self.get_unit_display().lower()}: keep the "
                "unit, or add a new indicator for the new unit"
            )
        return None

    @property
    def baseline_text(self) -> str:
        """The baseline as people read it, for example "42.0% (31 Aug 2025)"; "" when none."""
        if self.baseline_value is None or self.baseline_date is None:
            return ""
        value = shown(self.baseline_value, unit=self.unit, suppress=False).text
        return f"{value} ({self.baseline_date:%-d %b %Y})"

    def target_on(self, day: datetime.date) -> "Target | None":
        """The target in force on `day` (`target_in_force`); reads prefetched targets when the
        indicator was loaded with `prefetch_related("targets")`."""
        return target_in_force(self.targets.all(), on=day)

    def shown(self, measurement: "Measurement | None", *, suppress: bool) -> Shown:
        """One value of this indicator as people read it, small numbers withheld by the rule for
        what the indicator describes when `suppress` (board pages, exports, the report)."""
        if measurement is None:
            return shown(None, unit=self.unit, suppress=suppress)
        return self.shown_figure(
            measurement.value,
            numerator=measurement.numerator,
            denominator=measurement.denominator,
            suppress=suppress,
        )

    def shown_figure(
        self,
        value: Decimal | None,
        *,
        status: str = "",
        numerator: Decimal | None = None,
        denominator: Decimal | None = None,
        suppress: bool,
    ) -> Shown:
        """A figure of this indicator, its own or a comparator's: a published marker (the DfE's
        x, c, z, low, u) is printed with its meaning, never as 0 or a gap; a number follows
        `shown`."""
        if status:
            return Shown(text=marker_text(status), value=None, suppressed=False)
        return shown(
            value,
            unit=self.unit,
            numerator=numerator,
            denominator=denominator,
            suppress=suppress,
            describes=self.describes,
        )


class TargetQuerySet(models.QuerySet):
    def covering(self, day: datetime.date) -> "TargetQuerySet":
        """Targets whose period holds `day`: the candidates `target_in_force` chooses from."""
        return self.filter(period_start__lte=day, period_end__gte=day)


def target_in_force(targets: Iterable["Target"], *, on: datetime.date) -> "Target | None":
    """The one rule for which target applies on a day, read by the scorecard, the indicator
    page, the exports, the report and the RAG: of the targets whose period holds the day, the
    narrowest (a term's target over the year's), and of two as narrow the one that started
    later (the newer). No two targets of an indicator share both start and end, so the choice
    is never a tie. None when no target holds the day."""
    holding = [target for target in targets if target.covers(on)]
    return min(
        holding,
        key=lambda t: (t.period_end - t.period_start, -t.period_start.toordinal()),
        default=None,
    )


class Target(models.Model):
    """The value to reach over a period (often an academic or financial year)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period_start = models.DateField()
    period_end = models.DateField()
    label = models.CharField(max_length=100, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=3)
    kind = models.CharField(
        max_length=10,
        choices=TargetKind.choices,
        default=TargetKind.FINAL,
        help_text="A milestone is an interim target on the way to the final one. Whichever is "
        "narrower is the one in force (target_in_force).",
    )
    history = HistoricalRecords()

    objects = TargetQuerySet.as_manager()

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

    @property
    def is_milestone(self) -> bool:
        return self.kind == TargetKind.MILESTONE

    @property
    def value_text(self) -> str:
        """The target as people read it in its indicator's unit ("75.0%", "£1,200")."""
        return shown(self.value, unit=self.indicator.unit, suppress=False).text


class MeasurementQuerySet(models.QuerySet["Measurement"]):
    def local(self) -> "MeasurementQuerySet":
        return self.filter(area=Area.LOCAL)


class HistoryWithoutDateIndex(HistoricalRecords):
    """simple-history's records without the index on `history_date`, which the library sets
    for every model at once (`SIMPLE_HISTORY_DATE_INDEX`). For a history read only by its
    record's parent, where the index costs every bulk write an entry and serves no query.
    `_date_indexing` is the library's own switch, read when it builds the history model; a
    test reads the table's indexes (tests/kpis/test_imports.py), so an upgrade that stops
    honouring it fails there."""

    @property
    def _date_indexing(self) -> bool:
        return False


class Measurement(models.Model):
    # No index of its own: the unique constraint (indicator, period, area) starts with it.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="measurements", db_index=False
    )
    period_start = models.DateField()
    period_end = models.DateField()
    period_label = models.CharField(max_length=PERIOD_LABEL_LENGTH, blank=True)
    area = models.CharField(max_length=30, validators=[validate_area], default=Area.LOCAL)
    value = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    numerator = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    source_note = models.CharField(max_length=200, blank=True)
    commentary = models.TextField(blank=True, help_text="The story behind the data.")
    computed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The value history is read by indicator (kpis/views/history.py), never by a value's id
    # nor by date: without those two indexes every value an import adds or changes writes two
    # index entries fewer.
    # Who made a change is kept without a foreign key constraint: an import of 100,000 values
    # writes 100,000 history rows, and PostgreSQL would check each one's person again at
    # commit (the import's target is twice a plain COPY: docs/performance.md). The person is
    # the one signed in; a person deleted through Django still empties the field (on_delete),
    # and a history entry is never written by hand.
    history = HistoryWithoutDateIndex(no_db_index=["id"], user_db_constraint=False)

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

    def clean(self) -> None:
        """The one rule for a KPI value (kpis/validity.py), which the form and the import call."""

        read = (self.value, self.numerator, self.denominator)
        if not (
            isinstance(self.period_start, datetime.date)
            and isinstance(self.period_end, datetime.date)
            and self.indicator_id is not None
            and all(number is None or isinstance(number, Decimal) for number in read)
        ):
            return  # clean_fields names what is missing or could not be read
        problems = measurement_problems(
            unit=self.indicator.unit,
            computed=self.indicator.computed,
            code=self.indicator.code,
            period_start=self.period_start,
            period_end=self.period_end,
            area=self.area,
            value=self.value,
            numerator=self.numerator,
            denominator=self.denominator,
            period_label=self.period_label,
            by_portal=self.computed_at is not None,
        )
        errors: dict[str, list[str]] = {}
        for problem in problems:
            errors.setdefault(problem.field, []).append(problem.message)
        if errors:
            raise ValidationError(errors)


class ComparatorQuerySet(models.QuerySet["Comparator"]):
    def headline(self) -> "ComparatorQuerySet":
        return self.filter(headline=True)


class Comparator(models.Model):
    """How one authority compares on one indicator, period and breakdown, worked out from the
    published figures of every authority (`kpis.comparators`) after each import, and read by
    the scorecard, the indicator page, the exports and the report. Stored for the portal's own
    area; worked out on request for any other."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="comparators")
    area_code = models.CharField(max_length=9, help_text="The authority's ONS code.")
    area_name = models.CharField(max_length=100)
    period_start = models.DateField()
    period_end = models.DateField()
    period_label = models.CharField(max_length=PERIOD_LABEL_LENGTH)
    breakdown_topic = models.CharField(max_length=200)
    breakdown = models.CharField(max_length=200)
    headline = models.BooleanField(default=False)
    source = models.CharField(max_length=40, help_text="The published table.")
    value = models.DecimalField(max_digits=17, decimal_places=6, null=True, blank=True)
    status = models.CharField(max_length=5, blank=True, help_text="The DfE's marker, if any.")
    numerator = models.DecimalField(max_digits=17, decimal_places=6, null=True, blank=True)
    denominator = models.DecimalField(max_digits=17, decimal_places=6, null=True, blank=True)
    england = models.DecimalField(max_digits=17, decimal_places=6, null=True, blank=True)
    england_status = models.CharField(max_length=5, blank=True)
    region_code = models.CharField(max_length=9, blank=True)
    region_name = models.CharField(max_length=100, blank=True)
    region = models.DecimalField(max_digits=17, decimal_places=6, null=True, blank=True)
    region_status = models.CharField(max_length=5, blank=True)
    comparison = models.CharField(
        max_length=250, blank=True, help_text="The neighbour set the comparison used."
    )
    neighbour_mean = models.DecimalField(max_digits=17, decimal_places=6, null=True, blank=True)
    neighbour_median = models.DecimalField(max_digits=17, decimal_places=6, null=True, blank=True)
    neighbours_with_data = models.PositiveSmallIntegerField(default=0)
    neighbours_listed = models.PositiveSmallIntegerField(default=0)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    of = models.PositiveSmallIntegerField(null=True, blank=True)
    quartile = models.CharField(max_length=1, blank=True)
    computed_at = models.DateTimeField()

    objects = ComparatorQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "period_start", "breakdown_topic", "breakdown"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "indicator",
                    "area_code",
                    "period_start",
                    "period_end",
                    "breakdown_topic",
                    "breakdown",
                ],
                name="comparator_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.area_code} {self.period_label} {self.breakdown}"


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


def _said_at(moment: datetime.datetime) -> str:
    """A moment as a reader says it, in UK local time: "4:41pm on 1 December 2026"."""
    local = timezone.localtime(moment)
    hour = local.hour % 12 or 12
    return f"{hour}:{local:%M}{'am' if local.hour < 12 else 'pm'} on {local.day} {local:%B %Y}"


class RecalculationQuerySet(models.QuerySet["Recalculation"]):
    def waiting(self) -> "RecalculationQuerySet":
        """Asked for and not finished, and not so long ago that the job must have been lost."""
        since = timezone.now() - Recalculation.LOST_AFTER
        return self.filter(
            status__in=(Recalculation.Status.QUEUED, Recalculation.Status.RUNNING),
            requested_at__gte=since,
        )


class Recalculation(TrackedJob):
    """One recalculation of the computed indicators asked for from the scorecard: when it was
    asked for, started and finished, and how it ended, so its page can say how far it has got
    and a second ask while one waits queues nothing."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Recalculating"
        DONE = "done", "Recalculated"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    values_updated = models.PositiveIntegerField(null=True, blank=True)

    objects = RecalculationQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Recalculation asked for at {_said_at(self.requested_at)}"

    def mark_finished(self, values_updated: int) -> None:
        self.status, self.finished_at = self.Status.DONE, timezone.now()
        self.values_updated = values_updated
        self.save(update_fields=["status", "finished_at", "values_updated"])

    @property
    def job_status(self) -> JobStatus:
        """What its page's status region says (send_qa.core.jobs)."""
        if self.is_lost:
            return JobStatus(
                waiting=False,
                failed=True,
                message="Failed: the recalculation did not finish. Recalculate again.",
            )
        if self.status == self.Status.QUEUED:
            return JobStatus(
                waiting=True, message="Waiting to recalculate the computed indicators…"
            )
        if self.status == self.Status.RUNNING:
            return JobStatus(waiting=True, message="Recalculating the computed indicators…")
        finished = _said_at(self.finished_at or self.requested_at)
        if self.status == self.Status.FAILED:
            return JobStatus(
                waiting=False, failed=True, message=f"Failed at {finished}: {self.failure}"
            )
        count = self.values_updated or 0
        updated = {0: "no value changed", 1: "1 value updated"}.get(
            count, f"{count} values updated"
        )
        return JobStatus(waiting=False, message=f"Recalculated at {finished}: {updated}.")


class StagedImport(models.Model):
    """A KPI file checked and previewed, waiting for its person to confirm it: its checked rows
    are kept (`StagedValue`) so that the confirmation writes them without reading the file
    again. Bound to the person who uploaded it and the session that holds its token; forgotten
    after `kpis.imports.STAGED_FOR`; `imported_at` set once it is written, so a second
    confirmation imports nothing. `stored_seen` is what the stored values it would change
    were at the preview (`kpis.imports`), so a change since is never silently written over."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=255)
    given = models.JSONField(help_text="The value columns the file gives.")
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    stored_seen = models.CharField(max_length=100, blank=True)
    checked_at = models.DateTimeField(default=timezone.now)
    imported_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.checked_at:%Y-%m-%d %H:%M})"


class StagedValue(models.Model):
    """One checked row of a staged import, as it will be written (no index but its import's:
    rows are only read all at once, matched with the stored values in SQL). No database key
    to its import, which would be checked for each of 100,000 rows: the rows are removed with
    their import (`kpis.imports.staged_imports_forget`), or once written."""

    staged_import = models.ForeignKey(
        StagedImport, on_delete=models.CASCADE, db_constraint=False, related_name="+"
    )
    row = models.PositiveIntegerField()
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    period_start = models.DateField()
    period_end = models.DateField()
    period_label = models.CharField(max_length=PERIOD_LABEL_LENGTH, blank=True)
    area = models.CharField(max_length=30)
    value = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    numerator = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    commentary = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Row {self.row}"


class KpiDataQuerySet(models.QuerySet["KpiData"]):
    def changed(self) -> None:
        """KPI data changed: the number goes up in the change's own transaction, so a row
        stored before it is outdated exactly when the change commits (never before, never
        after). Its first call makes the one row."""
        if not self.update(version=models.F("version") + 1):
            self.get_or_create(pk=1, defaults={"version": 1})

    def version(self) -> int:
        return self.filter(pk=1).values_list("version", flat=True).first() or 0


class KpiData(models.Model):
    """The state of the KPI data as one number that goes up with every change to an
    indicator, target, value, comparator or term (`kpis.cache.data_changed`): the stored
    scorecard rows name the number they were worked out at, so an outdated one is never read."""

    version = models.PositiveBigIntegerField(default=0)

    objects = KpiDataQuerySet.as_manager()

    def __str__(self) -> str:
        return f"KPI data version {self.version}"


def _figure(related: type[models.Model]) -> models.ForeignKey:
    # The stored row is read only at the data version it names, and deleting any record it
    # points to changes the version: no constraint or index is needed, and none slows a delete.
    return models.ForeignKey(
        related,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )


class StoredScorecardRow(models.Model):
    """One indicator's scorecard row as at a day (the end of a term, or today while it is in
    progress), worked out by `kpis.scorecard.scorecard_rows` with small numbers suppressed and
    stored by a task after each change (`kpis.scorecard.scorecard_rows_store`), so that the
    scorecard, the report and the home page read a narrow row instead of working it out."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    as_at = models.DateField()
    data_version = models.PositiveBigIntegerField()
    latest = _figure(Measurement)
    previous = _figure(Measurement)
    target = _figure(Target)
    rag = models.CharField(max_length=5, blank=True)
    direction = models.CharField(max_length=9, blank=True)
    comparator = _figure(Comparator)
    england = _figure(Measurement)
    region = _figure(Measurement)
    neighbours = _figure(Measurement)
    rank = models.PositiveIntegerField(null=True)
    out_of = models.PositiveIntegerField(null=True)
    quartile = models.CharField(max_length=1, blank=True)
    sparkline = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["as_at", "indicator"], name="stored_row_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} as at {self.as_at}"
