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
def review_status(plan: Plan, today: datetime.date) -> str | None:
    """'overdue', 'due' (within 8 weeks) or None, for the annual review tag."""
    return plan.review_status(on=today)
