"""Importing an action table with the seed's own column headings, so that a council can paste
its existing Word or Excel table (docs/imports.md, "Action plans"). All or nothing."""

import csv
import datetime
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from django.db import transaction
from django.utils import timezone

from send_qa.core.models import User
from send_qa.core.roles import Role
from send_qa.core.tables import ImportProblem, TableImportError, header, max_length, read_table
from wsoa.models import (
    NOT_RATED_NAME,
    TAG_COLOURS,
    Action,
    ActionPlan,
    ProgressUpdate,
    RagKey,
    RagStatus,
    Weakness,
)
from wsoa.services import action_save
from wsoa.timescales import Timescale, TimescaleError, dated, parse_timescale

__all__ = ["TableImportError", "read_table", "actions_import", "rag_key_from_csv"]

COLUMNS = [
    "Weakness",
    "Reference",
    "Improvement area",
    "Actions",
    "Success measure(s)",
    "Lead",
    "Senior responsible officer",
    "Governance forum",
    "Timescale",
    "RAG",
    "Progress update",
    "Progress date",
]
KEYS = {header(c): c for c in COLUMNS}
ALIASES = {
    "sro": "senior_responsible_officer",
    "action_reference": "reference",
    "ref": "reference",
    "date_of_update": "progress_date",
    "update_date": "progress_date",
    "progress_update_date": "progress_date",
}
REQUIRED = ["weakness", "actions"]
# The words councils put before a weakness's number ("Area for Improvement 2", "SW4"); any
# other words before a number are part of an unnumbered heading ("Over 20 weeks ...").
HEADING_WORDS = (
    r"significant\s+weakness(?:es)?|area\s+(?:for|of)\s+(?:priority\s+action|improvement|"
    r"development|weakness|focus)|areas?\s+for\s+improvement|improvement\s+area|"
    r"priority(?:\s+action|\s+area)?|weakness|theme|sw|afi|aoi|afpa|pa"
)
WEAKNESS_HEADING = re.compile(
    rf"^\s*(?P<label>(?:(?P<words>{HEADING_WORDS})\s*(?:no\.?\s*|number\s*|#\s*)?)?"
    r"(?P<number>\d+))(?![\d.]\d)\s*(?:[:.)\-–—]+|\s|$)\s*(?P<title>.*)$",
    re.I | re.S,
)


@dataclass(frozen=True)
class WeaknessHeading:
    """A weakness cell read: its number (None when it has none), the words of its number as
    written ("Area for Improvement 2"; empty for a bare number) and its title as written."""

    number: int | None
    label: str
    title: str


def weakness_heading(cell: str) -> WeaknessHeading:
    """What a council's weakness heading says: "Significant weakness 1", "Area for Improvement
    2 - Joint working: ...", "Priority 3:", "SW4", "Weakness 5.", "1)", "6"; anything else is
    a title with no number."""
    match = WEAKNESS_HEADING.match(cell)
    if match is None:
        return WeaknessHeading(None, "", cell.strip())
    label = " ".join(match.group("label").split()) if match.group("words") else ""
    return WeaknessHeading(int(match.group("number")), label, match.group("title").strip())


LENGTHS = {  # the cells kept in fields of a fixed size (leads not found are kept as a title)
    "lead": max_length(Action, "lead_title"),
    "senior_responsible_officer": max_length(Action, "senior_responsible_officer"),
    "governance_forum": max_length(Action, "governance_forum"),
    "timescale": max_length(Action, "timescale"),
}
LARGEST_WEAKNESS = 32767  # PositiveSmallIntegerField
HEADING_LENGTH = max_length(Weakness, "heading")
NAME_LENGTH = max_length(RagStatus, "name")

# An action's reference written at the start of its text ("1.1. Audit ...", "2.1(A) ..."),
# as older exports and many councils' tables give it.
LEADING_REFERENCE = re.compile(
    r"^\s*(?P<reference>\d+(?:\.\d+)+(?:\s*\([A-Za-z0-9]{1,3}\))?|\d+\s*\([A-Za-z0-9]{1,3}\))"
    r"[.:)]?\s+(?P<text>\S.*)$",
    re.S,
)
REFERENCE_LENGTH = max_length(Action, "number")
IMPORTED_RAG = "RAG as the imported table gives it."


