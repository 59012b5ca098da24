"""Importing the DfE's statistical neighbours (docs/imports.md): the Children's Services
Statistical Neighbour Benchmarking Tool's list, in its long layout as published (one row per
authority and neighbour: `la_code, la_name, SN, SN_code, SN_name, SN_prox`) or in a wide
layout (one row per authority, its ten neighbours in rank order: `la_code, la_name, sn1 ..
sn10`, each optionally with `sn1_name` and `sn1_prox`).

All or nothing, like every import: the whole file is checked first and each problem named
(row, column, fix). A file saves as a new version of the DfE's set (release, effective from), so
a report keeps saying which set it used; the identical file of the same release saves nothing.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction

from benchmarks.ees import sha256_of
from benchmarks.models import (
    LA_ONS_CODE,
    OLD_LA_CODE,
    Authority,
    Import,
    Level,
    Neighbour,
    NeighbourSet,
)
from benchmarks.signals import published_data_changed
from send_qa.core.bulk import copy_create_with_history
from send_qa.core.lazy import lazy_module
from send_qa.core.models import User
from send_qa.core.tables import ImportProblem, TableImportError, max_length, read_table

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")


SOURCE = "statistical_neighbours"
SET_NAME = "DfE statistical neighbours"
MODEL = "Children's Services Statistical Neighbour Benchmarking Tool"
RANKS = range(1, 11)
MAX_ROWS = 10_000
MAX_PROBLEMS = 200
LONG_COLUMNS = ("la_code", "la_name", "sn", "sn_code", "sn_name", "sn_prox")
WIDE_RANK = re.compile(r"^sn_?(\d+)$")
WIDE_NAME = re.compile(r"^sn_?(\d+)_name$")
WIDE_PROXIMITY = re.compile(r"^sn_?(\d+)_prox$")
EXPECTED = (
    "Use the long layout as the DfE publishes it (la_code, la_name, SN, SN_code, SN_name, "
    "SN_prox) or the wide layout (la_code, la_name, sn1, sn2, ... sn10, one row per "
    "authority; sn1_name ... and sn1_prox ... may follow)."
)


class Problems(list[ImportProblem]):
    """The problems found so far, the first MAX_PROBLEMS of them."""

    def __call__(self, line: int | None, column: str, message: str) -> None:
        if len(self) < MAX_PROBLEMS:
            self.append(ImportProblem(line, column, message))
        elif len(self) == MAX_PROBLEMS:
            self.append(
                ImportProblem(None, None, f"More than {MAX_PROBLEMS} problems: showing the first.")
            )


Problem = Callable[[int | None, str, str], None]


@dataclass
class Listed:
    """An authority the file lists, and its neighbours by rank."""

    code: str
    name: str
    line: int  # the first row that lists it
    neighbours: dict[int, tuple[str, str, int]] = field(default_factory=dict)  # code, prox, row
    faulty: bool = False  # a row of it was refused, so a missing rank is not news


@dataclass
class NeighbourPlan:
    """A checked file, ready to save."""

    file_name: str
    sha256: str
    layout: str  # "long" or "wide"
    release: str
    effective_from: datetime.date
    rows_read: int
    listed: dict[str, Listed]
    names: dict[str, str]  # every code the file names, with the name it gives (may be "")
    new_codes: list[str]  # the authorities the portal does not know yet
    already: NeighbourSet | None = None  # the set this very file of this release made

    @property
    def neighbour_count(self) -> int:
        return sum(len(listed.neighbours) for listed in self.listed.values())


@dataclass(frozen=True)
class NeighboursSaved:
    neighbour_set: NeighbourSet
    record: Import | None  # None when the file was imported already
    created: bool
    authorities_added: int = 0


class Codes:
    """Reading an authority's code as a file gives it: an ONS code, or a DfE number the
    portal already knows."""

    def __init__(self) -> None:
        self.old_codes = dict(
            Authority.objects.local_authorities()
            .exclude(old_code="")
            .values_list("old_code", "code")
        )

    def read(self, raw: str) -> tuple[str, str]:
        """The ONS code, and "" or what is wrong with the cell."""
        text = raw.strip().upper()
        if LA_ONS_CODE.match(text):
            return text, ""
        if OLD_LA_CODE.match(text):
            if text in self.old_codes:
                return self.old_codes[text], ""
            return "", (
                f'"{text}" is the DfE number of no authority the portal knows yet. Give the '
                "authority's ONS code (E06, E08, E09 or E10 and six digits), or import a DfE "
                "statistics file that names it first."
            )
        if not text:
            return (
                "",
                "is empty. Give the authority's ONS code (E06, E08, E09 or E10 and six digits).",
            )
        return "", (
            f'"{raw.strip()[:40]}" is not a local authority\'s ONS code. Use E06, E08, E09 or E10 '
            "and six digits (or the DfE's three-digit number of an authority the portal knows)."
        )


def layout_of(columns: list[str]) -> str | list[ImportProblem]:
    """ "long" or "wide", or the problems that say why the headings are neither."""
    if set(LONG_COLUMNS) <= set(columns):
        return "long"
    ranks = [c for c in columns if WIDE_RANK.match(c)]
    if "la_code" not in columns or not ranks:
        return [
            ImportProblem(
                None,
                None,
                "The headings do not match a statistical neighbour file. "
                f"{EXPECTED} The file has: {', '.join(columns)}.",
            )
        ]
    problems = []
    given: dict[int, str] = {}
    for column in columns:
        for pattern in (WIDE_RANK, WIDE_NAME, WIDE_PROXIMITY):
            found = pattern.match(column)
            if found and int(found.group(1)) not in RANKS:
                problems.append(
                    ImportProblem(
                        None,
                        column,
                        "is not a rank from 1 to 10: the wide layout lists ten neighbours, "
                        "sn1 (closest) to sn10. Remove the column or give it the right rank.",
                    )
                )
        found = WIDE_RANK.match(column)
        if found and int(found.group(1)) in RANKS:
            rank = int(found.group(1))
            if rank in given:
                problems.append(
                    ImportProblem(
                        None,
                        column,
                        f"gives neighbour {rank} again (column '{given[rank]}' gives it). "
                        "Keep one column for each rank.",
                    )
                )
            given[rank] = column
    missing = [rank for rank in RANKS if rank not in given]
    if missing:
        problems.append(
            ImportProblem(
                None,
                None,
                f"The file has no column for neighbour {_either(missing)}: the wide layout has "
                "one column per rank, sn1 (closest) to sn10.",
            )
        )
    return problems or "wide"


def _either(numbers: list[int]) -> str:
    words = [str(n) for n in numbers]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def neighbours_check(
    frame: pd.DataFrame,
    *,
    file_name: str,
    sha256: str,
    release: str = "",
    effective_from: datetime.date | None = None,
) -> NeighbourPlan:
    """Read every row of a neighbour file; raise TableImportError naming every problem."""
    found = layout_of(list(frame.columns))
    if not isinstance(found, str):
        raise TableImportError(found)
    if frame.empty:
        raise TableImportError([ImportProblem(None, None, "The file has headings but no rows.")])
    if len(frame) > MAX_ROWS:
        raise TableImportError(
            [ImportProblem(None, None, f"The file has more than {MAX_ROWS:,} rows: split it.")]
        )
    problems = Problems()
    listed: dict[str, Listed] = {}
    names: dict[str, str] = {}
    codes = Codes()
    records = [{str(k): str(v).strip() for k, v in r.items()} for r in frame.to_dict("records")]
    if found == "long":
        _long(records, codes, listed, names, problems)
    else:
        _wide(records, list(frame.columns), codes, listed, names, problems)
    for entry in listed.values():
        missing = [rank for rank in RANKS if rank not in entry.neighbours]
        if missing and not entry.faulty:
            problems(
                entry.line,
                "sn",
                f"{_who(entry)} has no neighbour ranked {_either(missing)}. List its ten "
                "neighbours, ranked 1 (closest) to 10.",
            )
    if problems:
        raise TableImportError(problems)
    known = set(Authority.objects.filter(code__in=list(names)).values_list("code", flat=True))
    day = effective_from or datetime.date.today()
    already = (
        NeighbourSet.objects.filter(
            kind=NeighbourSet.Kind.DFE,
            release=release,
            source_import__sha256=sha256,
            source_import__kind=Import.Kind.NEIGHBOURS,
        )
        .order_by("-pk")
        .first()
    )
    return NeighbourPlan(
        file_name=file_name,
        sha256=sha256,
        layout=found,
        release=release,
        effective_from=day,
        rows_read=len(records),
        listed=listed,
        names=names,
        new_codes=sorted(set(names) - known),
        already=already,
    )


def _who(entry: Listed) -> str:
    return f"{entry.name} ({entry.code})" if entry.name else entry.code


def _named(names: dict[str, str], code: str, name: str) -> None:
    """Remember the first name the file gives an authority (a wide file may give none)."""
    if name or code not in names:
        names[code] = names.get(code) or name[: max_length(Authority, "name")]


def _neighbour(
    entry: Listed,
    rank: int,
    code: str,
    proximity: str,
    line: int,
    columns: tuple[str, str],
    problem: Problem,
) -> None:
    """Add one neighbour to an authority's list, or name why it cannot be. `columns` are
    those of its code and its proximity."""
    column, proximity_column = columns
    if code == entry.code:
        problem(
            line,
            column,
            f'"{code}" is {_who(entry)} itself: an authority is not its own neighbour. Give '
            "the neighbour the DfE lists at this rank.",
        )
        return
    if rank in entry.neighbours:
        problem(
            line,
            "sn",
            f"{_who(entry)} already has a neighbour ranked {rank} (row "
            f"{entry.neighbours[rank][2]}). Give each of its neighbours its own rank, 1 to 10.",
        )
        return
    for other_rank, (other, _, other_line) in entry.neighbours.items():
        if other == code:
            problem(
                line,
                column,
                f'"{code}" is already {_who(entry)}\'s neighbour {other_rank} (row '
                f"{other_line}). List each neighbour once.",
            )
            return
    if len(proximity) > max_length(Neighbour, "proximity"):
        problem(
            line,
            proximity_column,
            f"is longer than {max_length(Neighbour, 'proximity')} characters. Give the "
            "proximity as the DfE words it, such as Very close.",
        )
        return
    entry.neighbours[rank] = (code, proximity, line)


def _authority(
    record: dict[str, str],
    line: int,
    codes: Codes,
    listed: dict[str, Listed],
    names: dict[str, str],
    problem: Problem,
) -> Listed | None:
    code, wrong = codes.read(record["la_code"])
    if wrong:
        problem(line, "la_code", wrong)
        return None
    name = record.get("la_name", "")
    _named(names, code, name)
    if code not in listed:
        listed[code] = Listed(code, names[code], line)
    return listed[code]


def _long(
    records: list[dict[str, str]],
    codes: Codes,
    listed: dict[str, Listed],
    names: dict[str, str],
    problem: Problems,
) -> None:
    for position, record in enumerate(records):
        line, before = position + 2, len(problem)
        entry = _authority(record, line, codes, listed, names, problem)
        rank = _rank(record["sn"], line, problem)
        code, wrong = codes.read(record["sn_code"])
        if wrong:
            problem(line, "sn_code", wrong)
        if entry is not None and rank is not None and not wrong:
            _named(names, code, record["sn_name"])
            _neighbour(entry, rank, code, record["sn_prox"], line, ("sn_code", "sn_prox"), problem)
        if entry is not None and len(problem) > before:
            entry.faulty = True


def _rank(raw: str, line: int, problem: Problem) -> int | None:
    if raw.isdigit() and int(raw) in RANKS:
        return int(raw)
    problem(
        line,
        "sn",
        f'"{raw[:20]}" is not a rank from 1 to 10. Rank each authority\'s ten neighbours 1 '
        "(closest) to 10, as the DfE lists them.",
    )
    return None


def _wide(
    records: list[dict[str, str]],
    columns: list[str],
    codes: Codes,
    listed: dict[str, Listed],
    names: dict[str, str],
    problem: Problems,
) -> None:
    ranked: dict[int, str] = {}
    named: dict[int, str] = {}
    proximities: dict[int, str] = {}
    for column in columns:
        for pattern, into in (
            (WIDE_RANK, ranked),
            (WIDE_NAME, named),
            (WIDE_PROXIMITY, proximities),
        ):
            found = pattern.match(column)
            if found:
                into[int(found.group(1))] = column
    for position, record in enumerate(records):
        line = position + 2
        count = len(listed)
        entry = _authority(record, line, codes, listed, names, problem)
        if entry is None:
            continue
        if len(listed) == count:  # no new authority: this one has a row already
            problem(
                line,
                "la_code",
                f'"{entry.code}" is listed already (row {entry.line}). Give each authority '
                "one row, its ten neighbours across it.",
            )
            continue
        before = len(problem)
        for rank in RANKS:
            column = ranked[rank]
            if not record[column]:
                problem(
                    line,
                    column,
                    f"is empty. Give the ONS code of {_who(entry)}'s neighbour ranked {rank}.",
                )
                continue
            code, wrong = codes.read(record[column])
            if wrong:
                problem(line, column, wrong)
                continue
            _named(names, code, record.get(named.get(rank, ""), ""))
            proximity_column = proximities.get(rank, f"{column}_prox")
            proximity = record.get(proximity_column, "")
            _neighbour(entry, rank, code, proximity, line, (column, proximity_column), problem)
        entry.faulty = len(problem) > before


@transaction.atomic
def neighbours_save(plan: NeighbourPlan, *, by: User | None = None) -> NeighboursSaved:
    """Save a checked file as a new version of the DfE's statistical neighbours, with the
    authorities the portal meets for the first time; nothing when this very file of this
    release was imported already. The comparators are told once the save commits."""
    if plan.already is not None:
        return NeighboursSaved(plan.already, None, created=False)
    new = [
        Authority(code=code, name=plan.names.get(code) or code, level=Level.LOCAL_AUTHORITY)
        for code in plan.new_codes
    ]
    copy_create_with_history(new, by=by)
    ids = dict(Authority.objects.filter(code__in=list(plan.names)).values_list("code", "pk"))
    record = Import.objects.create(
        kind=Import.Kind.NEIGHBOURS,
        source=SOURCE,
        file_name=plan.file_name[:200],
        sha256=plan.sha256,
        rows_read=plan.rows_read,
        rows_added=plan.neighbour_count,
        imported_by=by,
    )
    neighbour_set = NeighbourSet.objects.create(
        kind=NeighbourSet.Kind.DFE,
        name=SET_NAME,
        model=MODEL,
        release=plan.release,
        effective_from=plan.effective_from,
        source_import=record,
        created_by=by,
    )
    Neighbour.objects.bulk_create(
        [
            Neighbour(
                neighbour_set=neighbour_set,
                authority_id=ids[entry.code],
                neighbour_id=ids[code],
                rank=rank,
                proximity=proximity,
            )
            for entry in plan.listed.values()
            for rank, (code, proximity, _) in sorted(entry.neighbours.items())
        ]
    )
    transaction.on_commit(lambda: published_data_changed.send(sender=Import, record=record))
    return NeighboursSaved(neighbour_set, record, created=True, authorities_added=len(new))


def neighbours_import(
    path: Path,
    *,
    release: str = "",
    effective_from: datetime.date | None = None,
    by: User | None = None,
    file_name: str = "",
) -> tuple[NeighbourPlan, NeighboursSaved]:
    """Check and save a file in one step (the command; the upload page checks first)."""
    name = file_name or path.name
    plan = neighbours_check(
        read_table(path, name),
        file_name=name,
        sha256=sha256_of(path),
        release=release,
        effective_from=effective_from,
    )
    return plan, neighbours_save(plan, by=by)
