import datetime
from collections.abc import Mapping
from typing import Any

from django import template

from audits.models import Answer, Plan, TemplateItem

register = template.Library()


@register.filter
def get_item(mapping: Mapping[Any, Any], key: object) -> Any:
    return mapping.get(key)


@register.simple_tag
def answer_text(item: TemplateItem, answer: Answer | None) -> str:
    """An answer as words: '4 (Excellent)', 'Yes', 'Partial', or 'Not answered'."""
    return "Not answered" if answer is None else answer.display(item)


@register.filter
def any_extra_fields(items: list[TemplateItem]) -> bool:
    """Whether any of a section's items records extra answers (a column of its own)."""
    return any(item.extra_fields for item in items)


@register.filter
def extras_of(answer: Answer, item: TemplateItem) -> list[tuple[str, str]]:
    """The extra answers recorded with an item, as (label, words)."""
    return answer.extras_shown(item)


@register.filter
def review_status(plan: Plan, today: datetime.date) -> str | None:
    """'overdue', 'due' (within 8 weeks) or None, for the annual review tag."""
    return plan.review_status(on=today)