@dataclass
class Row:
    """A good row of the table, checked and not yet saved."""

    row: int
    heading: WeaknessHeading
    reference: str
    cell: dict[str, str]
    status: RagStatus | None  # None: no RAG given
    timescale: Timescale | None
    day: datetime.date  # the day its progress update describes


@dataclass
class ActionsImported:
    weaknesses_added: int
    actions_added: int
    actions_changed: int = 0
    actions_unchanged: int = 0
    notes: list[str] = field(default_factory=list)  # what the preview says was worked out

    def __str__(self) -> str:
        return (
            f"{self.actions_added} new actions, {self.actions_changed} changed and "
            f"{self.actions_unchanged} unchanged; {self.weaknesses_added} new weaknesses."
        )


def _leads() -> dict[str, User]:
    people = User.objects.active().with_role(Role.ACTION_OWNER)
    found: dict[str, User] = {}
    for person in people:
        found[person.email.lower()] = person
        if person.full_name:
            found[person.full_name.lower()] = person
    return found


def _words(text: str) -> str:
    """Text compared without regard to case or spacing."""
    return " ".join(text.lower().split())


def action_reference(reference: str, text: str) -> tuple[str, str]:
    """The action's reference and its text: the Reference cell, else one written at the start
    of the text ("1.1. Audit every record")."""
    if reference:
        return reference, text
    match = LEADING_REFERENCE.match(text)
    if match is None:
        return "", text
    return " ".join(match.group("reference").split()), match.group("text").strip()


def actions_import(
    frame: pd.DataFrame, *, plan: ActionPlan, by: User | None, preview: bool = False
) -> ActionsImported:
    """Check every row, then add the new weaknesses and actions and update the ones the table
    matches, all in one go (or raise). With `preview`, say what it would do and save nothing."""
    with transaction.atomic():
        rows, notes = _rows_checked(frame, plan=plan)
        result = _rows_saved(rows, plan=plan, by=by)
        result.notes = notes
        if preview:
            transaction.set_rollback(True)
    return result


def _rows_checked(frame: pd.DataFrame, *, plan: ActionPlan) -> tuple[list[Row], list[str]]:
    frame = frame.rename(columns={c: ALIASES.get(header(c), header(c)) for c in frame.columns})
    missing = [KEYS[c] for c in REQUIRED if c not in frame.columns]
    unknown = [c for c in frame.columns if c not in KEYS]
    problems = [
        ImportProblem(None, c, "this required column is missing. Add it with this heading.")
        for c in missing
    ] + [
        ImportProblem(None, c, f"is not a column of the action table. Use: {', '.join(COLUMNS)}.")
        for c in unknown
    ]
    if problems:
        raise TableImportError(problems)
    statuses = {s.name.lower(): s for s in plan.rag_key.statuses.order_by("order")}
    names = ", ".join(s.name for s in statuses.values())
    rows: list[Row] = []
    today = timezone.localdate()
    first_row: dict[tuple[str, str], int] = {}  # each reference, or weakness and text
    for index, record in enumerate(frame.to_dict("records")):
        row = index + 2

        def problem(column: str, message: str, row: int = row) -> None:
            problems.append(ImportProblem(row, KEYS.get(column, column), message))

        cell = {k: str(record.get(k, "") or "").strip() for k in KEYS}
        if not any(cell.values()):
            continue  # a blank line in a pasted table
        heading = weakness_heading(cell["weakness"])
        if heading.number is None and not heading.title:
            problem(
                "weakness",
                "is empty. Write the weakness's heading, for example Significant weakness 1: "
                "Inaccurate records, or the weakness's title alone.",
            )
        for column, limit in LENGTHS.items():
            if len(cell[column]) > limit:
                problem(
                    column,
                    f"is {len(cell[column])} characters long; shorten it to at most {limit}.",
                )
        if heading.number is not None and not 0 < heading.number <= LARGEST_WEAKNESS:
            problem(
                "weakness",
                f"{heading.number} is not a weakness number the portal can keep. Number the "
                f"weaknesses from 1 (at most {LARGEST_WEAKNESS}).",
            )
        elif len(heading.label) > HEADING_LENGTH:
            problem(
                "weakness", f"shorten {heading.label!r} to at most {HEADING_LENGTH} characters."
            )
        reference, cell["actions"] = action_reference(cell["reference"], cell["actions"])
        if len(reference) > REFERENCE_LENGTH:
            problem(
                "reference",
                f"{reference!r} is longer than {REFERENCE_LENGTH} characters; shorten it.",
            )
        if not cell["actions"]:
            problem("actions", "is empty. Write the action, or leave the row out.")
        same = (
            ("reference", reference) if reference else (cell["weakness"], _words(cell["actions"]))
        )
        if cell["actions"] and same in first_row:
            problem(
                "reference" if reference else "actions",
                f"is the same action as row {first_row[same]}. Give each action its own reference, "
                "or leave the repeated row out.",
            )
        first_row.setdefault(same, row)
        status = statuses.get(cell["rag"].lower()) if cell["rag"] else None
        if cell["rag"] and status is None:
            problem("rag", f"{cell['rag']!r} is not in this plan's RAG key. Use one of: {names}.")
        timescale = None
        if cell["timescale"]:
            try:
                timescale = parse_timescale(cell["timescale"])
            except TimescaleError as error:
                problem("timescale", str(error))
        day = today
        if cell["progress_date"]:
            try:
                day = dated(cell["progress_date"], today=today)
            except TimescaleError as error:
                problem("progress_date", str(error))
        rows.append(Row(row, heading, reference, cell, status, timescale, day))
    if problems:
        raise TableImportError(problems)
    numbers, notes = weakness_numbers(
        [(r.row, r.heading) for r in rows], existing=list(plan.weaknesses.all())
    )
    for r in rows:
        r.heading = WeaknessHeading(numbers[r.row], r.heading.label, r.heading.title)
    return rows, notes


