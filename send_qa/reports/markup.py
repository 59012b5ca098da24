"""The narrative's simple formatting, made safe: everything is escaped first, then blank lines
make paragraphs, lines starting "- " or "• " make bullet lists and **words** are bold. No HTML
that a user typed ever reaches a page or the PDF."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BULLET = re.compile(r"^\s*(?:[-•*]|\d+[.)])\s+")
BOLD = re.compile(r"\*\*(.+?)\*\*")


def _inline(text: str) -> str:
    return BOLD.sub(r"<strong>\1</strong>", escape(text))


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
