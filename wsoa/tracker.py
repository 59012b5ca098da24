"""The rows of the action tracker, as HTML made in Python.

A plan of 300 actions took over 200 ms to render through the template engine (about 30,000
variable look-ups); the same markup made in Python, each value escaped once with the standard
library's html.escape (what Django's escape calls), takes a few milliseconds
(docs/performance.md).
"""

import datetime
import re
import uuid
from html import escape

from django.db import connection
from django.db.models import Max
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from wsoa.models import Action, ActionPlan, ProgressUpdate, Weakness

TRACKER_FIELDS = (
    "uuid",
    "weakness",
    "number",
    "improvement_area",
    "text",
    "success_measures",
    "lead",
    "lead__full_name",
    "lead_title",
    "senior_responsible_officer",
    "governance_forum",
    "timescale",
    "status",
    "status__name",
    "status__colour",
    "status__counts_as_done",
)
ROW = (
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{url}">{number}.</a> {text}'
    "{details}</td>"
    '<td class="govuk-table__cell">{lead}</td>'
    '<td class="govuk-table__cell">{timescale}{overdue}</td>'
    '<td class="govuk-table__cell">'
    '<strong class="govuk-tag govuk-tag--{colour}">{status}</strong></td>'
    '<td class="govuk-table__cell">{update}</td>'
    "</tr>"
)
# What the seed's table gives a column of its own is read under the action, so that the RAG
# and the latest update fit the page at 1280 px without a scroll box.
DETAIL = '<p class="govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-0">{label}: {value}</p>'
OVERDUE = ' <strong class="govuk-tag govuk-tag--red">Overdue</strong>'
PLACEHOLDER = uuid.UUID(int=0)
NEWLINES = re.compile(r"\r\n|\r|\n")


def _text(value: object) -> str:
    """Escaped as Django escapes (& < > " '), without the SafeString round trips."""
    return escape(str(value), quote=True)


def _lines(text: str) -> str:
    """What the linebreaksbr filter gives, without the filter machinery."""
    return NEWLINES.sub("<br>", _text(text))


def _first_words(text: str, count: int = 40) -> str:
    """What Truncator(text).words(count, truncate=" …") gives, without its lazy machinery."""
    words = text.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


def _details(action: Action) -> str:
    parts = (
        ("Improvement area", action.improvement_area),
        ("Success measures", action.success_measures),
        ("Governance forum", action.governance_forum),
    )
    return "".join(
        DETAIL.format(label=label, value=_lines(value)) for label, value in parts if value
    )


def _url(action: Action, pattern: str) -> str:
    return pattern.replace(str(PLACEHOLDER), str(action.uuid))


def _latest_update(latest: tuple[datetime.date, str] | None) -> str:
    if not latest:
        return "No update yet"
    date, narrative = latest
    return f'<span class="govuk-body-s">{date:%-d %b %Y}:</span> {_text(_first_words(narrative))}'


def tracker_weaknesses(plan: ActionPlan, *, today: datetime.date) -> list[Weakness]:
    """The plan's weaknesses in order, each with `rows`: its actions' rows, made from their
    leads, RAG, final due date and latest update. Four queries whatever the size of the plan,
    each reading the plan's records by the plan rather than by long lists of ids."""
    weaknesses = list(plan.weaknesses.prefetch_related("indicators").order_by("number"))
    actions = (
        Action.objects.filter(weakness__plan=plan)
        .select_related("status", "lead")
        .only(*TRACKER_FIELDS)
        .annotate(final_due=Max("due_dates__due"))
        .order_by("pk")
    )
    latest = latest_updates(plan)
    pattern = reverse("wsoa:action_detail", kwargs={"action_uuid": PLACEHOLDER})
    rows: dict[int, list[SafeString]] = {weakness.pk: [] for weakness in weaknesses}
    for action in actions:
        rows[action.weakness_id].append(
            action_row(
                action,
                today=today,
                url=_url(action, pattern),
                final_due=action.final_due,
                latest_update=latest.get(action.pk),
            )
        )
    for weakness in weaknesses:
        weakness.rows = rows[weakness.pk]  # type: ignore[attr-defined]  # read by the plan page
    return weaknesses


def latest_updates(plan: ActionPlan) -> dict[int, tuple[datetime.date, str]]:
    """Each action's latest progress update (date, narrative), by action id. PostgreSQL picks
    them (DISTINCT ON); the embedded SQLite of `make run` sends them all, newest first."""
    updates = ProgressUpdate.objects.filter(action__weakness__plan=plan)
    if connection.vendor == "postgresql":
        updates = updates.order_by("action_id", "-date", "-created_at").distinct("action_id")
    else:
        updates = updates.order_by("-date", "-created_at")
    latest: dict[int, tuple[datetime.date, str]] = {}
    for action_id, date, narrative in updates.values_list("action_id", "date", "narrative"):
        latest.setdefault(action_id, (date, narrative))
    return latest


def action_row(
    action: Action,
    *,
    today: datetime.date,
    url: str,
    final_due: datetime.date | None,
    latest_update: tuple[datetime.date, str] | None,
) -> SafeString:
    """One row of the tracker: the action, its last due date and its latest update (date,
    narrative). Every value from the database is escaped here, once."""
    lead = action.lead.full_name if action.lead is not None and action.lead.full_name else ""
    overdue = final_due is not None and final_due < today and not action.status.counts_as_done
    return mark_safe(  # noqa: S308 - every part is escaped above or is fixed markup
        ROW.format(
            url=_text(url),
            number=_text(action.number),
            text=_lines(action.text),
            details=_details(action),
            lead=_text(lead or action.lead_title or "–")
            + (
                f"<br>Senior responsible officer: {_text(action.senior_responsible_officer)}"
                if action.senior_responsible_officer
                else ""
            ),
            timescale=_text(action.timescale),
            overdue=OVERDUE if overdue else "",
            colour=_text(action.status.colour),
            status=_text(action.status.name),
            update=_latest_update(latest_update),
        )
    )
