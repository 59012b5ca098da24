"""``{% back_here %}``: the query a link adds so that the page it opens leads back here."""

from django import template
from django.template.context import Context

from send_qa.core.back import back_query

register = template.Library()


@register.simple_tag(takes_context=True)
def back_here(context: Context) -> str:
    return back_query(context["request"])
