"""Importing measurements from CSV or XLSX (docs/imports.md, "KPI values").

All or nothing: every row is checked first and each problem named (row, column, fix); then
new values are added and existing ones (same indicator, period and area) updated in bulk, the
old value kept in the history. A preview says what will change before anything is saved.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pandas as pd
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from kpis.models import LA_CODE, Area, Indicator, Measurement, Unit
from send_qa.core.bulk import copy_create_with_history
from send_qa.core.tables import ImportProblem, TableImportError, read_table

__all__ = ["ImportProblem", "TableImportError", "read_table", "measurements_check"]

REQUIRED = ["indicator_code", "period_start", "period_end", "area", "value"]
OPTIONAL = ["period_label", "numerator", "denominator", "commentary"]
MAX_ROWS = 200_000
AREAS = ", ".join([*Area.values, "la:CODE (e.g. la:873)"])
AREA_VALUES = frozenset(Area.values)
LARGEST = Decimal(10) ** 11  # what DecimalField(max_digits=14, decimal_places=3) can hold
LABEL_LENGTH = Measurement._meta.get_field("period_label").max_length
UPDATED_FIELDS = ["period_label", "value", "numerator", "denominator", "commentary", "updated_at"]


@dataclass
class RowChange:
    row: int
    measurement: Measurement
    old_value: Decimal | None = None
    action: str = "add"  # "add", "update" or "unchanged"


@dataclass
class ImportPlan:
    changes: list[RowChange] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for change in self.changes if change.action == action)

    @property
    def added(self) -> int:
        return self.count("add")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")


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


def measurements_check(frame: pd.DataFrame) -> ImportPlan:
    """Check every row and say what importing would do; raise TableImportError if any is bad."""
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
    if problems:
        raise TableImportError(problems)
    if len(frame) > MAX_ROWS:
        raise TableImportError(
            [
                ImportProblem(
                    None,
                    None,
                    f"The file has {len(frame):,} rows; split it into files of at most {MAX_ROWS:,}.",
                )
            ]
        )
    indicators = {i.code: i for i in Indicator.objects.all()}
    valid_codes = ", ".join(sorted(indicators))
    rows: list[tuple[int, Measurement]] = []
    seen: dict[tuple, int] = {}
    for index, record in enumerate(frame.to_dict("records")):
        row = index + 2
        before = len(problems)

        def problem(column: str, message: str, row=row) -> None:
            problems.append(ImportProblem(row, column, message))

        code = record["indicator_code"].strip().upper()
        indicator = indicators.get(code)
        if indicator is None:
            problem(
                "indicator_code",
                f"{code or 'an empty code'} is not an indicator. Use one of: {valid_codes}.",
            )
        dates = {}
        for column in ("period_start", "period_end"):
            try:
                dates[column] = _date(record[column])
            except ValueError:
                problem(
                    column,
                    f"{record[column]!r} is not a date. Write it as YYYY-MM-DD, for example 2026-08-31.",
                )
        if len(dates) == 2 and dates["period_end"] < dates["period_start"]:
            problem("period_end", "the period ends before it starts. Check the two dates.")
        area = record["area"].strip().lower()
        if area not in AREA_VALUES and not LA_CODE.match(area):
            problem("area", f"{record['area']!r} is not an area. Use one of: {AREAS}.")
        numbers = {}
        for column in ("value", "numerator", "denominator"):
            try:
                numbers[column] = _number(record.get(column, ""))
            except ValueError:
                problem(
                    column,
                    f"{record.get(column)!r} is not a number. Write digits only, for example 72.5.",
                )
        for column, number in list(numbers.items()):
            if number is not None and abs(number) >= LARGEST:
                problem(
                    column,
                    f"{record.get(column)!r} is too large: the portal keeps numbers below "
                    f"{LARGEST:,}. Check the value.",
                )
                del numbers[column]
        label = record.get("period_label", "").strip()
        if len(label) > LABEL_LENGTH:
            problem(
                "period_label",
                f"is {len(label)} characters long; shorten it to at most {LABEL_LENGTH}, "
                "for example Autumn 2026.",
            )
        if "value" in numbers and numbers["value"] is None:
            problem("value", "is empty. Give the value, or leave the row out.")
        if indicator and numbers.get("value") is not None:
            value = numbers["value"]
            if indicator.unit == Unit.PERCENTAGE and not 0 <= value <= 100:
                problem(
                    "value", f"{value} is not a percentage between 0 and 100. Write 72.5 for 72.5%."
                )
            elif value < 0:
                problem("value", f"{value} is below zero. Check the value.")
        numerator, denominator = numbers.get("numerator"), numbers.get("denominator")
        if denominator is not None and denominator <= 0:
            problem("denominator", "must be above zero. Leave it empty if there is none.")
        elif (
            indicator
            and indicator.unit == Unit.PERCENTAGE
            and numerator is not None
            and denominator
            and numbers.get("value") is not None
            and abs(100 * numerator / denominator - numbers["value"]) > Decimal("0.1")
        ):
            expected = (100 * numerator / denominator).quantize(Decimal("0.1"))
            problem(
                "value",
                f"{numbers['value']} does not match numerator / denominator ({expected}%). "
                "Correct one of the three.",
            )
        if indicator and indicator.computed and area == Area.LOCAL:
            problem(
                "area",
                f"{code} is calculated by the portal for this area. Import only England, "
                "region, statistical neighbour or other local authorities' values for it.",
            )
        if len(problems) > before:
            continue
        key = (code, dates["period_start"], dates["period_end"], area)
        if key in seen:
            problem(
                "indicator_code",
                f"{code} for this period and area is also on row {seen[key]}. Keep one row.",
            )
            continue
        seen[key] = row
        rows.append(
            (
                row,
                Measurement(
                    indicator=indicator,
                    period_start=dates["period_start"],
                    period_end=dates["period_end"],
                    period_label=label,
                    area=area,
                    value=numbers["value"],
                    numerator=numerator,
                    denominator=denominator,
                    commentary=record.get("commentary", "").strip(),
                ),
            )
        )
    if problems:
        raise TableImportError(problems)
    # An optional column left out of the file leaves stored values alone; one that is there
    # but empty clears them.
    given = ["value", *[c for c in OPTIONAL if c in frame.columns]]
    return _plan(rows, given)


def _plan(rows: list[tuple[int, Measurement]], given: list[str]) -> ImportPlan:
    """Match rows with stored measurements in one query per batch."""
    plan = ImportPlan()
    if not rows:
        return plan
    starts = [m.period_start for _, m in rows]
    stored = {
        (m.indicator_id, m.period_start, m.period_end, m.area): m
        for m in Measurement.objects.filter(
            indicator_id__in={m.indicator_id for _, m in rows},
            area__in={m.area for _, m in rows},
            period_start__gte=min(starts),
            period_start__lte=max(starts),
        )
    }
    for row, new in rows:
        old = stored.get((new.indicator_id, new.period_start, new.period_end, new.area))
        if old is None:
            plan.changes.append(RowChange(row, new))
            continue
        same = all(getattr(old, f) == getattr(new, f) for f in given)
        change = RowChange(row, old, old.value, "unchanged" if same else "update")
        if not same:
            for name in given:
                setattr(old, name, getattr(new, name))
        plan.changes.append(change)
    return plan


@transaction.atomic
def measurements_save(plan: ImportPlan, *, by=None) -> ImportPlan:
    """Write a checked plan: new values in bulk, changed ones updated with their history."""
    now = timezone.now()
    new = [c.measurement for c in plan.changes if c.action == "add"]
    changed = [c.measurement for c in plan.changes if c.action == "update"]
    for measurement in changed:
        measurement.updated_at = now
    copy_create_with_history(new, by=by)
    bulk_update_with_history(changed, Measurement, UPDATED_FIELDS, batch_size=2000, default_user=by)
    return plan


def measurements_import(frame: pd.DataFrame, *, by=None) -> ImportPlan:
    return measurements_save(measurements_check(frame), by=by)
