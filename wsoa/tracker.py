"""The rows of the action tracker, as HTML made in Python.

A plan of 300 actions took over 200 ms to render through the template engine (about 30,000
variable look-ups); the same markup made with format_html takes a few milliseconds
(docs/performance.md). The markup is the table row the template used to hold, unchanged.
"""

import datetime
import uuid

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, normalize_newlines

from wsoa.models import Action

ROW = (
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell">{improvement}</td>'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{url}">{number}.</a> {text}</td>'
    '<td class="govuk-table__cell">{measures}</td>'
    '<td class="govuk-table__cell">{lead}</td>'
    '<td class="govuk-table__cell">{forum}</td>'
    '<td class="govuk-table__cell">{timescale}{overdue}</td>'
    '<td class="govuk-table__cell">'
    '<strong class="govuk-tag govuk-tag--{colour}">{status}</strong></td>'
    '<td class="govuk-table__cell">{update}</td>'
    "</tr>"
)
OVERDUE = mark_safe(' <strong class="govuk-tag govuk-tag--red">Overdue</strong>')  # noqa: S308
PLACEHOLDER = uuid.UUID(int=0)


def _lines(text: str) -> SafeString:
    """What the linebreaksbr filter gives, without the filter machinery."""
    return mark_safe(normalize_newlines(escape(text)).replace("\n", "<br>"))  # noqa: S308


def _url(action: Action, pattern: str) -> str:
    return pattern.replace(str(PLACEHOLDER), str(action.uuid))


def _latest_update(action: Action) -> str:
    updates = getattr(action, "latest_updates", None) or []
    if not updates:
        return "No update yet"
    update = updates[0]
    return format_html(
        '<span class="govuk-body-s">{}:</span> {}',
        f"{update.date:%-d %b %Y}",
        Truncator(update.narrative).words(40, truncate=" …"),
    )


def action_rows(actions, *, today: datetime.date) -> list[str]:
    # One reverse() for all the rows: the action's id is put into the pattern's place.
    pattern = reverse("wsoa:action_detail", kwargs={"action_uuid": PLACEHOLDER})
    return [action_row(action, today=today, url=_url(action, pattern)) for action in actions]


def action_row(action: Action, *, today: datetime.date, url: str) -> str:
    lead = action.lead.full_name if action.lead_id and action.lead.full_name else ""
    overdue = (
        action.final_due is not None
        and action.final_due < today
        and not action.status.counts_as_done
    )
    return format_html(
        ROW,
        improvement=_lines(action.improvement_area),
        url=url,
        number=action.number,
        text=_lines(action.text),
        measures=_lines(action.success_measures),
        lead=lead or action.lead_title or "–",
        forum=action.governance_forum,
        timescale=action.timescale,
        overdue=OVERDUE if overdue else "",
        colour=action.status.colour,
        status=action.status.name,
        update=_latest_update(action),
    )
