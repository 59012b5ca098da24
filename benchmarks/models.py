"""Published national and comparator data (issue 17).

An authority is known by its ONS code (E92000001 England, E12... regions, E06/E08/E09/E10...
local authorities), with the DfE's old 3-digit number as an alias; names are for display. A
published row is one row of a DfE explore-education-statistics file exactly as published: its
table (the source key of `fixtures/benchmarks/sources.json`), period as the file says it,
authority, breakdown, and every measure cell as published, a number or one of the DfE's markers
(`benchmarks.markers`). Statistical-neighbour sets are versioned lists of ranked neighbours.
"""

import datetime
import functools
import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from benchmarks.markers import MARKERS, Status
from send_qa.core.jobs import JobStatus

ENGLAND = "E92000001"
ONS_CODE = re.compile(r"^E(06|08|09|10|12|92)\d{6}$")
LA_ONS_CODE = re.compile(r"^E(06|08|09|10)\d{6}$")
OLD_LA_CODE = re.compile(r"^\d{3}$")


def validate_ons_code(value: str) -> None:
    if not ONS_CODE.match(value):
        raise ValidationError(
            f"{value!r} is not an ONS area code: use E92000001 for England, E12 and six "
            "digits for a region, or E06, E08, E09 or E10 and six digits for a local authority"
        )


class Level(models.TextChoices):
    NATIONAL = "national", "National"
    REGIONAL = "regional", "Regional"
    LOCAL_AUTHORITY = "local_authority", "Local authority"


class AuthorityQuerySet(models.QuerySet["Authority"]):
    def local_authorities(self) -> "AuthorityQuerySet":
        return self.filter(level=Level.LOCAL_AUTHORITY)


class Authority(models.Model):
    """England, a region or a local authority as the DfE's files name it."""

    code = models.CharField("ONS code", max_length=9, unique=True, validators=[validate_ons_code])
    old_code = models.CharField("DfE number", max_length=3, blank=True, db_index=True)
    name = models.CharField(max_length=100)
    level = models.CharField(max_length=20, choices=Level.choices)
    region = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="authorities",
        limit_choices_to={"level": Level.REGIONAL},
    )
    history = HistoricalRecords()

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "authorities"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.name else self.code


class Lineage(models.Model):
    """An authority that became another on a date. When `continues_series` (a new code for the
    same area, or a merger into one), the predecessor's figures under its old codes are read as
    the successor's, so a series does not break; a split keeps its predecessor as itself and the
    lineage only says where it went."""

    predecessor_code = models.CharField(max_length=9, validators=[validate_ons_code])
    predecessor_old_code = models.CharField(max_length=3, blank=True)
    predecessor_name = models.CharField(max_length=100)
    successor = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="lineage")
    effective_from = models.DateField()
    continues_series = models.BooleanField(default=True)
    note = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["effective_from", "predecessor_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor_code", "successor"], name="lineage_once_per_successor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_name} became {self.successor.name} on {self.effective_from}"


class Import(models.Model):
    """One file of published data as it was imported, and the comparators worked out after."""

    class Kind(models.TextChoices):
        DFE_TABLE = "dfe_table", "DfE statistics file"
        NEIGHBOURS = "neighbours", "Statistical neighbours"

    class Progress(models.TextChoices):
        SAVED = "saved", "Saved; comparators waiting to be worked out"
        COMPUTING = "computing", "Working out comparators"
        DONE = "done", "Done"
        FAILED = "failed", "Comparators could not be worked out"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    source = models.CharField(max_length=40, help_text="The table's key in the registry.")
    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_added = models.PositiveIntegerField(default=0)
    rows_changed = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    progress = models.CharField(max_length=10, choices=Progress.choices, default=Progress.SAVED)
    steps_done = models.PositiveIntegerField(default=0)
    steps_total = models.PositiveIntegerField(default=0)
    progress_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.source}, {self.imported_at:%-d %b %Y})"

    @property
    def changed_nothing(self) -> bool:
        return self.rows_added == 0 and self.rows_changed == 0

    @property
    def job_status(self) -> JobStatus:
        """How far the comparators worked out after this import have got, for its page."""
        if self.progress == self.Progress.SAVED:
            return JobStatus(waiting=True, message="The comparators are waiting to be worked out.")
        if self.progress == self.Progress.COMPUTING:
            steps = (
                f": {self.steps_done} of {self.steps_total} indicators" if self.steps_total else ""
            )
            return JobStatus(waiting=True, message=f"Working out the comparators{steps}.")
        if self.progress == self.Progress.FAILED:
            return JobStatus(
                waiting=False, failed=True, message="The comparators could not be worked out."
            )
        return JobStatus(waiting=False, message="The comparators have been worked out.")


