"""A red or declining indicator as evidence that raises an action (issue 19), through
`send_qa.core.follow_up`. The reference names the indicator and the period of this area's
value that was the exception; what it says now is the indicator's latest row."""

import datetime

from django.urls import reverse
from django.utils import timezone

from kpis.models import ExceptionNote, Indicator
from kpis.roles import SCORECARD_READERS
from kpis.rules import DIRECTION_LABELS
from kpis.scorecard import Row, scorecard_rows
from send_qa.core.follow_up import Evidence
from send_qa.core.models import User

KIND = "kpi_exception"
LABEL = "A red or declining indicator"


def exception_ref(code: str, start: datetime.date, end: datetime.date) -> str:
    return f"{code}:{start.isoformat()}:{end.isoformat()}"


def _read_ref(ref: str) -> tuple[str, datetime.date, datetime.date] | None:
    try:
        code, start, end = ref.rsplit(":", 2)
        return code, datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    except ValueError:
        return None


def _row(indicator: Indicator, *, as_at: datetime.date) -> Row | None:
    rows = scorecard_rows([indicator], as_at=as_at, suppress=True, charts=False, benchmarks=False)
    return rows[0] if rows and rows[0].latest is not None else None


def latest_row(indicator: Indicator) -> Row | None:
    """The indicator's row on today's scorecard (RAG and direction of its latest value)."""
    return _row(indicator, as_at=timezone.localdate())


def row_words(row: Row) -> str:
    """ "48.0% in Autumn term 2026: red, declining (target 60%)": the figure as the scorecard
    shows it, small numbers withheld."""
    assert row.latest is not None
    judged = [row.rag.value] if row.rag is not None else []
    if row.direction is not None:
        judged.append(DIRECTION_LABELS[row.direction].lower())
    text = f"{row.value.text} in {row.latest.label}"
    if judged:
        text += ": " + ", ".join(judged)
    if row.target is not None:
        text += f" (target {row.target.value_text})"
    return text


def describe(ref: str, user: User) -> Evidence | None:
    if not user.has_role(*SCORECARD_READERS):
        return None
    read = _read_ref(ref)
    if read is None:
        return None
    code, start, end = read
    indicator = (
        Indicator.objects.select_related("owner").prefetch_related("targets").filter(code=code)
    ).first()
    if indicator is None:
        return None
    then = _row(indicator, as_at=end)
    if then is None or then.latest is None or then.latest.period_start != start:
        return None
    note = ExceptionNote.objects.filter(measurement=then.latest).first()
    words = f"{indicator.name} is {row_words(then)}."
    if note is not None:
        words += f"\nWhat is happening: {note.happening}\nWhat we are doing: {note.doing}"
    now = latest_row(indicator)
    return Evidence(
        kind=KIND,
        ref=ref,
        title=f"{indicator.code}: {indicator.name}",
        words=words,
        figure=row_words(then),
        url=reverse("kpis:indicator_detail", kwargs={"code": indicator.code}) + "#actions",
        term=then.latest.label,
        owner_suggestion=indicator.owner,
        concern=now.is_exception if now is not None else None,
        now=row_words(now) if now is not None else "",
    )
