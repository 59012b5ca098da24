"""The termly "How are we doing?" SEND quality and outcomes report (seed 000, Appendix B).

SENDOPS write the narrative; the portal fills in the evidence when a version is compiled. Each
compilation is a new immutable PDF with its checksum: version 1 to the SEND Operations Group,
version 2 to the board, version 3 circulated widely once the board's commentary is added.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from send_qa.core.models import Period, User

DEFAULT_PURPOSE = "To provide the Board and Partnership with a summary of current performance"
DEFAULT_INTRODUCTION = (
    "This outcomes summary provides the SEND Operations Group with a range of evidence captured "
    "during the period and agreed key performance indicators. One of the purposes of the report "
    "is to consider the evidence within the SEND system and what can be done together to "
    "address, or improve, where indicated."
)

# The narrative sections, in the order of seed 000's Appendix B.
NARRATIVE = [
    ("introduction", "Introduction"),
    ("strategic_priorities", "Strategic priorities"),
    ("commissioning_priorities", "Commissioning priorities"),
    ("evidence_summary", "Summary of evidence available in the period"),
    ("working_well", "What is working well?"),
    ("worried_about", "What are we worried about?"),
    ("voices", "Voices (children, families, professionals)"),
    ("horizon_scanning", "Other information and emerging issues for next period"),
    ("recommendations", "Recommendations from SEND Operations Group to SEND Partnership"),
    ("board_commentary", "Commentary from the SEND Strategic Partnership Board meeting"),
]


class ReportQuerySet(models.QuerySet["Report"]):
    def for_term(self, term: Period) -> "Report":
        """The term's report, created (as a draft) the first time it is asked for."""
        report, _ = self.get_or_create(term=term, defaults={"period_covered": term.name})
        return report

    def drafts_for_ended_terms(
        self, *, on: datetime.date | None = None, within_days: int = 120
    ) -> int:
        """Create the draft report of each term that ended recently and has none."""
        on = on or timezone.localdate()
        ended = Period.objects.terms().filter(
            end__lt=on, end__gte=on - datetime.timedelta(days=within_days), report__isnull=True
        )
        created = 0
        for term in ended:
            self.for_term(term)
            created += 1
        return created


class Report(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    term = models.OneToOneField(
        Period,
        on_delete=models.PROTECT,
        related_name="report",
        limit_choices_to={"kind": Period.Kind.TERM},
    )
    board_date = models.DateField(
        "Report to SEND Strategic Partnership Board on", null=True, blank=True
    )
    author = models.CharField("Report author", max_length=200, blank=True)
    purpose = models.TextField("Purpose of report", default=DEFAULT_PURPOSE)
    period_covered = models.CharField(max_length=200, blank=True)
    introduction = models.TextField(blank=True, default=DEFAULT_INTRODUCTION)
    strategic_priorities = models.TextField(blank=True)
    commissioning_priorities = models.TextField(blank=True)
    evidence_summary = models.TextField(blank=True)
    working_well = models.TextField(blank=True)
    worried_about = models.TextField(blank=True)
    voices = models.TextField(blank=True)
    horizon_scanning = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    board_commentary = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=0)
    drafted_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the narrative was first drafted from the evidence (issue 19).",
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["revision"])

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-term__start"]

    def __str__(self) -> str:
        return f"How are we doing? {self.term.name}"


class Version(models.Model):
    class Number(models.IntegerChoices):
        SENDOPS = 1, "Version 1 to the SEND Operations Group"
        BOARD = 2, "Version 2 to the SEND Strategic Partnership Board"
        WIDE = 3, "Version 3 circulated widely"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        NOT_SENT = "not_sent", "Not sent"  # the worker's queue could not be reached
        RUNNING = "running", "Being compiled"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(choices=Number.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    file = models.CharField(max_length=200, blank=True, help_text="Path under MEDIA_ROOT.")
    checksum = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the PDF.")
    size = models.PositiveIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life of the compile while it runs."
    )
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["report", "number", "-requested_at"]

    def __str__(self) -> str:
        return f"{self.report} v{self.number} ({self.get_status_display()})"

    @property
    def is_released(self) -> bool:
        return self.released_at is not None

    @property
    def released_to(self) -> str:
        """Who reads this version once it is released, in the words of its confirmation page
        (the rule itself is `send_qa.reports.access.versions_visible_to`)."""
        if self.number == self.Number.WIDE:
            return "everyone who signs in to the portal"
        return "the SEND Strategic Partnership Board"

    def release_check(self) -> None:
        """Refuse a release that may not happen (seed 000, Appendix B): version 1 never leaves
        the SEND Operations Group, and version 3 goes out only with the board's commentary."""
        if self.status != self.Status.DONE:
            raise ValidationError("Only a compiled version can be released.")
        if self.number == self.Number.SENDOPS:
            raise PermissionDenied("Version 1 is for the SEND Operations Group only.")
        if self.number == self.Number.WIDE and not self.report.board_commentary.strip():
            raise ValidationError("Add the board's commentary before version 3 is circulated.")

    def release(self, *, by: User) -> bool:
        """Circulate a compiled version to its readers, once `release_check` allows it.
        Releasing twice keeps the first release; False if it was already out."""
        self.release_check()
        now = timezone.now()
        released = Version.objects.filter(pk=self.pk, released_at__isnull=True).update(
            released_at=now, released_by=by
        )
        if released:
            self.released_at, self.released_by = now, by
        return bool(released)
