"""Template filters that print figures through the portal's one rounding rule."""

from decimal import Decimal

from django import template

from send_qa.core.figures import Number, percent

register = template.Library()


@register.filter
def share_percent(share: Number | str | None) -> str:
    """A share from 0 to 1 (scorer agreement) as a percentage, one decimal place, half up:
    "66.7%". Empty when there is no share."""
    if share is None or share == "":
        return ""
    return f"{percent(Decimal(str(share)), 1)}%"  # as percent() reads it
