"""Importing an action table with the seed's own column headings, so that a council can paste
its existing Word or Excel table (docs/imports.md, "Action plans"). All or nothing."""

import csv
import io
import re
from dataclasses import dataclass

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
WEAKNESS_NUMBER = re.compile(
    r"^\s*(?:significant weakness|area for priority action|weakness)?\s*(\d+)\s*[:.\-–]?\s*(.*)$",
    re.I | re.S,
)


LENGTHS = {  # the cells kept in fields of a fixed size (leads not found are kept as a title)
    "lead": max_length(Action, "lead_title"),
    "governance_forum": max_length(Action, "governance_forum"),
    "timescale": max_length(Action, "timescale"),
}
LARGEST_WEAKNESS = 32767  # PositiveSmallIntegerField
NAME_LENGTH = max_length(RagStatus, "name")

# A good row: its number, its weakness's number and text, its cells, RAG and timescale.
Row = tuple[int, int, str, dict[str, str], RagStatus, Timescale | None]


@dataclass
class ActionsImported:
    weaknesses_added: int
    actions_added: int


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
        match = WEAKNESS_NUMBER.match(cell["weakness"])
        if not match:
            problem(
                "weakness",
                f"{cell['weakness'] or 'an empty cell'} does not say which weakness. Start it with "
                "its number, for example 1 or Significant weakness 1: Inaccurate records.",
            )
        for column, limit in LENGTHS.items():
            if len(cell[column]) > limit:
                problem(
                    column,
                    f"is {len(cell[column])} characters long; shorten it to at most {limit}.",
                )
        if match and int(match.group(1)) > LARGEST_WEAKNESS:
            problem(
                "weakness",
                f"{match.group(1)} is not a weakness number the portal can keep. Number the "
                f"weaknesses from 1 (at most {LARGEST_WEAKNESS}).",
            )
            match = None
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
        if match and status is not None:  # a status not found is one of the problems
            rows.append((row, int(match.group(1)), match.group(2).strip(), cell, status, timescale))
    if problems:
        raise TableImportError(problems)
    weaknesses_added = actions_added = 0
    next_number = {n: w.actions.count() for n, w in weaknesses.items()}
    today = timezone.localdate()
    for _row, number, text, cell, status, timescale in rows:
        weakness = weaknesses.get(number)
        if weakness is None:
            weakness = Weakness.objects.create(
                plan=plan, number=number, text=text or f"Weakness {number}"
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
    return ActionsImported(weaknesses_added, actions_added)


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
