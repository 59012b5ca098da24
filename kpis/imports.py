"""Importing measurements from CSV or XLSX (docs/imports.md, "KPI values").

All or nothing: every row is checked first and each problem named (row, column, fix); then
new values are added and existing ones (same indicator, period and area) updated in bulk, the
old value kept in the history. A preview says what will change before anything is saved.

Every row is checked by the one rule for a KPI value (kpis/validity.py), which the values form
also calls. Speed (docs/performance.md): a file of 100,000 rows is first sifted column by
column with pandas, and rows certainly good in the plainest form (a known code, YYYY-MM-DD
dates, a known area, plain decimal numbers well within the rule) pass without a Python loop.
The sieve never refuses a row: every row it does not pass goes through `_check_row` and the
rule, which name each problem. New values and their history are written with COPY
(send_qa/core/bulk.py).
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from kpis.cache import data_changed
from kpis.models import LA_CODE, Area, Indicator, Measurement, StagedImport, StagedValue, Unit
from kpis.validity import LABEL_LENGTH, kept, measurement_problems
from send_qa.core.bulk import frame_copy, query_create_with_history, query_update_with_history
from send_qa.core.import_templates import TemplateColumn
from send_qa.core.lazy import lazy_module
from send_qa.core.models import User
from send_qa.core.tables import ImportProblem, TableImportError, read_table

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")


__all__ = ["ImportProblem", "TableImportError", "read_table", "measurements_check"]


def template_columns(example: Indicator | None = None) -> tuple[TemplateColumn, ...]:
    """The columns of a KPI file, as the import reads them and its template shows them, with
    an example row for `example` (its own values for a computed one are the portal's)."""
    computed = example is not None and example.computed
    return (
        TemplateColumn(
            "indicator_code",
            example.code if example else "",
            required=True,
            hint="An indicator's code as the portal shows it under Indicators.",
        ),
        TemplateColumn("period_start", "2024-04-01", required=True, hint="YYYY-MM-DD."),
        TemplateColumn("period_end", "2025-03-31", required=True, hint="YYYY-MM-DD."),
        TemplateColumn(
            "area",
            Area.ENGLAND.value if computed else Area.LOCAL.value,
            required=True,
            allowed=tuple(Area.values),
            hint="Or la: and a local authority's DfE number, such as la:873.",
        ),
        TemplateColumn(
            "value",
            "50",
            required=True,
            hint="A number in the indicator's unit, digits only, such as 72.5.",
        ),
        TemplateColumn("period_label", "2024-25", hint="How the period is named on pages."),
        TemplateColumn("numerator", hint="For a percentage: how many met the measure."),
        TemplateColumn("denominator", hint="For a percentage: how many there were."),
        TemplateColumn("commentary", hint="A note on the value."),
    )


def example_indicator() -> Indicator | None:
    """The indicator the template's example row is about: one the council enters itself."""
    return Indicator.objects.order_by("computed", "code").first()


REQUIRED = [column.heading for column in template_columns() if column.required]
OPTIONAL = [column.heading for column in template_columns() if not column.required]
MAX_ROWS = 200_000
AREA_VALUES = frozenset(Area.values)
PREVIEW_ROWS = 50
STAGED_FOR = datetime.timedelta(hours=2)


NUMBERS = ("value", "numerator", "denominator")
# Below 10**11, kept as written (at most 3 decimal places), exact enough as a float to compare.
PLAIN_NUMBER = r"-?\d{1,11}(?:\.\d{1,3})?"
PLAIN_DATE = r"\d{4}-\d{2}-\d{2}"
# A value at most this far from numerator / denominator passes; the row-by-row check decides
# the rows near the edge, where a float and a Decimal could disagree.
MATCH_MARGIN = 0.1 - 1e-6


COLUMNS = [
    "row",
    "indicator_id",
    "period_start",
    "period_end",
    "period_label",
    "area",
    "value",
    "numerator",
    "denominator",
    "commentary",
]


@dataclass
class RowChange:
    """One row of the preview: what the row will do to the stored value."""

    row: int
    measurement: Measurement
    old_value: Decimal | None = None
    action: str = "add"  # "add" or "update"


@dataclass
class ImportPlan:
    """What importing a checked file does. `rows` holds every good row, one per stored value,
    with its row number and its values as text ready for the database (`COLUMNS`); the counts
    and the first changes come from matching them with the stored values in SQL."""

    rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COLUMNS))
    given: list[str] = field(default_factory=lambda: ["value"])
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[RowChange] = field(default_factory=list)

    def preview(self, limit: int = PREVIEW_ROWS) -> list[RowChange]:
        """The first rows that change something, for the page that asks to confirm."""
        return self.changes[:limit]


