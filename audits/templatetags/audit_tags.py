import datetime
from collections.abc import Mapping
from typing import Any

from django import template

from audits import statuses
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
def review_tag(plan: Plan, today: datetime.date) -> statuses.Tag | None:
    """Overdue, due soon (within 8 weeks) or nothing, for the annual review."""
    return statuses.review_status(plan.review_status(on=today))


@register.filter
def advice_status_tag(status: str) -> statuses.Tag:
    return statuses.advice_status(status)
