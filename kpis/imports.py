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

import datetime
import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
import pandas as pd
from django.db import transaction

from kpis.cache import data_changed
from kpis.models import LA_CODE, Area, Indicator, Measurement, Unit
from kpis.validity import LABEL_LENGTH, kept, measurement_problems
from send_qa.core.bulk import frame_create_with_history, frame_update_with_history
from send_qa.core.import_templates import TemplateColumn
from send_qa.core.models import User
from send_qa.core.tables import ImportProblem, TableImportError, read_table

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
UPDATED_FIELDS = ["period_label", "value", "numerator", "denominator", "commentary", "updated_at"]


NUMBERS = ("value", "numerator", "denominator")
# Below 10**11, kept as written (at most 3 decimal places), exact enough as a float to compare.
PLAIN_NUMBER = r"-?\d{1,11}(?:\.\d{1,3})?"
PLAIN_DATE = r"\d{4}-\d{2}-\d{2}"
# A value at most this far from numerator / denominator passes; the row-by-row check decides
# the rows near the edge, where a float and a Decimal could disagree.
MATCH_MARGIN = 0.1 - 1e-6


@dataclass
class RowChange:
    """One row of the preview: what the row will do to the stored value."""

    row: int
    measurement: Measurement
    old_value: Decimal | None = None
    action: str = "add"  # "add", "update" or "unchanged"


@dataclass
class ImportPlan:
    """What importing a checked file would do. `rows` holds every good row, one per stored
    value, with its row number, its values as text ready for the database, and `action`:
    "add", "update" or "unchanged" (`stored_id` and `old_value` for the last two)."""

    rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["action"]))
    given: list[str] = field(default_factory=lambda: ["value"])

    def count(self, action: str) -> int:
        return int((self.rows["action"] == action).sum())

    @property
    def added(self) -> int:
        return self.count("add")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    def preview(self, limit: int) -> list[RowChange]:
        """The first `limit` rows that change something, for the page that asks to confirm."""
        changing = self.rows[self.rows["action"] != "unchanged"].head(limit)
        indicators = Indicator.objects.in_bulk(changing["indicator_id"].unique().tolist())
        return [_row_change(row, indicators) for row in changing.to_dict("records")]


def _row_change(row: dict[Hashable, Any], indicators: dict[int, Indicator]) -> RowChange:
    """One row of the plan (text cells as `COLUMNS`, the stored value a Decimal) for the preview."""
    action = str(row["action"])
    return RowChange(
        row=int(row["row"]),
        measurement=Measurement(
            indicator=indicators[int(row["indicator_id"])],
            period_start=datetime.date.fromisoformat(str(row["period_start"])),
            period_end=datetime.date.fromisoformat(str(row["period_end"])),
            period_label=str(row["period_label"]),
            area=str(row["area"]),
            value=Decimal(str(row["value"])),
        ),
        old_value=row["old_value"] if action == "update" else None,
        action=action,
    )


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
    return ImportPlan(rows=_matched(good.reset_index(drop=True), given), given=given)


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


def _plain_rows(frame: pd.DataFrame, indicators: dict[str, Indicator]) -> pd.DataFrame:
    """The rows that are certainly good, found column by column, as `_check_row` would give
    them. It only passes rows: anything unusual, or near an edge of the rule, is left for
    `_check_row`, which decides and names the problem."""
    code = frame["indicator_code"].str.strip().str.upper()
    known = code.isin(list(indicators))
    dates: dict[str, tuple[pd.Series, pd.Series]] = {}
    ok = known.copy()
    for column in ("period_start", "period_end"):
        text = frame[column].str.strip().str.slice(0, 10)
        # A file holds few distinct dates: each is read once, as the row-by-row check reads it.
        parsed = text.map({day: _plain_date(day) for day in text.unique()})
        ok &= parsed.notna()
        dates[column] = (text, parsed)
    ok &= (dates["period_end"][1].fillna("") >= dates["period_start"][1].fillna("")).astype(bool)
    area = frame["area"].str.strip().str.lower()
    areas = pd.Series(area.unique())
    allowed = set(areas[areas.map(lambda a: a in AREA_VALUES or bool(LA_CODE.match(a)))])
    ok &= area.isin(allowed)
    numbers: dict[str, tuple[pd.Series, pd.Series]] = {}
    for column in NUMBERS:
        text = frame[column].str.strip().str.replace(",", "", regex=False).str.rstrip("%")
        plain = text.str.fullmatch(PLAIN_NUMBER)
        ok &= plain | ((text == "") & (column != "value"))
        numbers[column] = (text, pd.to_numeric(text.where(plain, None), errors="coerce"))
    label = frame["period_label"].str.strip()
    ok &= label.str.len() <= LABEL_LENGTH
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
            "commentary": frame["commentary"].str.strip()[ok].astype(object),
        },
        index=frame.index[ok],
    )


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


def _matched(good: pd.DataFrame, given: list[str]) -> pd.DataFrame:
    """Each good row with the value stored for its indicator, period and area, if any, and
    what importing it would do. One query for the whole file."""
    good = good.assign(action="add", stored_id=None, old_value=None)
    if good.empty:
        return good
    stored = pd.DataFrame(
        Measurement.objects.filter(
            indicator_id__in=good["indicator_id"].unique().tolist(),
            area__in=good["area"].unique().tolist(),
            period_start__gte=good["period_start"].min(),
            period_start__lte=good["period_start"].max(),
        ).values_list("id", *KEY, *UPDATED_FIELDS[:-1]),
        columns=["stored_id", *KEY, *(f"stored_{f}" for f in UPDATED_FIELDS[:-1])],
    )
    if stored.empty:
        return good
    for column in ("period_start", "period_end"):
        stored[column] = stored[column].map(datetime.date.isoformat)
    both = good.drop(columns=["stored_id"]).merge(stored, on=KEY, how="left")
    found = both["stored_id"].notna()
    same = found.copy()
    for name in given:
        new, old = both[name], both[f"stored_{name}"]
        if name in NUMBERS:
            equal = [
                (a is None and b is None) or (a is not None and b is not None and Decimal(a) == b)
                for a, b in zip(_none(new[found]), _none(old[found]), strict=True)
            ]
            same[found] &= np.array(equal, dtype=bool)
        else:
            same &= new == old
    both.loc[found, "action"] = np.where(same[found], "unchanged", "update")
    both.loc[found, "old_value"] = both.loc[found, "stored_value"]
    both["stored_id"] = both["stored_id"].astype("Int64")
    return both[[*COLUMNS, "action", "stored_id", "old_value"]]


def _none(series: pd.Series) -> list[Any]:
    """The values, with pandas' missing markers as None."""
    return [None if pd.isna(value) else value for value in series]


@transaction.atomic
def measurements_save(plan: ImportPlan, *, by: User | None = None) -> ImportPlan:
    """Write a checked plan: new values in bulk, changed ones updated with their history."""
    rows = plan.rows
    frame_create_with_history(Measurement, rows.loc[rows["action"] == "add", COLUMNS[1:]], by=by)
    changed = rows.loc[rows["action"] == "update", ["stored_id", *plan.given]]
    frame_update_with_history(Measurement, changed.rename(columns={"stored_id": "id"}), by=by)
    data_changed()  # bulk writes send no signals
    return plan


def measurements_import(frame: pd.DataFrame, *, by: User | None = None) -> ImportPlan:
    return measurements_save(measurements_check(frame), by=by)