def _number(text: str) -> Decimal | None:
    text = text.strip().replace(",", "")
    if text == "":
        return None
    try:
        number = Decimal(text.rstrip("%"))
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite():
        raise ValueError
    return number


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text.strip()[:10])


def _column_problems(frame: pd.DataFrame) -> list[ImportProblem]:
    missing = [c for c in REQUIRED if c not in frame.columns]
    unknown = [c for c in frame.columns if c not in REQUIRED + OPTIONAL]
    problems = [
        ImportProblem(None, c, "this required column is missing. Add it with this header.")
        for c in missing
    ] + [
        ImportProblem(
            None,
            c,
            f"is not a column the import knows. Use only: {', '.join(REQUIRED + OPTIONAL)}.",
        )
        for c in unknown
    ]
    if not problems and len(frame) > MAX_ROWS:
        problems.append(
            ImportProblem(
                None,
                None,
                f"The file has {len(frame):,} rows; split it into files of at most {MAX_ROWS:,}.",
            )
        )
    return problems


def measurements_check(frame: pd.DataFrame, *, vectorised: bool = True) -> ImportPlan:
    """Check every row and say what importing would do; raise TableImportError if any is bad.
    `vectorised=False` sends every row through the row-by-row rules (for the tests)."""
    plan = _checked(frame, vectorised=vectorised)
    with transaction.atomic():
        rows = _temporary(plan.rows)
        _matched(plan, rows)
        rows.drop()
    return plan


def _checked(frame: pd.DataFrame, *, vectorised: bool = True) -> ImportPlan:
    """The file's good rows, or TableImportError naming every problem (reads no stored value)."""
    problems = _column_problems(frame)
    if problems:
        raise TableImportError(problems)
    # An optional column left out of the file leaves stored values alone; one that is there
    # but empty clears them.
    given = ["value", *[c for c in OPTIONAL if c in frame.columns]]
    frame = frame.reset_index(drop=True).astype(object)
    for column in OPTIONAL:
        if column not in frame.columns:
            frame[column] = ""
    indicators = {i.code: i for i in Indicator.objects.all()}
    plain = _plain_rows(frame, indicators) if vectorised else pd.DataFrame()
    others = frame.index.difference(plain.index) if len(plain) else frame.index
    checked = [
        _check_row(int(index) + 2, record, indicators, problems)
        for index, record in zip(others, frame.loc[others].to_dict("records"), strict=True)
    ]
    rows = [row for row in checked if row is not None]
    good = pd.concat(
        [frame_ for frame_ in (plain, pd.DataFrame(rows, columns=COLUMNS)) if len(frame_)]
        or [pd.DataFrame(columns=COLUMNS)],
        ignore_index=True,
    )
    good = good.astype({"row": "int64", "indicator_id": "int64"}).sort_values("row", kind="stable")
    good = _without_repeats(good, problems)
    if problems:
        raise TableImportError(sorted(problems, key=lambda p: p.row or 0))
    return ImportPlan(rows=good[COLUMNS].reset_index(drop=True), given=given)


