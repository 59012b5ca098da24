from django import template

from audits.models import TemplateItem

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.simple_tag
def answer_text(item: TemplateItem, answer) -> str:
    """An answer as words: '4 (Excellent)', 'Yes', 'Partial', or 'Not answered'."""
    if answer is None:
        return "Not answered"
    if answer.not_applicable:
        return "Not applicable"
    if item.kind == TemplateItem.Kind.SCORE:
        if answer.score is None:
            return "Not answered"
        label = item.scale_labels.get(str(answer.score))
        return f"{answer.score} ({label})" if label else str(answer.score)
    if item.kind == TemplateItem.Kind.YES_NO:
        return answer.get_yes_no_display() or "Not answered"
    if item.kind == TemplateItem.Kind.CHOICE:
        return next(
            (c["label"] for c in item.choices if c["value"] == answer.choice), "Not answered"
        )
    return answer.text or "Not answered"


@register.filter
def review_status(plan, today) -> str | None:
    """'overdue', 'due' (within 8 weeks) or None, for the annual review tag."""
    return plan.review_status(on=today)
