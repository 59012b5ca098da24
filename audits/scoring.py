"""Scoring maths: subtotals, totals and grades of an audit (docs/templates.md, "Scoring").

Each answer says for itself whether it is answered and what it scores (Answer.is_answered,
Answer.points_for, Answer.golden_points_for); these functions add those up over a template's
items, so they import no model and the models can call them.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from audits.statuses import Tag, task_status
from send_qa.core.figures import percent


class ItemAnswer(Protocol):
    """What scoring reads of an answer (audits.models.Answer)."""

    def is_answered(self, item: Any) -> bool: ...

    def points_for(self, item: Any) -> tuple[Decimal, Decimal] | None: ...

    def golden_points_for(self, item: Any) -> tuple[Decimal, Decimal] | None: ...

    def display(self, item: Any) -> str: ...


class GradedTemplate(Protocol):
    """What scoring reads of a template (audits.models.ChecklistTemplate)."""

    grade_item: str

    def grade_for(self, percent: Decimal | None) -> dict | None: ...

    def grade_for_judgement(self, label: str) -> dict | None: ...


@dataclass
class Subtotal:
    points: Decimal = Decimal(0)
    max_points: Decimal = Decimal(0)
    answered: int = 0
    saved: int = 0  # items with a stored answer, even a blank one: the section has been saved
    required_missing: list = field(default_factory=list)  # the template items

    @property
    def percent(self) -> Decimal | None:
        return percent(self.points, self.max_points)

    def add(self, other: "Subtotal") -> None:
        self.points += other.points
        self.max_points += other.max_points
        self.answered += other.answered
        self.saved += other.saved
        self.required_missing += other.required_missing


def section_subtotal(items: Iterable, answers: Mapping[int, ItemAnswer]) -> Subtotal:
    """Points of a section's items, and which required ones are still unanswered."""
    subtotal = Subtotal()
    for item in items:
        answer = answers.get(item.pk)
        subtotal.saved += answer is not None
        if answer is None or not answer.is_answered(item):
            if item.required:
                subtotal.required_missing.append(item)
            continue
        subtotal.answered += 1
        scored = answer.points_for(item)
        if scored:
            subtotal.points += scored[0]
            subtotal.max_points += scored[1]
    return subtotal


def golden_subtotal(items: Iterable, answers: Mapping[int, ItemAnswer]) -> Subtotal:
    """Golden-thread checks are reported as met / asked, whatever their weight in the total."""
    subtotal = Subtotal()
    for item in items:
        answer = answers.get(item.pk)
        if not item.golden_thread or answer is None or not answer.is_answered(item):
            continue
        subtotal.answered += 1
        scored = answer.golden_points_for(item)
        if scored:
            subtotal.points += scored[0]
            subtotal.max_points += scored[1]
    return subtotal


@dataclass
class SectionResult:
    section: Any
    items: list
    subtotal: Subtotal

    @property
    def status(self) -> str:
        """The GOV.UK task list status of the section: a section saved with its questions left
        blank is in progress, not "Not started"."""
        if self.subtotal.answered == 0 and self.subtotal.saved == 0:
            return "Not started"
        if self.subtotal.required_missing:
            return "In progress"
        return "Completed"

    @property
    def status_tag(self) -> Tag:
        return task_status(self.status)


@dataclass
class AuditResult:
    sections: list[SectionResult]
    total: Subtotal
    golden_thread: Subtotal
    grade: dict | None

    @property
    def complete(self) -> bool:
        return not self.total.required_missing


def audit_result(
    template: GradedTemplate, sections: Iterable[Any], answers: Mapping[int, ItemAnswer]
) -> AuditResult:
    """Results of an audit, given its template's sections (with items loaded) and its answers."""
    results: list[SectionResult] = []
    total, golden = Subtotal(), Subtotal()
    for section in sections:
        items = list(section.items.all())
        subtotal = section_subtotal(items, answers)
        results.append(SectionResult(section, items, subtotal))
        total.add(subtotal)
        golden.add(golden_subtotal(items, answers))
    return AuditResult(results, total, golden, _grade(template, results, answers, total))


def _grade(
    template: GradedTemplate,
    results: list[SectionResult],
    answers: Mapping[int, ItemAnswer],
    total: Subtotal,
) -> dict | None:
    """The band of the auditor's judgement where the template names a grade item (none until
    it is answered), else the band the overall percentage reaches."""
    if not template.grade_item:
        return template.grade_for(total.percent)
    for result in results:
        for item in result.items:
            if item.code == template.grade_item:
                answer = answers.get(item.pk)
                if answer is None or not answer.is_answered(item):
                    return None
                return template.grade_for_judgement(answer.display(item))
    return None