class PublishedValue(NamedTuple):
    """One cell of a published row: its number, or None and the marker that stands for it."""

    value: Decimal | None
    status: str  # a benchmarks.markers.Status value; "" for a number


@functools.lru_cache(maxsize=1 << 16)
def cell_read(raw: str) -> PublishedValue | None:
    """A published cell as a number or a known marker; None when it is neither. Remembered:
    a whole table repeats the same few thousand cells hundreds of thousands of times."""
    text = raw.strip()
    if text.lower() in MARKERS:
        return PublishedValue(None, MARKERS[text.lower()].value)
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    return PublishedValue(number, Status.FIGURE.value)


class PublishedRow(models.Model):
    """One row of a DfE file, its measure cells kept as published (numbers and markers)."""

    source = models.CharField(max_length=40)
    time_period = models.CharField(max_length=12, help_text="As published: 2024, 202324.")
    time_identifier = models.CharField(max_length=40)
    period_start = models.DateField()
    period_end = models.DateField()
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="rows")
    published_code = models.CharField(
        max_length=9, blank=True, help_text="The code the file gave, when lineage renamed it."
    )
    breakdown_topic = models.CharField(max_length=200)
    breakdown = models.CharField(max_length=200)
    headline = models.BooleanField(
        default=False, help_text='The "All ..." row that feeds the indicators.'
    )
    cells = models.JSONField(default=dict)
    last_import = models.ForeignKey(Import, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(excluded_fields=["last_import"])

    class Meta:
        ordering = ["source", "period_start", "authority", "breakdown_topic", "breakdown"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "source",
                    "time_identifier",
                    "time_period",
                    "authority",
                    "breakdown_topic",
                    "breakdown",
                ],
                name="published_row_once",
            )
        ]
        indexes = [models.Index(fields=["source", "headline", "period_start"])]

    def __str__(self) -> str:
        return f"{self.source} {self.time_period} {self.authority_id} {self.breakdown}"

    def cell(self, measure: str) -> PublishedValue:
        return stored_cell(self.cells.get(measure))


def stored_cell(raw: object) -> PublishedValue:
    """A stored cell as its number or marker ("not in the file" when the row has none)."""
    if raw is None:
        return PublishedValue(None, Status.NOT_IN_FILE.value)
    return cell_read(str(raw)) or PublishedValue(None, Status.NOT_AVAILABLE.value)


class NeighbourSet(models.Model):
    """A versioned list of comparator authorities: the DfE's statistical neighbours of a
    release, or the partnership's own comparator group."""

    class Kind(models.TextChoices):
        DFE = "dfe", "DfE statistical neighbours"
        OWN = "own", "The partnership's own comparator group"

    kind = models.CharField(max_length=4, choices=Kind.choices, default=Kind.DFE)
    name = models.CharField(max_length=200)
    model = models.CharField(
        max_length=200,
        blank=True,
        help_text="The model that chose the neighbours, such as the DfE's Children's Services "
        "Statistical Neighbour Benchmarking Tool.",
    )
    release = models.CharField(max_length=40, blank=True)
    effective_from = models.DateField(default=datetime.date.today)
    source_import = models.ForeignKey(
        Import, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_from", "-pk"]

    def __str__(self) -> str:
        return self.name


class Neighbour(models.Model):
    neighbour_set = models.ForeignKey(NeighbourSet, on_delete=models.CASCADE, related_name="+")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    neighbour = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField(help_text="1 is the closest.")
    proximity = models.CharField(max_length=40, blank=True, help_text="As the DfE words it.")

    class Meta:
        ordering = ["neighbour_set", "authority", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["neighbour_set", "authority", "rank"], name="neighbour_rank_once"
            ),
            models.UniqueConstraint(
                fields=["neighbour_set", "authority", "neighbour"], name="neighbour_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authority_id} neighbour {self.rank}: {self.neighbour_id}"


class OwnArea(models.Model):
    """Who the portal's own local area is, and which comparator set it reads. One row."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    neighbour_set = models.ForeignKey(
        NeighbourSet,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Leave empty to use the latest DfE statistical neighbours.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    one = models.BooleanField(default=True, unique=True, editable=False)  # at most one row
    history = HistoricalRecords()

    class Meta:
        verbose_name = "own area"
        constraints = [models.CheckConstraint(condition=Q(one=True), name="own_area_is_one")]

    def __str__(self) -> str:
        return str(self.authority)
