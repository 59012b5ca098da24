"""Importing an action table with the seed's own column headings, so that a council can paste
its existing Word or Excel table (docs/imports.md, "Action plans"). All or nothing."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from send_qa.core.import_templates import TemplateColumn
from send_qa.core.lazy import lazy_module
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

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")


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
    "Start",
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
# What the template says of each column, and its made-up example row.
TEMPLATE_HINTS = {
    "Weakness": (
        "Area for Improvement 1 - Example: timeliness of EHC plans",
        "The weakness's heading as the council writes it, with its number.",
    ),
    "Reference": ("1.1", "The action's reference within its weakness."),
    "Actions": ("Example action: review every plan due this term", "What will be done."),
    "Success measure(s)": ("Example: 90% of plans reviewed on time", ""),
    "Lead": ("Head of SEND", "A portal user's name or email; another name is kept as written."),
    "Senior responsible officer": ("", "A portal user's name or email, or a title."),
    "Start": ("September 2026", ""),
    "Timescale": (
        "March 2027",
        "A month and year, a date, a term such as Summer term 2027, or Ongoing.",
    ),
    "Progress update": ("", "The latest progress, in words."),
    "Progress date": ("", "The day the progress update describes, such as 31/03/2027."),
}


def template_columns(plan: ActionPlan) -> tuple[TemplateColumn, ...]:
    """The columns of an action table, as the import reads them and its template shows them;
    the RAG column takes the names of the plan's own key."""
    names = tuple(plan.rag_key.statuses.order_by("order").values_list("name", flat=True))
    rated = plan.rag_key.statuses.rated().values_list("name", flat=True).first() or ""
    hints = {**TEMPLATE_HINTS, "RAG": (rated, "A status of this plan's RAG key.")}
    return tuple(
        TemplateColumn(
            heading,
            hints.get(heading, ("", ""))[0],
            required=header(heading) in REQUIRED,
            allowed=names if heading == "RAG" else (),
            hint=hints.get(heading, ("", ""))[1],
        )
        for heading in COLUMNS
    )


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
    "start": max_length(Action, "start"),
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
RAG_WORDS = r"rag(?:\s+(?:status|rating))?|status"
PROGRESS_WORDS = r"progress(?:\s+update)?|update|commentary|comments?"
HISTORY_HEADING = re.compile(
    rf"^\s*(?:(?P<before>{RAG_WORDS}|{PROGRESS_WORDS})\s*[-–:]?\s*(?:(?:as\s+)?at\s+|on\s+)?"
    rf"(?P<day_after>.*\d.*?)|(?P<day_before>.*\d.*?)\s*[-–:]?\s*(?P<after>{RAG_WORDS}|{PROGRESS_WORDS}))\s*$",
    re.I,
)


@dataclass(frozen=True)
class HistoryColumn:
    """A column of RAGs (or of progress text) as they stood on a day: "RAG May 2020"."""

    kind: str  # "rag" or "progress"
    day: datetime.date


def history_column(heading: str, *, today: datetime.date) -> HistoryColumn | None:
    """What a dated column heading says ("RAG May 2020", "May-20 RAG", "Status 2021-02", "RAG
    at 31/03/2021", "Progress May 2020"); None for any other heading. A heading that is dated
    but whose date cannot be read is a TimescaleError naming it."""
    if ALIASES.get(header(heading), header(heading)) in KEYS:
        return None
    match = HISTORY_HEADING.match(str(heading))
    if match is None:
        return None
    words = (match.group("before") or match.group("after")).lower()
    kind = "rag" if re.fullmatch(RAG_WORDS, words) else "progress"
    return HistoryColumn(
        kind, dated(match.group("day_after") or match.group("day_before"), today=today)
    )


def history_heading(kind: str, day: datetime.date) -> str:
    """The heading the export gives a dated column: a month's last day as the month."""
    words = "RAG" if kind == "rag" else "Progress"
    month_end = (day + datetime.timedelta(days=1)).day == 1
    return f"{words} {day:%B %Y}" if month_end else f"{words} {day:%d/%m/%Y}"


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
    history: list[tuple[datetime.date, RagStatus | None, str]] = field(default_factory=list)


