"""`{% submitted_once %}`: the one-time token of a hand-written form (`send_qa.core.once`)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from send_qa.core.once import ONCE_FIELD, new_token

register = template.Library()


@register.simple_tag
def submitted_once() -> SafeString:
    return format_html('<input type="hidden" name="{}" value="{}">', ONCE_FIELD, new_token())
