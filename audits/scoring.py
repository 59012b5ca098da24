"""Scoring maths, as plain functions over items and answers (docs/templates.md, "Scoring")."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from audits.models import Answer, TemplateItem
from send_qa.core.figures import percent


@dataclass
class Subtotal:
    points: Decimal = Decimal(0)
    max_points: Decimal = Decimal(0)
    answered: int = 0
    required_missing: list[TemplateItem] = field(default_factory=list)

    @property
    def percent(self) -> Decimal | None:
        return percent(self.points, self.max_points)

    def add(self, other: "Subtotal") -> None:
        self.points += other.points
        self.max_points += other.max_points
        self.answered += other.answered
        self.required_missing += other.required_missing


def is_answered(item: TemplateItem, answer: Answer | None) -> bool:
    if answer is None:
        return False
    if answer.not_applicable or answer.yes_no == Answer.YesNo.NOT_APPLICABLE:
        return True
    if item.kind == TemplateItem.Kind.SCORE:
        return answer.score is not None
    if item.kind == TemplateItem.Kind.YES_NO:
        return bool(answer.yes_no)
    if item.kind == TemplateItem.Kind.CHOICE:
        return bool(answer.choice)
    return bool(answer.text.strip())


def item_points(item: TemplateItem, answer: Answer | None) -> tuple[Decimal, Decimal] | None:
    """(points, maximum) for an answered item that counts; None when it counts for nothing."""
    if not item.counts or not is_answered(item, answer):
        return None
    if answer.not_applicable:
        return None
    weight = item.weight
    if item.kind == TemplateItem.Kind.SCORE:
        value = Decimal(answer.score)
    elif item.kind == TemplateItem.Kind.YES_NO:
        if answer.yes_no == Answer.YesNo.NOT_APPLICABLE:
            return None
        value = Decimal(1 if answer.yes_no == Answer.YesNo.YES else 0)
    else:
        chosen = next((c for c in item.choices if c["value"] == answer.choice), None)
        if chosen is None or chosen.get("score") is None:
            return None
        value = Decimal(str(chosen["score"]))
    return value * weight, item.max_points * weight


def section_subtotal(items: Iterable[TemplateItem], answers: Mapping[int, Answer]) -> Subtotal:
    subtotal = Subtotal()
    for item in items:
        answer = answers.get(item.pk)
        if is_answered(item, answer):
            subtotal.answered += 1
        elif item.required:
            subtotal.required_missing.append(item)
        scored = item_points(item, answer)
        if scored:
            subtotal.points += scored[0]
            subtotal.max_points += scored[1]
    return subtotal


@dataclass
class SectionResult:
    section: object
    items: list[TemplateItem]
    subtotal: Subtotal

    @property
    def status(self) -> str:
        """The GOV.UK task list status of the section."""
        if self.subtotal.answered == 0:
            return "Not started"
        if self.subtotal.required_missing:
            return "In progress"
        return "Completed"


@dataclass
class AuditResult:
    sections: list[SectionResult]
    total: Subtotal
    golden_thread: Subtotal
    grade: dict | None

    @property
    def complete(self) -> bool:
        return not self.total.required_missing


def audit_result(template, sections, answers: Mapping[int, Answer]) -> AuditResult:
    """Results of an audit, given its template's sections (with items loaded) and its answers."""
    results, total, golden = [], Subtotal(), Subtotal()
    for section in sections:
        items = list(section.items.all())
        subtotal = section_subtotal(items, answers)
        results.append(SectionResult(section, items, subtotal))
        total.add(subtotal)
        golden_items = [i for i in items if i.golden_thread]
        golden.add(_golden_subtotal(golden_items, answers))
    return AuditResult(results, total, golden, template.grade_for(total.percent))


def _golden_subtotal(items: list[TemplateItem], answers: Mapping[int, Answer]) -> Subtotal:
    """Golden-thread checks are reported as met / asked, whatever their weight in the total."""
    subtotal = Subtotal()
    for item in items:
        answer = answers.get(item.pk)
        if not is_answered(item, answer):
            continue
        subtotal.answered += 1
        if answer.not_applicable:
            continue
        if item.kind == TemplateItem.Kind.YES_NO:
            if answer.yes_no == Answer.YesNo.NOT_APPLICABLE:
                continue
            subtotal.points += 1 if answer.yes_no == Answer.YesNo.YES else 0
            subtotal.max_points += 1
        elif item.kind == TemplateItem.Kind.SCORE:
            subtotal.points += Decimal(answer.score)
            subtotal.max_points += Decimal(item.scale_max)
    return subtotal
