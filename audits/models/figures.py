"""A term's findings counted once and kept, with the stamp of the term's last change.

Counting a finished term reads every answer of its audits (66,088 at a large county); the
findings page, the QA summary and the report read the kept counts instead. A count is read only
while it is current: every change that can alter a term's figures gives the term a new
`changed` stamp in the change's own transaction, and a count is kept with the stamp it was
counted at (`counted`), so a count made before a change is never read after it
(`audits.term_figures`).
"""

import uuid
from collections.abc import Iterable

from django.db import models

from audits.signals import term_figures_changed
from send_qa.core.models import Period


class TermFiguresQuerySet(models.QuerySet["TermFigures"]):
    def changed(self, term_ids: Iterable[int | None]) -> None:
        """The figures of these terms changed (called inside the change's transaction): each
        gets a new stamp, in one statement, and is counted again once the change commits."""
        ids = sorted({pk for pk in term_ids if pk is not None})
        if not ids:
            return
        stamped: list[TermFigures] = [TermFigures(term_id=pk, changed=uuid.uuid4()) for pk in ids]
        TermFigures.objects.bulk_create(
            stamped,
            update_conflicts=True,
            unique_fields=["term"],
            update_fields=["changed"],
        )
        term_figures_changed.send(sender=TermFigures, term_ids=ids)

    def changed_everywhere(self) -> None:
        """Something every term's figures may read changed (a bulk write, a checklist
        published, retention): every term gets a new stamp."""
        self.changed(Period.objects.terms().values_list("pk", flat=True))


class TermFigures(models.Model):
    """One term's counts: per checklist version its audits by status and grade, its section
    totals, and per question its answers, score total and yes answers (`counts`, as
    `audits.term_figures.FindingsCounts` writes them)."""

    term = models.OneToOneField(Period, on_delete=models.CASCADE, related_name="audit_figures")
    changed = models.UUIDField(default=uuid.uuid4)
    counted = models.UUIDField(null=True, blank=True)
    counts = models.JSONField(null=True, blank=True)
    counted_at = models.DateTimeField(null=True, blank=True)

    objects = TermFiguresQuerySet.as_manager()

    class Meta:
        verbose_name = "term's audit figures"
        verbose_name_plural = "terms' audit figures"

    def __str__(self) -> str:
        return f"Audit figures of {self.term_id}"

    @property
    def is_current(self) -> bool:
        return self.counts is not None and self.counted == self.changed


class TermBreakdown(models.Model):
    """One term's findings counted per group of one breakdown (`audits.breakdowns`: by need,
    placement, key stage, team...), kept with the term's stamp at the time it was counted: read
    only while that is still the term's stamp (`audits.term_figures.breakdown_counts_of`).
    A breakdown reads the plans' and teams' details as well as the audits, so a change to a
    plan or a team stamps the terms of its audits too (`audits.receivers`)."""

    term = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="audit_breakdowns")
    breakdown = models.CharField(max_length=30)
    counted = models.UUIDField()
    counts = models.JSONField()
    counted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "term's audit breakdown"
        constraints = [
            models.UniqueConstraint(
                fields=["term", "breakdown"], name="audits_one_kept_breakdown_per_term"
            )
        ]

    def __str__(self) -> str:
        return f"Audit figures of {self.term_id} by {self.breakdown}"
