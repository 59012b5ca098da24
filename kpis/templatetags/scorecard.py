"""A RAG and a direction of travel as the scorecard prints them: always in words beside the
colour or the arrow. Tags rather than included templates: the scorecard prints one of each on
every row, and an include costs more than the row's figures (docs/performance.md)."""

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

RAG_TAGS = {
    "green": '<strong class="govuk-tag govuk-tag--green">Green</strong>',
    "amber": '<strong class="govuk-tag govuk-tag--yellow">Amber</strong>',
    "red": '<strong class="govuk-tag govuk-tag--red">Red</strong>',
}
NO_TARGET = '<span class="govuk-body-s">No target</span>'
DIRECTIONS = {
    "improving": '<span aria-hidden="true">▲</span> Improving',
    "declining": '<span aria-hidden="true">▼</span> Declining',
    "no change": '<span aria-hidden="true">▶</span> No change',
}


@register.simple_tag
def rag_tag(rag: str | None) -> SafeString:
    """The RAG's tag, its colour beside its word; "No target" for none."""
    return mark_safe(RAG_TAGS.get(rag or "", NO_TARGET))  # noqa: S308  (fixed markup)


@register.simple_tag
def direction_words(direction: str | None) -> SafeString:
    """The direction's arrow (hidden from screen readers) beside its word; a dash for none."""
    return mark_safe(DIRECTIONS.get(direction or "", "–"))  # noqa: S308  (fixed markup)
