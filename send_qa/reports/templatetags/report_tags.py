from django import template
from django.utils.safestring import SafeString

from kpis.rules import suppressed_count
from send_qa.reports.markup import render

register = template.Library()


@register.filter
def narrative(text: str) -> SafeString:
    """The narrative's simple formatting, escaped and made safe."""
    return render(text)


@register.filter
def small(count: int | None) -> str:
    """A head count for the board, alone (no total beside it): 1 to 4 is "fewer than 5"."""
    return suppressed_count(count)