def _rows_saved(rows: list[Row], *, plan: ActionPlan, by: User | None) -> ActionsImported:
    """Each row's action added, or updated where the plan has it already: by its reference,
    else by its weakness and words. A new RAG or progress text is a progress update."""
    result = ActionsImported(0, 0)
    not_rated = plan.rag_key.not_rated_status()
    leads = _leads()
    weaknesses = {w.number: w for w in plan.weaknesses.all()}
    actions = list(Action.objects.filter(weakness__plan=plan).select_related("status", "weakness"))
    by_reference = {a.number: a for a in actions}
    by_words = {(a.weakness_id, _words(a.text)): a for a in actions}
    latest: dict[int, str] = {}
    for update in ProgressUpdate.objects.filter(action__in=actions).order_by("date", "created_at"):
        latest[update.action_id] = update.narrative
    today = timezone.localdate()
    for r in rows:
        number, cell = r.heading.number or 0, r.cell
        weakness = weaknesses.get(number)
        if weakness is None:
            weakness = Weakness.objects.create(
                plan=plan,
                number=number,
                heading=r.heading.label,
                text=r.heading.title or f"Weakness {number}",
            )
            weaknesses[number] = weakness
            result.weaknesses_added += 1
        elif r.heading.title and not weakness.text:
            weakness.text = r.heading.title
            weakness.save()
        found = (
            by_reference.get(r.reference)
            if r.reference
            else by_words.get((weakness.pk, _words(cell["actions"])))
        )
        lead = leads.get(cell["lead"].lower())
        fields = {
            "weakness": weakness,
            "improvement_area": cell["improvement_area"],
            "text": cell["actions"],
            "success_measures": cell["success_measure(s)"],
            "lead_title": "" if lead else cell["lead"],
            "senior_responsible_officer": cell["senior_responsible_officer"],
            "governance_forum": cell["governance_forum"],
            "timescale": cell["timescale"],
        }
        due_dates = r.timescale.due_dates if r.timescale else []
        if found is None:
            action = action_save(
                action=Action(
                    number=r.reference or _next_reference(number, by_reference),
                    created_on=today,
                    **fields,
                ),
                initial=r.status or not_rated,
                lead=lead,
                due_dates=due_dates,
            )
            by_reference[action.number] = action
            by_words[(weakness.pk, _words(action.text))] = action
            if cell["progress_update"]:
                action.add_update(
                    author=by, narrative=cell["progress_update"], status=action.status, date=r.day
                )
            result.actions_added += 1
            continue
        changed = found.lead_id != (lead.pk if lead else None) or any(
            getattr(found, name) != value for name, value in fields.items()
        )
        if changed:
            for name, value in fields.items():
                setattr(found, name, value)
            action_save(action=found, initial=found.initial_status, lead=lead, due_dates=due_dates)
        new_status = r.status is not None and r.status != found.status
        new_words = bool(cell["progress_update"]) and cell["progress_update"] != latest.get(
            found.pk
        )
        if new_status or new_words:
            found.add_update(
                author=by,
                narrative=cell["progress_update"] or IMPORTED_RAG,
                status=r.status or found.status,
                date=r.day,
            )
        if changed or new_status or new_words:
            result.actions_changed += 1
        else:
            result.actions_unchanged += 1
    return result


