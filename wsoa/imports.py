"""Importing an action table with the seed's own column headings, so that a council can paste
its existing Word or Excel table (docs/imports.md, "Action plans"). All or nothing."""

import csv
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
from wsoa.timescales import Timescale, TimescaleError, parse_timescale

__all__ = ["TableImportError", "read_table", "actions_import", "rag_key_from_csv"]

COLUMNS = [
    "Weakness",
    "Improvement area",
    "Actions",
    "Success measure(s)",
    "Lead",
    "Governance forum",
    "Timescale",
    "RAG",
    "Progress update",
]
KEYS = {header(c): c for c in COLUMNS}
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
    "governance_forum": max_length(Action, "governance_forum"),
    "timescale": max_length(Action, "timescale"),
}
LARGEST_WEAKNESS = 32767  # PositiveSmallIntegerField
HEADING_LENGTH = max_length(Weakness, "heading")
NAME_LENGTH = max_length(RagStatus, "name")

# A good row: its number, its weakness's heading, its cells, RAG and timescale.
Row = tuple[int, "WeaknessHeading", dict[str, str], RagStatus, Timescale | None]


@dataclass
class ActionsImported:
    weaknesses_added: int
    actions_added: int
    notes: list[str] = field(default_factory=list)  # what the preview says was worked out


def _leads() -> dict[str, User]:
    people = User.objects.active().with_role(Role.ACTION_OWNER)
    found: dict[str, User] = {}
    for person in people:
        found[person.email.lower()] = person
        if person.full_name:
            found[person.full_name.lower()] = person
    return found


@transaction.atomic
def actions_import(frame: pd.DataFrame, *, plan: ActionPlan, by: User | None) -> ActionsImported:
    """Check every row, then add the weaknesses and actions in one go (or raise)."""
    frame = frame.rename(columns={c: header(c) for c in frame.columns})
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
    not_rated = plan.rag_key.not_rated_status()
    leads = _leads()
    weaknesses = {w.number: w for w in plan.weaknesses.all()}
    rows: list[Row] = []
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
        if not cell["actions"]:
            problem("actions", "is empty. Write the action, or leave the row out.")
        status = statuses.get(cell["rag"].lower()) if cell["rag"] else not_rated
        if status is None:
            problem("rag", f"{cell['rag']!r} is not in this plan's RAG key. Use one of: {names}.")
        timescale = None
        if cell["timescale"]:
            try:
                timescale = parse_timescale(cell["timescale"])
            except TimescaleError as error:
                problem("timescale", str(error))
        if status is not None:  # a status not found is one of the problems
            rows.append((row, heading, cell, status, timescale))
    if problems:
        raise TableImportError(problems)
    numbers, notes = weakness_numbers(
        [(row, heading) for row, heading, *_ in rows], existing=list(weaknesses.values())
    )
    weaknesses_added = actions_added = 0
    next_number = {n: w.actions.count() for n, w in weaknesses.items()}
    today = timezone.localdate()
    for row, heading, cell, status, timescale in rows:
        number, text = numbers[row], heading.title
        weakness = weaknesses.get(number)
        if weakness is None:
            weakness = Weakness.objects.create(
                plan=plan, number=number, heading=heading.label, text=text or f"Weakness {number}"
            )
            weaknesses[number], next_number[number] = weakness, 0
            weaknesses_added += 1
        elif text and not weakness.text:
            weakness.text = text
            weakness.save()
        next_number[number] += 1
        lead = leads.get(cell["lead"].lower())
        action = action_save(
            action=Action(
                weakness=weakness,
                number=f"{number}.{next_number[number]}",
                improvement_area=cell["improvement_area"],
                text=cell["actions"],
                success_measures=cell["success_measure(s)"],
                lead_title="" if lead else cell["lead"],
                governance_forum=cell["governance_forum"],
                timescale=cell["timescale"],
                created_on=today,
            ),
            initial=status,
            lead=lead,
            due_dates=timescale.due_dates if timescale else [],
        )
        if cell["progress_update"]:
            ProgressUpdate.objects.create(
                action=action,
                date=today,
                author=by,
                narrative=cell["progress_update"],
                status=status,
            )
        actions_added += 1
    return ActionsImported(weaknesses_added, actions_added, notes)


def _title_key(title: str) -> str:
    return " ".join(title.lower().split())


def weakness_numbers(
    headings: Sequence[tuple[int, WeaknessHeading]], *, existing: Sequence[Weakness]
) -> tuple[dict[int, int], list[str]]:
    """Each row's weakness number (by row), and a note for each heading that had none: it is
    the plan's weakness of that title, else the lowest number free, in order of first
    appearance."""
    by_title = {_title_key(w.text): w.number for w in existing}
    used = {w.number for w in existing} | {h.number for _, h in headings if h.number is not None}
    numbers: dict[int, int] = {}
    notes: list[str] = []
    for row, heading in headings:
        if heading.number is not None:
            numbers[row] = heading.number
            continue
        key = _title_key(heading.title)
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
