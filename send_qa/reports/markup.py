"""The narrative's simple formatting, made safe: everything is escaped first, then blank lines
make paragraphs, lines starting "- " or "• " make bullet lists, **words** are bold and
[words](/a/page/) link to a page of the portal (only the portal's own paths, made absolute with
SITE_URL so they work in the PDF too). No HTML that a user typed ever reaches a page or the PDF."""

import re

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BULLET = re.compile(r"^\s*(?:[-•*]|\d+[.)])\s+")
BOLD = re.compile(r"\*\*(.+?)\*\*")
# A link to one of the portal's own pages: a path from the root, never another site ("//").
LINK = re.compile(r"\[([^\]]+)\]\((/(?!/)[^\s()]*)\)")


def _inline(text: str) -> str:
    escaped = BOLD.sub(r"<strong>\1</strong>", escape(text))
    return LINK.sub(
        lambda m: f'<a class="govuk-link" href="{settings.SITE_URL}{m[2]}">{m[1]}</a>', escaped
    )


def render(text: str) -> SafeString:
    blocks = [b for b in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n")) if b.strip()]
    html = []
    for block in blocks:
        lines = [line for line in block.split("\n") if line.strip()]
        if all(BULLET.match(line) for line in lines):
            items = "".join(f"<li>{_inline(BULLET.sub('', line))}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append("<p>" + "<br>".join(_inline(line.strip()) for line in lines) + "</p>")
    return mark_safe("".join(html))  # noqa: S308 - every piece was escaped above
