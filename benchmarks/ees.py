"""Importing a DfE explore-education-statistics CSV exactly as downloaded (docs/imports.md).

All or nothing: every row is read first and each problem named (row, column, fix); then the
rows are written at once. A row is keyed by table, period as published, authority and
breakdown; re-importing the same release changes nothing, a newer release updates the cells
that changed and keeps what they were in the history. Every authority is keyed by its ONS
code: the DfE's 3-digit number is kept as an alias, a predecessor's code is read as its
successor's where the lineage says the series continues (`benchmarks.models.Lineage`).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import transaction

from benchmarks.models import (
    ENGLAND,
    LA_ONS_CODE,
    OLD_LA_CODE,
    Authority,
    Import,
    Level,
    Lineage,
    PublishedRow,
    cell_read,
)
from benchmarks.periods import PeriodProblem, published_period
from benchmarks.registry import Table, is_headline, table_for
from send_qa.core.bulk import copy_create_with_history, frame_update_with_history
from send_qa.core.lazy import lazy_module
from send_qa.core.models import User
from send_qa.core.tables import ImportProblem, TableImportError, read_table

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")


MAX_ROWS = 500_000
MAX_PROBLEMS = 200
REGION_CODE_PREFIX = "E12"
LEVELS = {
    "national": Level.NATIONAL,
    "regional": Level.REGIONAL,
    "local authority": Level.LOCAL_AUTHORITY,
}
TEXT_LENGTH = 200  # breakdown_topic, breakdown


@dataclass
class Area:
    """An authority as a file names it."""

    code: str
    old_code: str
    name: str
    level: str
    region_code: str | None
    region_name: str = ""
    latest: datetime.date = datetime.date.min  # the latest period that named it


@dataclass
class Row:
    line: int
    time_period: str
    time_identifier: str
    period_start: datetime.date
    period_end: datetime.date
    code: str  # the authority it is kept under (after lineage)
    published_code: str  # as the file gave it, when lineage changed it
    breakdown_topic: str
    breakdown: str
    cells: dict[str, str]

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (
            self.time_identifier,
            self.time_period,
            self.code,
            self.breakdown_topic,
            self.breakdown,
        )

    @property
    def headline(self) -> bool:
        return is_headline(self.breakdown_topic, self.breakdown)


class Stored(NamedTuple):
    """What is held of a row already imported: enough to tell whether the file changes it."""

    pk: int
    cells: dict[str, str]
    published_code: str


@dataclass
class DfePlan:
    """A checked file, ready to save."""

    table: Table
    file_name: str
    sha256: str
    rows: list[Row]
    areas: dict[str, Area]
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    _stored: dict[tuple[str, str, str, str, str], Stored] = field(default_factory=dict)

    @property
    def periods(self) -> list[str]:
        return sorted({r.time_period for r in self.rows})


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def dfe_file_check(
    frame: pd.DataFrame, *, file_name: str, sha256: str, source: str | None = None
) -> DfePlan:
    """Read every row of a published file; raise TableImportError naming every problem."""
    found = table_for(list(frame.columns), source=source)
    if not isinstance(found, Table):
        raise TableImportError([ImportProblem(None, None, message) for message in found])
    table = found
    if frame.empty:
        raise TableImportError([ImportProblem(None, None, "The file has headings but no rows.")])
    if len(frame) > MAX_ROWS:
        raise TableImportError(
            [ImportProblem(None, None, f"The file has more than {MAX_ROWS:,} rows: split it.")]
        )
    problems: list[ImportProblem] = []
    successors = {
        lineage.predecessor_code: lineage.successor.code
        for lineage in Lineage.objects.filter(continues_series=True).select_related("successor")
    }
    old_codes = dict(
        Authority.objects.local_authorities().exclude(old_code="").values_list("old_code", "code")
    )
    areas: dict[str, Area] = {}
    rows: list[Row] = []
    seen: dict[tuple[str, str, str, str, str], int] = {}
    measures = [m for m in table.measures if m in frame.columns]
    periods: dict[tuple[str, str], tuple[datetime.date, datetime.date] | str] = {}
    for position, record in enumerate(frame.to_dict("records")):
        line = position + 2
        if len(problems) >= MAX_PROBLEMS:
            problems.append(
                ImportProblem(None, None, f"More than {MAX_PROBLEMS} problems: showing the first.")
            )
            break
        row = _row(record, line, measures, problems, periods, areas, successors, old_codes)
        if row is None:
            continue
        if row.key in seen:
            problems.append(
                ImportProblem(
                    line,
                    "breakdown",
                    f"repeats row {seen[row.key]} (same period, area and breakdown). "
                    "Remove one of the two rows.",
                )
            )
            continue
        seen[row.key] = line
        rows.append(row)
    if problems:
        raise TableImportError(problems)
    plan = DfePlan(table=table, file_name=file_name, sha256=sha256, rows=rows, areas=areas)
    _compare(plan)
    return plan


def _row(
    record: dict[Hashable, Any],
    line: int,
    measures: list[str],
    problems: list[ImportProblem],
    periods: dict[tuple[str, str], tuple[datetime.date, datetime.date] | str],
    areas: dict[str, Area],
    successors: dict[str, str],
    old_codes: dict[str, str],
) -> Row | None:
    count = len(problems)

    def problem(column: str, message: str) -> None:
        problems.append(ImportProblem(line, column, message))

    text = {str(k): str(v).strip() for k, v in record.items()}
    time_period, time_identifier = text["time_period"], text["time_identifier"]
    period = periods.get((time_period, time_identifier))
    if period is None:
        try:
            read = published_period(time_period, time_identifier)
            period = periods[(time_period, time_identifier)] = (read.start, read.end)
        except PeriodProblem as error:
            period = periods[(time_period, time_identifier)] = str(error)
    if isinstance(period, str):
        problem("time_period", period + ".")
    area = _area(text, problem)
    for column in ("breakdown_topic", "breakdown"):
        if not text[column]:
            problem(column, "is empty. Give the breakdown as the DfE publishes it.")
        elif len(text[column]) > TEXT_LENGTH:
            problem(column, f"is longer than {TEXT_LENGTH} characters.")
    cells: dict[str, str] = {}
    for measure in measures:
        raw = text[measure]
        if cell_read(raw) is None:
            problem(
                measure,
                f'"{raw[:40]}" is neither a number nor one of the DfE\'s markers '
                "(x not available, c confidential, z not applicable, low, u low reliability). "
                "Correct the cell as published.",
            )
        cells[measure] = raw
    if len(problems) > count or area is None or isinstance(period, str):
        return None
    published_code = area.code
    if area.level == Level.LOCAL_AUTHORITY:
        if not area.code:
            area.code = old_codes.get(area.old_code, "")
            if not area.code:
                problem(
                    "new_la_code",
                    f"is empty and the DfE number {area.old_code} is of no authority the portal "
                    "knows yet. Give the authority's ONS code (E06, E08, E09 or E10 and six "
                    "digits).",
                )
                return None
            published_code = ""
        successor = successors.get(area.code)
        if successor:
            area = Area(successor, "", "", Level.LOCAL_AUTHORITY, area.region_code)
        else:
            published_code = ""
    else:
        published_code = ""
    _remember(areas, area, period[0])
    return Row(
        line=line,
        time_period=time_period,
        time_identifier=time_identifier,
        period_start=period[0],
        period_end=period[1],
        code=area.code,
        published_code=published_code,
        breakdown_topic=text["breakdown_topic"],
        breakdown=text["breakdown"],
        cells=cells,
    )


def _remember(areas: dict[str, Area], area: Area, start: datetime.date) -> None:
    """Keep each authority as the file's latest period names it (names change: "Bristol" became
    "Bristol, City of"); a row read through lineage names no one and changes nothing."""
    known = areas.get(area.code)
    if known is None:
        areas[area.code] = area
        area.latest = start
    elif area.name and start >= known.latest:
        area.old_code = area.old_code or known.old_code
        areas[area.code] = area
        area.latest = start


def _area(text: dict[str, str], problem: Any) -> Area | None:
    level = LEVELS.get(text["geographic_level"].lower())
    if level is None:
        problem(
            "geographic_level",
            f'"{text["geographic_level"]}" is not a level the portal keeps: use National, '
            "Regional or Local authority.",
        )
        return None
    if level == Level.NATIONAL:
        if text["country_code"] != ENGLAND:
            problem(
                "country_code",
                f'"{text["country_code"]}" is not England: the portal keeps England\'s figures '
                f"({ENGLAND}).",
            )
            return None
        return Area(ENGLAND, "", text["country_name"] or "England", level, None)
    region = text["region_code"]
    if not (region.startswith(REGION_CODE_PREFIX) and len(region) == 9 and region[3:].isdigit()):
        problem(
            "region_code",
            f'"{region}" is not a region\'s ONS code: use E12 and six digits, as published.',
        )
        return None
    if level == Level.REGIONAL:
        return Area(region, "", text["region_name"], level, None)
    code, old = text["new_la_code"], text["old_la_code"]
    if old and not OLD_LA_CODE.match(old):
        problem("old_la_code", f'"{old}" is not a DfE local authority number (three digits).')
        return None
    if code and not LA_ONS_CODE.match(code):
        problem(
            "new_la_code",
            f'"{code}" is not a local authority\'s ONS code: use E06, E08, E09 or E10 and six '
            "digits, as published.",
        )
        return None
    if not code and not old:
        problem("new_la_code", "is empty: give the authority's ONS code as published.")
        return None
    return Area(code, old, text["la_name"], level, region, text["region_name"])


def _compare(plan: DfePlan) -> None:
    """Count what saving would add, change and leave as it is."""
    identifiers = {r.time_identifier for r in plan.rows}
    stored = PublishedRow.objects.filter(
        source=plan.table.key,
        time_identifier__in=identifiers,
        time_period__in=plan.periods,
    ).values_list(
        "id",
        "time_identifier",
        "time_period",
        "authority__code",
        "breakdown_topic",
        "breakdown",
        "cells",
        "published_code",
    )
    plan._stored = {
        (identifier, period, code, topic, breakdown): Stored(pk, cells, published_code)
        for pk, identifier, period, code, topic, breakdown, cells, published_code in stored
    }
    for row in plan.rows:
        existing = plan._stored.get(row.key)
        if existing is None:
            plan.added += 1
        elif existing.cells != row.cells or existing.published_code != row.published_code:
            plan.changed += 1
        else:
            plan.unchanged += 1


@transaction.atomic
def dfe_file_save(plan: DfePlan, *, by: User | None = None) -> Import:
    """Write a checked file at once: its authorities, new rows, changed rows (with history),
    and the record of the import."""
    authorities = _authorities_save(plan.areas)
    record = Import.objects.create(
        kind=Import.Kind.DFE_TABLE,
        source=plan.table.key,
        file_name=plan.file_name[:200],
        sha256=plan.sha256,
        rows_read=len(plan.rows),
        rows_added=plan.added,
        rows_changed=plan.changed,
        rows_unchanged=plan.unchanged,
        imported_by=by,
        progress=Import.Progress.SAVED if plan.added or plan.changed else Import.Progress.DONE,
    )
    new: list[PublishedRow] = []
    changed: list[dict[str, object]] = []
    for row in plan.rows:
        existing = plan._stored.get(row.key)
        if existing is None:
            new.append(
                PublishedRow(
                    source=plan.table.key,
                    time_period=row.time_period,
                    time_identifier=row.time_identifier,
                    period_start=row.period_start,
                    period_end=row.period_end,
                    authority_id=authorities[row.code],
                    published_code=row.published_code,
                    breakdown_topic=row.breakdown_topic,
                    breakdown=row.breakdown,
                    headline=row.headline,
                    cells=row.cells,
                    last_import=record,
                )
            )
        elif existing.cells != row.cells or existing.published_code != row.published_code:
            changed.append(
                {
                    "id": existing.pk,
                    "cells": json.dumps(row.cells),
                    "published_code": row.published_code,
                    "last_import_id": record.pk,
                }
            )
    copy_create_with_history(new, by=by)
    if changed:
        frame_update_with_history(PublishedRow, pd.DataFrame(changed).astype(str), by=by)
    return record


def _authorities_save(areas: dict[str, Area]) -> dict[str, int]:
    """Create the authorities the file names for the first time, and update names, DfE
    numbers and regions that changed. Returns the id of each by ONS code."""
    stored = {a.code: a for a in Authority.objects.filter(code__in=list(areas))}
    regions = {code for code, a in areas.items() if a.level == Level.REGIONAL}
    regions |= {a.region_code for a in areas.values() if a.region_code}
    stored |= {a.code: a for a in Authority.objects.filter(code__in=list(regions - set(stored)))}
    ordered = sorted(
        areas.values(),
        key=lambda a: list(Level).index(Level(a.level)),
    )
    region_names = {a.region_code: a.region_name for a in areas.values() if a.region_code}
    for region_code in sorted(regions - set(stored) - set(areas)):
        stored[region_code] = Authority.objects.create(
            code=region_code,
            name=region_names.get(region_code) or region_code,
            level=Level.REGIONAL,
        )
    for area in ordered:
        region = stored[area.region_code] if area.region_code else None
        authority = stored.get(area.code)
        if authority is None:
            stored[area.code] = Authority.objects.create(
                code=area.code,
                old_code=area.old_code,
                name=area.name or area.code,
                level=area.level,
                region=region,
            )
            continue
        wanted = {
            "name": area.name or authority.name,
            "old_code": area.old_code or authority.old_code,
            "level": area.level,
            "region": region if area.level == Level.LOCAL_AUTHORITY else authority.region,
        }
        if any(getattr(authority, k) != v for k, v in wanted.items()):
            for key, value in wanted.items():
                setattr(authority, key, value)
            authority.save()
    return {code: stored[code].pk for code in areas}


def dfe_file_import(
    path: Path, *, source: str | None = None, by: User | None = None, file_name: str = ""
) -> tuple[DfePlan, Import]:
    """Check and save a file in one step (the command; the upload page checks first)."""
    name = file_name or path.name
    plan = dfe_file_check(
        read_table(path, name), file_name=name, sha256=sha256_of(path), source=source
    )
    return plan, dfe_file_save(plan, by=by)