def _next_reference(number: int, taken: dict[str, Action]) -> str:
    """The weakness's next action number (1.1, 1.2, ...) that no action of the plan has."""
    count = 1
    while f"{number}.{count}" in taken:
        count += 1
    return f"{number}.{count}"


def weakness_numbers(
    headings: Sequence[tuple[int, WeaknessHeading]], *, existing: Sequence[Weakness]
) -> tuple[dict[int, int], list[str]]:
    """Each row's weakness number (by row), and a note for each heading that had none: it is
    the plan's weakness of that title, else the lowest number free, in order of first
    appearance."""
    by_title = {_words(w.text): w.number for w in existing}
    used = {w.number for w in existing} | {h.number for _, h in headings if h.number is not None}
    numbers: dict[int, int] = {}
    notes: list[str] = []
    for row, heading in headings:
        if heading.number is not None:
            numbers[row] = heading.number
            continue
        key = _words(heading.title)
        if key not in by_title:
            free = next(n for n in range(1, len(used) + 2) if n not in used)
            used.add(free)
            by_title[key] = free
            notes.append(
                f"Row {row}: the weakness {heading.title!r} has no number; it is numbered "
                f"{free}, in order of first appearance."
            )
        numbers[row] = by_title[key]
    return numbers, notes


def rag_key_from_csv(text: str, *, name: str) -> RagKey:
    """A council's own key: a CSV with name,definition,colour,done, worst status first."""
    reader = csv.DictReader(io.StringIO(text))
    problems: list[ImportProblem] = []
    missing = {"name", "definition", "colour", "done"} - set(reader.fieldnames or [])
    if missing:
        raise TableImportError(
            [ImportProblem(None, c, "this column of the key is missing.") for c in sorted(missing)]
        )
    entries: list[tuple[str, str, str, bool]] = []
    for index, given in enumerate(reader):
        row = index + 2
        record = {k: (v if isinstance(v, str) else "") for k, v in given.items() if k}
        colour = record["colour"].strip().lower().replace(" ", "-")
        if colour not in TAG_COLOURS:
            problems.append(
                ImportProblem(
                    row,
                    "colour",
                    f"{record['colour']!r} is not a colour. Use one of: {', '.join(TAG_COLOURS)}.",
                )
            )
        done = record["done"].strip().lower()
        if done not in {"yes", "no", "true", "false", "1", "0", ""}:
            problems.append(ImportProblem(row, "done", "write yes or no."))
        if record["name"].strip().lower() == NOT_RATED_NAME.lower():
            continue  # every key has it already
        if not record["name"].strip():
            problems.append(ImportProblem(row, "name", "give the status a name."))
        elif len(record["name"].strip()) > NAME_LENGTH:
            problems.append(
                ImportProblem(row, "name", f"shorten the name to at most {NAME_LENGTH} characters.")
            )
        entries.append(
            (
                record["name"].strip(),
                record["definition"].strip(),
                colour,
                done in {"yes", "true", "1"},
            )
        )
    if not entries:
        problems.append(ImportProblem(None, None, "The key has no statuses."))
    if problems:
        raise TableImportError(problems)
    key = RagKey.objects.create(name=name)
    RagStatus.objects.bulk_create(
        [
            RagStatus(key=key, name=n, definition=d, colour=c, order=o, counts_as_done=done)
            for o, (n, d, c, done) in enumerate(entries)
        ]
    )
    key.not_rated_add()
    return key