@dataclass
class ActionsImported:
    weaknesses_added: int
    actions_added: int
    actions_changed: int = 0
    actions_unchanged: int = 0
    notes: list[str] = field(default_factory=list)  # what the preview says was worked out

    def __str__(self) -> str:
        def many(count: int, one: str, more: str) -> str:
            return f"{count} {one if count == 1 else more}"

        return (
            f"{many(self.actions_added, 'new action', 'new actions')}, "
            f"{self.actions_changed} changed and {self.actions_unchanged} unchanged; "
            f"{many(self.weaknesses_added, 'new weakness', 'new weaknesses')}."
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
    frame: pd.DataFrame,
    *,
    plan: ActionPlan,
    by: User | None,
    preview: bool = False,
    mapping: Mapping[str, str] | None = None,
) -> ActionsImported:
    """Check every row, then add the new weaknesses and actions and update the ones the table
    matches, all in one go (or raise). With `preview`, say what it would do and save nothing.
    `mapping`: the portal's field for each of the file's headings as written (see
    mapping_guess); once imported, the plan keeps it for its next table."""
    with transaction.atomic():
        if mapping is not None:
            frame = mapping_apply(frame, mapping)
        rows, notes = _rows_checked(frame, plan=plan)
        result = _rows_saved(rows, plan=plan, by=by)
        result.notes = notes
        if preview:
            transaction.set_rollback(True)
        elif mapping:
            plan.table_mapping = {**plan.table_mapping, **mapping}
            plan.save(update_fields=["table_mapping"])
    return result


LEAVE_OUT = ""  # a column the officer leaves out of the import
DATED = "dated"  # a dated RAG or progress column, read by its heading
# The portal's guess at what a council's heading holds, first match wins (after the plan's
# saved mapping and the portal's own headings).
GUESSES = [
    (r"\bsro\b|senior\s+responsible|accountable\s+officer", "senior_responsible_officer"),
    (
        r"date\s+of\s+(?:the\s+)?update|update\s+date|progress\s+date|date\s+updated",
        "progress_date",
    ),
    (r"\bref(?:erence)?\b|^no\.?$|^number$", "reference"),
    (r"success|impact|measures?\b|outcome|\bkpis?\b", "success_measure(s)"),
    (r"weakness|area\s+(?:for|of)\s+(?:improvement|priority)|^priority|^sw$", "weakness"),
    (r"improvement\s+area|^theme|^area$|workstream|objective", "improvement_area"),
    (r"\blead\b|owner|responsible", "lead"),
    (r"governance|forum|board|reports?(?:ing)?\s+to", "governance_forum"),
    (r"^start|start\s+date|begins?|commenc", "start"),
    (
        r"timescale|deadline|by\s+when|target\s+date|\bdue\b|completion|end\s+date|timeframe",
        "timescale",
    ),
    (r"\brag\b|status|rating", "rag"),
    (r"progress|update|commentary|comments?", "progress_update"),
    (r"\bactions?\b|what\s+we\s+will\s+do|activit(?:y|ies)|tasks?", "actions"),
]


def field_key(name: str) -> str | None:
    """A portal field named by its key or its heading ("Senior responsible officer", "SRO")."""
    key = ALIASES.get(header(name), header(name))
    return key if key in KEYS or key in (LEAVE_OUT, DATED) else None


def mapping_guess(
    headings: Sequence[str], *, saved: Mapping[str, str], today: datetime.date
) -> dict[str, str]:
    """The portal's field for each heading as written: the plan's saved choice, else the
    portal's own heading, else a guess from its words; a dated column is DATED; a field is
    guessed for one heading only, and a heading nothing fits is LEAVE_OUT."""
    guessed: dict[str, str] = {}
    for heading in headings:
        saved_key = field_key(saved[heading]) if heading in saved else None
        exact = field_key(heading)
        if saved_key is not None:
            guessed[heading] = saved_key
        elif exact:
            guessed[heading] = exact
        else:
            try:
                dated_column = history_column(heading, today=today)
            except TimescaleError:
                dated_column = HistoryColumn("rag", today)  # said when it is checked
            guessed[heading] = DATED if dated_column else ""
    taken = {key for key in guessed.values() if key not in (LEAVE_OUT, DATED)}
    for heading in headings:
        if guessed[heading] or heading in saved:
            continue
        words = " ".join(heading.lower().split())
        key = next((k for pattern, k in GUESSES if re.search(pattern, words)), LEAVE_OUT)
        if key not in taken:
            guessed[heading], taken = key, taken | {key}
    return guessed


