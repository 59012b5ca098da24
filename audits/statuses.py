"""The words and GOV.UK tag colour of every status the audit pages show, in one place, so that
one status reads and looks the same on every list, task list, dashboard and detail page
(`templates/audits/_tag.html` prints them; a test keeps hard-coded tags out of the templates).

Two kinds of status are deliberately worded apart: an audit's own ("Not started", grey) and
a task on its task list, in the GOV.UK task list pattern ("Not yet started", blue;
"Completed" as plain text). "In progress" means the same in both, so it is one word and one
colour in both.
"""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Tag:
    words: str
    colour: str  # a govuk-tag modifier ("grey", "green"...); "" prints the words without a tag


IN_PROGRESS = Tag("In progress", "light-blue")

AUDIT_STATUSES = {
    "not_started": Tag("Not started", "grey"),
    "in_progress": IN_PROGRESS,
    "submitted": Tag("Submitted", "green"),
}
IMPORTED = Tag("Imported", "grey")

TASK_STATUSES = {
    "Not started": Tag("Not yet started", "blue"),
    "In progress": IN_PROGRESS,
    "Completed": Tag("Completed", ""),
}

ADVICE_STATUSES = {
    "on_time": Tag("On time", "green"),
    "late": Tag("Late", "orange"),
    "missing": Tag("Missing", "red"),
    "awaited": Tag("Not yet due", "grey"),
}

OVERDUE = Tag("Overdue", "red")
REVIEW_STATUSES = {"overdue": OVERDUE, "due": Tag("Due soon", "yellow")}

CHECKLIST_PUBLISHED, CHECKLIST_DRAFT = Tag("Published", "green"), Tag("Draft", "yellow")
SAMPLE_NOT_DRAWN = Tag("Not drawn", "grey")
SERVICE_ON, SERVICE_OFF = Tag("On", ""), Tag("Off", "grey")

NOT_GRADED_YET = "Not graded yet"


def audit_status(status: str, *, imported: bool = False) -> Tag:
    """An audit's, check's or self-audit's status; an imported past audit says so."""
    return IMPORTED if imported else AUDIT_STATUSES[status]


def task_status(status: str) -> Tag:
    """A section (or "the plan as a whole") on a task list, from `SectionResult.status`."""
    return TASK_STATUSES[status]


def advice_status(status: str) -> Tag:
    return ADVICE_STATUSES.get(status, ADVICE_STATUSES["awaited"])


def peer_cycle_status(status: str, end: datetime.date) -> Tag:
    """A team's peer-moderation cycle: done, due by its last day, or overdue."""
    if status == "done":
        return Tag("Done", "green")
    if status == "due":
        return Tag(f"Due by {end:%-d %b}", "yellow")
    return OVERDUE


def review_status(status: str | None) -> Tag | None:
    """A plan's annual review: overdue, due within 8 weeks, or nothing to say."""
    return REVIEW_STATUSES.get(status or "")


def grade_shown(grade: str, *, submitted: bool) -> str:
    """An audit's grade as lists print it: a running grade of an audit still being filled in
    would mislead, so it is "Not graded yet" until the audit is submitted."""
    if not submitted:
        return NOT_GRADED_YET
    return grade or "Not graded"