def _each_once(series: pd.Series, work: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """`work` done on each distinct cell once and given to every cell that holds it: a file
    holds few distinct codes, dates, areas and labels, so the text work is on a few hundred
    cells rather than 100,000 (the same result: every step is cell by cell)."""
    codes, distinct = pd.factorize(series, use_na_sentinel=False)
    done = work(pd.Series(distinct, dtype=object)).to_numpy()
    return pd.Series(done[codes], index=series.index)


def _plain_rows(frame: pd.DataFrame, indicators: dict[str, Indicator]) -> pd.DataFrame:
    """The rows that are certainly good, found column by column, as `_check_row` would give
    them. It only passes rows: anything unusual, or near an edge of the rule, is left for
    `_check_row`, which decides and names the problem."""
    code = _each_once(frame["indicator_code"], lambda cells: cells.str.strip().str.upper())
    known = code.isin(list(indicators))
    dates: dict[str, tuple[pd.Series, pd.Series]] = {}
    ok = known.copy()
    for column in ("period_start", "period_end"):
        text = _each_once(frame[column], lambda cells: cells.str.strip().str.slice(0, 10))
        # Each distinct date is read once, as the row-by-row check reads it.
        parsed = _each_once(text, lambda days: days.map(_plain_date))
        ok &= parsed.notna()
        dates[column] = (text, parsed)
    ok &= (dates["period_end"][1].fillna("") >= dates["period_start"][1].fillna("")).astype(bool)
    area = _each_once(frame["area"], lambda cells: cells.str.strip().str.lower())
    ok &= _each_once(area, lambda areas: areas.map(_plain_area)).astype(bool)
    numbers: dict[str, tuple[pd.Series, pd.Series]] = {}
    for column in NUMBERS:
        text = _each_once(
            frame[column],
            lambda cells: cells.str.strip().str.replace(",", "", regex=False).str.rstrip("%"),
        )
        number = _each_once(text, _plain_number).astype(float)
        ok &= number.notna() | ((text == "") & (column != "value"))
        numbers[column] = (text, number)
    label = _each_once(frame["period_label"], lambda cells: cells.str.strip())
    ok &= _each_once(label, lambda labels: labels.str.len() <= LABEL_LENGTH).astype(bool)
    unit = code.map({c: i.unit for c, i in indicators.items()})
    computed = code.map({c: i.computed for c, i in indicators.items()}).eq(True)
    value = numbers["value"][1]
    percentage = unit == Unit.PERCENTAGE
    ok &= np.where(percentage, (value >= 0) & (value <= 100), value >= 0)
    numerator, denominator = numbers["numerator"][1], numbers["denominator"][1]
    ok &= numerator.isna() | (numerator >= 0)
    ok &= denominator.isna() | (denominator > 0)
    both = percentage & numerator.notna() & denominator.notna()
    ratio = 100 * numerator / denominator.where(denominator > 0, np.nan)
    ok &= ~both | ((ratio - value).abs() <= MATCH_MARGIN)
    ok &= ~(computed & (area == Area.LOCAL))
    ok = ok.fillna(False).astype(bool)

    def as_text(series: pd.Series) -> pd.Series:  # plain Python strings, None for an empty cell
        return series[ok].astype(object).where(series[ok] != "", None)

    return pd.DataFrame(
        {
            "row": frame.index[ok] + 2,
            "indicator_id": code[ok].map({c: i.pk for c, i in indicators.items()}),
            "period_start": dates["period_start"][0][ok].astype(object),
            "period_end": dates["period_end"][0][ok].astype(object),
            "period_label": label[ok].astype(object),
            "area": area[ok].astype(object),
            "value": numbers["value"][0][ok].astype(object),
            "numerator": as_text(numbers["numerator"][0]),
            "denominator": as_text(numbers["denominator"][0]),
            "commentary": _each_once(frame["commentary"], lambda cells: cells.str.strip())[ok],
        },
        index=frame.index[ok],
    )


def _plain_area(area: str) -> bool:
    return area in AREA_VALUES or bool(LA_CODE.match(area))


def _plain_number(texts: pd.Series) -> pd.Series:
    """The number of each text written in the plainest form, else NaN."""
    return pd.to_numeric(texts.where(texts.str.fullmatch(PLAIN_NUMBER), None), errors="coerce")


def _plain_date(text: str) -> str | None:
    """The date as YYYY-MM-DD when it is written exactly so and exists, else None."""
    if not re.fullmatch(PLAIN_DATE, text):
        return None
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def _text(number: Decimal | None) -> str | None:
    return None if number is None else format(number, "f")


def _check_row(
    row: int,
    record: dict[Hashable, Any],  # one row of the file, every cell text
    indicators: dict[str, Indicator],
    problems: list[ImportProblem],
) -> list[object] | None:
    """One row read cell by cell, then checked by the one rule for a KPI value
    (kpis/validity.py): its values as `COLUMNS`, or None with its problems added."""
    before = len(problems)

    def problem(column: str, message: str) -> None:
        problems.append(ImportProblem(row, column, message))

    code = record["indicator_code"].strip().upper()
    indicator = indicators.get(code)
    if indicator is None:
        problem(
            "indicator_code",
            f"{code or 'an empty code'} is not an indicator. Use one of: "
            f"{', '.join(sorted(indicators))}.",
        )
    dates: dict[str, datetime.date] = {}
    for column in ("period_start", "period_end"):
        try:
            dates[column] = _date(record[column])
        except ValueError:
            problem(
                column,
                f"{record[column]!r} is not a date. Write it as YYYY-MM-DD, for example 2026-08-31.",
            )
    numbers: dict[str, Decimal | None] = {}
    for column in NUMBERS:
        try:
            numbers[column] = kept(_number(record.get(column, "")))
        except ValueError:
            problem(
                column,
                f"{record.get(column)!r} is not a number. Write digits only, for example 72.5.",
            )
    if "value" in numbers and numbers["value"] is None:
        problem("value", "is empty. Give the value, or leave the row out.")
    area = record["area"].strip().lower()
    label = record.get("period_label", "").strip()
    for found in measurement_problems(
        unit=indicator.unit if indicator else None,
        computed=bool(indicator and indicator.computed),
        code=code,
        period_start=dates.get("period_start"),
        period_end=dates.get("period_end"),
        area=area,
        value=numbers.get("value"),
        numerator=numbers.get("numerator"),
        denominator=numbers.get("denominator"),
        period_label=label,
    ):
        problem(found.field, found.message)
    if len(problems) > before or indicator is None:  # an unknown code is one of the problems
        return None
    return [
        row,
        indicator.pk,
        dates["period_start"].isoformat(),
        dates["period_end"].isoformat(),
        label,
        area,
        _text(numbers["value"]),
        _text(numbers["numerator"]),
        _text(numbers["denominator"]),
        record.get("commentary", "").strip(),
    ]


KEY = ["indicator_id", "period_start", "period_end", "area"]


def _without_repeats(good: pd.DataFrame, problems: list[ImportProblem]) -> pd.DataFrame:
    """A value given twice (same indicator, period and area) is named on every row after the
    first good one."""
    repeated = good.duplicated(KEY, keep="first")
    if repeated.any():
        first = good.groupby(KEY, sort=False)["row"].transform("first")
        codes = dict(Indicator.objects.values_list("pk", "code"))
        problems.extend(
            ImportProblem(
                int(row),
                "indicator_code",
                f"{codes[indicator_id]} for this period and area is also on row {int(seen)}. "
                "Keep one row.",
            )
            for row, indicator_id, seen in zip(
                good["row"][repeated],
                good["indicator_id"][repeated],
                first[repeated],
                strict=True,
            )
        )
    return good[~repeated]


TEMPORARY = "kpi_import_rows"
STAGED_TABLE = StagedValue._meta.db_table
NULLABLE = list(NUMBERS)
SAME_KEY = " AND ".join(f"m.{c} = s.{c}" for c in KEY)


@dataclass(frozen=True)
class CheckedRows:
    """A checked file's rows in the database, to match and write in SQL: a temporary table
    (`measurements_import`) or one staged import's rows (the web flow)."""

    table: str
    where: str = "TRUE"
    params: tuple[Any, ...] = ()

    def drop(self) -> None:
        if self.table == TEMPORARY:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE {TEMPORARY}")


def _temporary(good: pd.DataFrame) -> CheckedRows:
    """The rows copied into a temporary table with no index (inside the caller's transaction)."""
    columns = ", ".join(COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {TEMPORARY} AS "  # noqa: S608 - names of our own
            f"SELECT {columns} FROM {STAGED_TABLE} WHERE 1 = 0"
        )
    frame_copy(TEMPORARY, good[COLUMNS], nullable=NULLABLE)
    _analyze(TEMPORARY)
    return CheckedRows(TEMPORARY)


def _analyze(table: str) -> None:
    """Tell PostgreSQL's planner how many rows were staged, and their keys (else it guesses a
    few thousand and may sort both sides to match them)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table} ({', '.join(KEY)})")


def _same(given: list[str]) -> str:
    """SQL: the stored value m holds what the checked row s gives (numbers compared as numbers)."""
    return " AND ".join(f"s.{c} IS NOT DISTINCT FROM m.{c}" for c in given)


def _matched(plan: ImportPlan, rows: CheckedRows, *, limit: int = PREVIEW_ROWS) -> str:
    """Fill in the plan's counts and first changes by matching its rows with the stored values
    in SQL (two queries); return what the stored values it touches are now (their number, ids
    and latest change), to tell later whether they changed since."""
    table, measurements = rows.table, Measurement._meta.db_table
    joined = (
        f"FROM {table} AS s LEFT JOIN {measurements} AS m ON {SAME_KEY} "  # noqa: S608 - names of our own
        f"WHERE {rows.where}"
    )
    same = _same(plan.given)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FILTER (WHERE m.id IS NULL), "  # noqa: S608 - names of our own
            f"COUNT(*) FILTER (WHERE m.id IS NOT NULL AND NOT ({same})), "
            f"COUNT(m.id), COALESCE(SUM(m.id), 0), MAX(m.updated_at) {joined}",
            rows.params,
        )
        added, updated, matched, ids, latest = cursor.fetchone()
        changing = []
        if limit:
            cursor.execute(
                "SELECT s.row, s.indicator_id, s.period_start, s.period_end, s.period_label, "  # noqa: S608
                f"s.area, s.value, m.value, m.id IS NULL {joined} "
                f"AND (m.id IS NULL OR NOT ({same})) ORDER BY s.row LIMIT %s",
                [*rows.params, limit],
            )
            changing = cursor.fetchall()
    plan.added, plan.updated, plan.unchanged = added, updated, matched - updated
    indicators = Indicator.objects.in_bulk({row[1] for row in changing})
    plan.changes = [
        RowChange(
            row=row,
            measurement=Measurement(
                indicator=indicators[indicator_id],
                period_start=_as_date(start),
                period_end=_as_date(end),
                period_label=label,
                area=area,
                value=Decimal(str(value)),
            ),
            old_value=None if new else Decimal(str(old)),
            action="add" if new else "update",
        )
        for row, indicator_id, start, end, label, area, value, old, new in changing
    ]
    return f"{matched}:{ids}:{latest}"


def _as_date(value: datetime.date | str) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _written(
    plan: ImportPlan, rows: CheckedRows, *, by: User | None, total: int, counted: bool = False
) -> ImportPlan:
    """Write checked rows: new values added, stored values they change updated, each with its
    history, in statements that read the rows and the stored values in SQL. A statement is
    left out when it has nothing to do: by the plan's counts (`counted` just now, under a
    lock), or, uncounted, the update when every row was new (a file of new values is then
    matched once, not twice)."""
    table, measurements = rows.table, Measurement._meta.db_table
    given = plan.given
    if plan.added or not counted:
        plan.added = query_create_with_history(
            Measurement,
            COLUMNS[1:],
            f"SELECT {', '.join(f's.{c}' for c in COLUMNS[1:])} FROM {table} AS s "  # noqa: S608
            f"WHERE {rows.where} AND NOT EXISTS "
            f"(SELECT 1 FROM {measurements} AS m WHERE {SAME_KEY})",
            rows.params,
            by=by,
        )
    # A row just added holds what its checked row gives, so the update never touches it.
    if plan.updated if counted else plan.added < total:
        plan.updated = query_update_with_history(
            Measurement,
            ["id", *given],
            f"SELECT m.id, {', '.join(f's.{c}' for c in given)} FROM {table} AS s "  # noqa: S608
            f"JOIN {measurements} AS m ON {SAME_KEY} WHERE {rows.where} AND NOT ({_same(given)})",
            rows.params,
            by=by,
        )
    else:
        plan.updated = 0
    plan.unchanged = total - plan.added - plan.updated
    data_changed()  # bulk writes send no signals
    return plan


def measurements_import(frame: pd.DataFrame, *, by: User | None = None) -> ImportPlan:
    """Check a file and write it at once (the command, the bench): all or nothing."""
    plan = _checked(frame)
    with transaction.atomic():
        rows = _temporary(plan.rows)
        _written(plan, rows, by=by, total=len(plan.rows))
        rows.drop()
    return plan


class StagedImportGone(Exception):
    """The staged import is not there to confirm (expired, another person's, or imported)."""


@dataclass
class Confirmation:
    """What confirming a staged import did: `imported`, or not because the stored values
    changed since the preview (`plan` then says what importing would do now)."""

    plan: ImportPlan
    imported: bool


def measurements_stage(
    frame: pd.DataFrame, *, by: User, name: str
) -> tuple[StagedImport, ImportPlan]:
    """Step 1 of the web flow: check the file once and keep its checked rows for the
    confirmation; what they would do, for the preview."""
    plan = _checked(frame)
    staged_imports_forget()
    with transaction.atomic():
        staged = StagedImport.objects.create(user=by, name=name[:255], given=plan.given)
        frame_copy(
            STAGED_TABLE,
            plan.rows[COLUMNS].assign(staged_import_id=staged.pk),
            nullable=NULLABLE,
        )
        _analyze(STAGED_TABLE)
        staged.stored_seen = _matched(plan, _staged_rows(staged))
        staged.added, staged.updated, staged.unchanged = plan.added, plan.updated, plan.unchanged
        staged.save(update_fields=["stored_seen", "added", "updated", "unchanged"])
    return staged, plan


def _staged_rows(staged: StagedImport) -> CheckedRows:
    return CheckedRows(STAGED_TABLE, "s.staged_import_id = %s", (staged.pk,))


def staged_import_for(user: User, token: object) -> StagedImport | None:
    """The person's own staged import of this token, while it is kept; None else."""
    if not isinstance(token, str):
        return None
    try:
        key = uuid.UUID(token)
    except ValueError:
        return None
    return StagedImport.objects.filter(
        token=key, user=user, checked_at__gte=timezone.now() - STAGED_FOR
    ).first()


def staged_import_confirm(staged: StagedImport, *, by: User) -> Confirmation:
    """Step 2: write the staged rows without reading the file again. Refused (nothing
    written, the preview brought up to date) when the stored values it touches changed since
    the preview; a staged import is written once, however often it is confirmed."""
    with transaction.atomic():
        locked = StagedImport.objects.select_for_update().filter(pk=staged.pk).first()
        if locked is None or locked.imported_at is not None:
            raise StagedImportGone
        if connection.vendor == "postgresql":  # no other write between this check and ours
            with connection.cursor() as cursor:
                cursor.execute(
                    f"LOCK TABLE {Measurement._meta.db_table} IN SHARE ROW EXCLUSIVE MODE"
                )
        rows = _staged_rows(locked)
        plan = ImportPlan(given=list(locked.given))
        seen = _matched(plan, rows, limit=0)
        if seen != locked.stored_seen:
            _matched(plan, rows)  # with its first changes, for the preview shown again
            locked.stored_seen = seen
            locked.added, locked.updated, locked.unchanged = (
                plan.added,
                plan.updated,
                plan.unchanged,
            )
            locked.save(update_fields=["stored_seen", "added", "updated", "unchanged"])
            return Confirmation(plan, imported=False)
        total = plan.added + plan.updated + plan.unchanged
        _written(plan, rows, by=by, total=total, counted=True)
        locked.imported_at = timezone.now()
        locked.save(update_fields=["imported_at"])
        StagedValue.objects.filter(staged_import=locked).delete()
    return Confirmation(plan, imported=True)


def staged_imports_forget(*, now: datetime.datetime | None = None) -> int:
    """Staged imports older than `STAGED_FOR`, and their rows, are removed."""
    old = StagedImport.objects.filter(checked_at__lt=(now or timezone.now()) - STAGED_FOR)
    StagedValue.objects.filter(staged_import__in=old).delete()
    deleted, _ = old.delete()
    return deleted