def mapping_apply(frame: pd.DataFrame, mapping: Mapping[str, str]) -> pd.DataFrame:
    """The frame with each heading renamed to the field it is mapped to, and the columns left
    out dropped; a heading not in `mapping` is read as it is."""
    written: dict[str, str] = frame.attrs.get("headings", {})
    problems: list[ImportProblem] = []
    renamed: dict[str, str] = {}
    dropped: list[str] = []
    headings: dict[str, str] = {}
    for column in frame.columns:
        heading = written.get(column, column)
        target = mapping.get(heading)
        key = column if target is None else field_key(target)
        if key is None:
            problems.append(
                ImportProblem(
                    None,
                    heading,
                    f"is mapped to {target!r}, which is not a field of the action table. Use one "
                    f"of: {', '.join(COLUMNS)}, or leave the column out.",
                )
            )
        elif key == LEAVE_OUT:
            dropped.append(column)
        elif key == DATED:
            headings[column] = heading
        else:
            renamed[column] = key
            headings[key] = heading
    by_field: dict[str, list[str]] = defaultdict(list)
    for column, key in renamed.items():
        by_field[key].append(written.get(column, column))
    problems += [
        ImportProblem(
            None,
            names[1],
            f"and {names[0]!r} are both {KEYS[key]}. Map one of them to {KEYS[key]}.",
        )
        for key, names in by_field.items()
        if len(names) > 1 and key in KEYS
    ]
    if problems:
        raise TableImportError(problems)
    mapped = frame.drop(columns=dropped).rename(columns=renamed)
    mapped.attrs["headings"] = headings
    return mapped


def _history_columns(
    columns: Sequence[str], today: datetime.date, written: dict[str, str]
) -> tuple[dict[str, HistoryColumn], list[ImportProblem]]:
    """The dated columns (by the frame's column), read from their headings as written; each
    problem names the heading as written."""
    found: dict[str, HistoryColumn] = {}
    problems: list[ImportProblem] = []
    for column in columns:
        try:
            dated_column = history_column(written.get(column, column), today=today)
        except TimescaleError as error:
            problems.append(
                ImportProblem(
                    None,
                    written.get(column, column),
                    f"{error} Give each dated column one date, such as RAG May 2020 or "
                    "RAG at 31/03/2021.",
                )
            )
            continue
        if dated_column is not None:
            found[column] = dated_column
    seen: dict[HistoryColumn, str] = {}
    for column, dated_column in found.items():
        name = written.get(column, column)
        if dated_column in seen:
            problems.append(
                ImportProblem(
                    None, name, f"is the same date as the column {seen[dated_column]!r}. Keep one."
                )
            )
        seen.setdefault(dated_column, name)
    rag_days = {c.day for c in found.values() if c.kind == "rag"}
    for column, dated_column in found.items():
        if dated_column.kind == "progress" and dated_column.day not in rag_days:
            problems.append(
                ImportProblem(
                    None,
                    written.get(column, column),
                    f"has no RAG column of the same date. Add one headed "
                    f"{history_heading('rag', dated_column.day)!r}, or leave this column out.",
                )
            )
    return found, problems


def _rows_checked(frame: pd.DataFrame, *, plan: ActionPlan) -> tuple[list[Row], list[str]]:
    today = timezone.localdate()
    written: dict[str, str] = frame.attrs.get("headings", {})
    history, problems = _history_columns([str(c) for c in frame.columns], today, written)
    frame = frame.rename(
        columns={c: ALIASES.get(header(c), header(c)) for c in frame.columns if c not in history}
    )
    missing = [KEYS[c] for c in REQUIRED if c not in frame.columns]
    unknown = [c for c in frame.columns if c not in KEYS and c not in history]
    problems += [
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
    first_row: dict[tuple[str, str], int] = {}  # each reference, or weakness and text
    for index, record in enumerate(frame.to_dict("records")):
        row = index + 2

        def problem(column: str, message: str, row: int = row) -> None:
            problems.append(ImportProblem(row, KEYS.get(column, column), message))

        cell = {k: str(record.get(k, "") or "").strip() for k in KEYS}
        dated_cells = {c: str(record.get(c, "") or "").strip() for c in history}
        if not any(cell.values()) and not any(dated_cells.values()):
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
        stood: dict[datetime.date, tuple[RagStatus | None, str]] = {}
        for column, dated_column in sorted(history.items(), key=lambda c: c[1].kind != "rag"):
            value = dated_cells[column]
            if dated_column.kind == "progress":
                if value:
                    stood[dated_column.day] = (stood[dated_column.day][0], value)
                continue
            stood[dated_column.day] = (statuses.get(value.lower()) if value else None, "")
            if value and stood[dated_column.day][0] is None:
                problem(
                    written.get(column, column),
                    f"{value!r} is not in this plan's RAG key. Use one of: {names}.",
                )
        past = [(d, s, text) for d, (s, text) in sorted(stood.items()) if s is not None or text]
        rows.append(Row(row, heading, reference, cell, status, timescale, day, past))
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
    known: dict[int, list[ProgressUpdate]] = defaultdict(list)
    for update in (
        ProgressUpdate.objects.filter(action__in=actions)
        .select_related("status")
        .order_by("date", "created_at")
    ):
        known[update.action_id].append(update)
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
            "start": cell["start"],
            "timescale": cell["timescale"],
        }
        due_dates = r.timescale.due_dates if r.timescale else []
        if found is None:
            first = next((s for _, s, _ in r.history if s is not None), None)
            action = action_save(
                action=Action(
                    number=r.reference or _next_reference(number, by_reference),
                    created_on=today,
                    **fields,
                ),
                initial=first or r.status or not_rated,
                lead=lead,
                due_dates=due_dates,
            )
            by_reference[action.number] = action
            by_words[(weakness.pk, _words(action.text))] = action
            _updates_add(action, r, known[action.pk], by=by)
            result.actions_added += 1
            continue
        changed = found.lead_id != (lead.pk if lead else None) or any(
            getattr(found, name) != value for name, value in fields.items()
        )
        if changed:
            for name, value in fields.items():
                setattr(found, name, value)
            action_save(action=found, initial=found.initial_status, lead=lead, due_dates=due_dates)
        if _updates_add(found, r, known[found.pk], by=by) or changed:
            result.actions_changed += 1
        else:
            result.actions_unchanged += 1
    return result


