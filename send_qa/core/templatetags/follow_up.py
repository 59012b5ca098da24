"""The "Actions raised from this" panel an evidence page shows (send_qa/core/follow_up.py)."""

from django import template

from send_qa.core import follow_up
from send_qa.core.follow_up import FollowUp

register = template.Library()


@register.inclusion_tag("includes/_follow_ups.html", takes_context=True)
def actions_raised(
    context: template.Context,
    kind: str,
    ref: str,
    items: list[FollowUp] | None = None,
    heading: str = "Actions raised from this",
    about: str = "",
    level: int = 3,
    compact: bool = False,
) -> dict[str, object]:
    """The actions raised from one piece of evidence, and a "Raise an action" button for those
    who may raise one. List pages pass ``items`` from one ``follow_up.follow_ups`` call so the
    page's query count does not grow with its rows. ``about`` names the evidence for screen
    readers where a page shows several buttons. ``compact`` fits a table cell: the actions and a
    link, no heading."""
    user = context["request"].user
    if items is None:
        items = follow_up.follow_ups(kind, [ref], user).get(ref, [])
    return {
        "items": items,
        "raise_url": follow_up.raise_url(kind, ref, user),
        "heading": heading,
        "about": about,
        "level": level,
        "compact": compact,
    }