def _updates_add(action: Action, r: Row, known: list[ProgressUpdate], *, by: User | None) -> bool:
    """The row's dated RAGs, oldest first, then its RAG and progress now, each a progress
    update unless the action has it already (so importing a table twice adds nothing).
    `known`: the action's updates, oldest first, kept up to date here. True if any added."""
    added = False

    def add(day: datetime.date, status: RagStatus, narrative: str) -> None:
        nonlocal added
        if any((u.date, u.status_id, u.narrative) == (day, status.pk, narrative) for u in known):
            return
        known.append(action.add_update(author=by, narrative=narrative, status=status, date=day))
        known.sort(key=lambda u: (u.date, u.created_at))
        added = True

    for day, status, text in r.history:
        stood = [u for u in known if u.date <= day]
        add(
            day,
            status or (stood[-1].status if stood else action.initial_status),
            text or IMPORTED_RAG,
        )
    narrative = r.cell["progress_update"]
    latest = known[-1] if known else None
    new_status = r.status is not None and r.status != action.status
    new_words = bool(narrative) and narrative != (latest.narrative if latest else None)
    if new_status or new_words:
        add(r.day, r.status or action.status, narrative or IMPORTED_RAG)
    return added


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


def actions_table(plan: ActionPlan) -> tuple[list[str], list[list[str]]]:
    """The plan's table as the import reads it: one row per action with the columns above (the
    RAG now and the latest progress update), then each day of its RAG history, oldest first,
    as a dated RAG column, with a dated progress column where the history has words."""
    actions = list(
        Action.objects.filter(weakness__plan=plan)
        .select_related("weakness", "status", "lead")
        .order_by("weakness__number", "pk")
    )
    on_day: dict[int, dict[datetime.date, ProgressUpdate]] = defaultdict(dict)
    latest: dict[int, ProgressUpdate] = {}
    for update in (
        ProgressUpdate.objects.filter(action__in=actions)
        .select_related("status")
        .order_by("date", "created_at")
    ):
        on_day[update.action_id][update.date] = update  # the day's last word
        latest[update.action_id] = update
    days = sorted({day for updates in on_day.values() for day in updates})
    worded = {
        day
        for updates in on_day.values()
        for day, update in updates.items()
        if update.narrative != IMPORTED_RAG
    }
    columns = list(COLUMNS)
    for day in days:
        columns.append(history_heading("rag", day))
        if day in worded:
            columns.append(history_heading("progress", day))
    rows = []
    for a in actions:
        last = latest.get(a.pk)
        row = [
            f"{a.weakness}: {a.weakness.text}",
            a.number,
            a.improvement_area,
            a.text,
            a.success_measures,
            a.lead.full_name if a.lead else a.lead_title,
            a.senior_responsible_officer,
            a.governance_forum,
            a.start,
            a.timescale,
            a.status.name,
            last.narrative if last else "",
            last.date.isoformat() if last else "",
        ]
        for day in days:
            that_day = on_day[a.pk].get(day)
            row.append(that_day.status.name if that_day else "")
            if day in worded:
                words = that_day.narrative if that_day else ""
                row.append("" if words == IMPORTED_RAG else words)
        rows.append(row)
    return columns, rows


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
