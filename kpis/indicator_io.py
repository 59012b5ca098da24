"""The council's own indicators to and from the JSON shape of docs/imports.md.

A file is all or nothing: every problem is named (the entry, the field and the fix) before
anything is saved. Importing the file an export made, here or in another portal, gives the same
indicators, and importing it twice changes nothing (no save, so no history row, when nothing
differs). People are not in the file (each portal has its own): the owner's role is.
"""

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from kpis.catalogue import catalogue_codes
from kpis.choices import (
    CODE_PATTERN,
    Frequency,
    ObaCategory,
    Origin,
    Polarity,
    Source,
    TargetKind,
    Unit,
)
from kpis.models import Indicator, Target
from kpis.validity import LARGEST, value_problem
from send_qa.core.suppression import Describes

FORMAT = "send-qa council indicators"
VERSION = 1
CHOICES: dict[str, list[str]] = {
    "unit": list(Unit.values),
    "polarity": list(Polarity.values),
    "oba_category": list(ObaCategory.values),
    "source": list(Source.values),
    "frequency": list(Frequency.values),
    "describes": list(Describes.values),
}
NEEDED_TEXT = {"name": 200, "definition": None}
OPTIONAL_TEXT = {"priority": 300, "owner_title": 200}
LARGEST_TOLERANCE = Decimal(10) ** 10  # DecimalField(max_digits=12, decimal_places=2)
LABEL_LENGTH = 100  # Target.label


class IndicatorFileError(Exception):
    """Every problem found in a file of indicators, each naming its entry, field and fix."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Imported:
    added: int
    updated: int
    unchanged: int


def indicator_export(indicator: Indicator) -> dict[str, Any]:
    """One indicator in the documented shape, every key written out."""
    baseline = None
    if indicator.baseline_value is not None and indicator.baseline_date is not None:
        baseline = {
            "value": _number_out(indicator.baseline_value),
            "date": indicator.baseline_date.isoformat(),
        }
    return {
        "code": indicator.code,
        "name": indicator.name,
        "definition": indicator.definition,
        "unit": indicator.unit,
        "polarity": indicator.polarity,
        "oba_category": indicator.oba_category,
        "priority": indicator.priority,
        "source": indicator.source,
        "frequency": indicator.frequency,
        "owner_title": indicator.owner_title,
        "describes": indicator.describes,
        "tolerance": _number_out(indicator.tolerance),
        "is_active": indicator.is_active,
        "baseline": baseline,
        "targets": [
            {
                "period_start": target.period_start.isoformat(),
                "period_end": target.period_end.isoformat(),
                "label": target.label,
                "kind": target.kind,
                "value": _number_out(target.value),
            }
            for target in indicator.targets.order_by("period_start", "period_end")
        ],
    }


def councils_indicators_export() -> dict[str, Any]:
    """Every indicator the council added (active or retired), never the shipped catalogue."""
    indicators = Indicator.objects.councils_own().prefetch_related("targets").order_by("code")
    return {
        "format": FORMAT,
        "version": VERSION,
        "indicators": [indicator_export(indicator) for indicator in indicators],
    }


def export_text() -> str:
    return json.dumps(councils_indicators_export(), indent=2, ensure_ascii=False) + "\n"


def _number_out(number: Decimal) -> int | float:
    """A JSON number as people wrote it: 12 rather than 12.000."""
    normal = number.normalize()
    return int(normal) if normal == normal.to_integral_value() else float(normal)


def _number(value: object) -> Decimal | None:
    """A finite number from a JSON number or text, else None (never true, NaN or infinity)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _date(value: object) -> datetime.date | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def read_indicator_text(text: str) -> object:
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        where = (
            f" (line {error.lineno}, column {error.colno}: {error.msg})"
            if isinstance(error, json.JSONDecodeError)
            else ""
        )
        raise IndicatorFileError(
            [f"The file is not valid JSON{where}: export the indicators again and edit that file"]
        ) from None


def validate(data: object) -> list[str]:
    """Every problem in the file, each naming where it is and how to fix it; [] when fine."""
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        return [
            'The file must hold one JSON object with a list of "indicators", as "Export our '
            'indicators" writes it'
        ]
    problems: list[str] = []
    if data.get("format", FORMAT) != FORMAT:
        problems.append(f'format: give "{FORMAT}", or leave it out')
    if data.get("version", VERSION) != VERSION:
        problems.append(f"version: this portal reads version {VERSION} files")
    catalogue = catalogue_codes()
    shipped = set(Indicator.objects.exclude(origin=Origin.COUNCIL).values_list("code", flat=True))
    seen: set[str] = set()
    for n, entry in enumerate(data["indicators"]):
        if not isinstance(entry, dict):
            problems.append(f"indicators[{n}]: must be an object {{...}}, one per indicator")
            continue
        code = entry.get("code")
        where = f"indicators[{n}]" + (f" ({code})" if isinstance(code, str) and code else "")
        if not isinstance(code, str) or not CODE_PATTERN.match(code):
            problems.append(
                f"{where}.code: use 2 to 30 capital letters, digits and underscores, "
                "starting with a letter"
            )
        elif code in seen:
            problems.append(f"{where}.code: {code} is in the file twice; keep one of them")
        elif code in catalogue or code in shipped:
            problems.append(
                f"{where}.code: {code} is an indicator of the shipped catalogue; give yours "
                "another code"
            )
        if isinstance(code, str):
            seen.add(code)
        problems += [f"{where}.{problem}" for problem in _entry_problems(entry)]
    return problems


def _entry_problems(entry: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    for key, limit in (NEEDED_TEXT | OPTIONAL_TEXT).items():
        value = entry.get(key)
        if value in (None, "") and key in NEEDED_TEXT:
            problems.append(f"{key}: missing; give the indicator's {key}")
        elif value not in (None, "") and not isinstance(value, str):
            problems.append(f"{key}: must be text, in quotes")
        elif isinstance(value, str) and "\x00" in value:
            problems.append(f"{key}: holds a NUL character (\\u0000); remove it")
        elif isinstance(value, str) and limit and len(value) > limit:
            problems.append(f"{key}: at most {limit} characters (it has {len(value)})")
    for key, allowed in CHOICES.items():
        if key == "describes" and key not in entry:
            continue  # children, as the catalogue's default
        if entry.get(key) not in allowed:
            problems.append(f"{key}: {entry.get(key)!r} is not one of {', '.join(allowed)}")
    if "is_active" in entry and not isinstance(entry["is_active"], bool):
        problems.append("is_active: give true or false")
    tolerance = _number(entry.get("tolerance", 0))
    if tolerance is None or tolerance < 0 or tolerance >= LARGEST_TOLERANCE:
        problems.append("tolerance: give a number of 0 or more, such as 5")
    elif tolerance != tolerance.quantize(Decimal("0.01")):
        problems.append("tolerance: give at most 2 decimal places")
    unit = entry.get("unit") if entry.get("unit") in Unit.values else None
    baseline = entry.get("baseline")
    if baseline is not None:
        if not isinstance(baseline, dict):
            problems.append('baseline: give it as {"value": 42.5, "date": "2025-08-31"} or null')
        else:
            problems += [f"baseline.{p}" for p in _value_problems(baseline.get("value"), unit)]
            if _date(baseline.get("date")) is None:
                problems.append("baseline.date: give the date as YYYY-MM-DD, like 2025-08-31")
    targets = entry.get("targets", [])
    if not isinstance(targets, list):
        return [*problems, "targets: must be a list [...], or leave it out"]
    periods: set[tuple[datetime.date, datetime.date]] = set()
    for t, target in enumerate(targets):
        spot = f"targets[{t}]"
        if not isinstance(target, dict):
            problems.append(f"{spot}: must be an object {{...}}")
            continue
        start, end = _date(target.get("period_start")), _date(target.get("period_end"))
        for key, day in (("period_start", start), ("period_end", end)):
            if day is None:
                problems.append(f"{spot}.{key}: give the date as YYYY-MM-DD, like 2026-09-01")
        if start and end and end < start:
            problems.append(f"{spot}.period_end: must be on or after period_start")
        elif start and end and (start, end) in periods:
            problems.append(f"{spot}: a second target for {start} to {end}; keep one of them")
        if start and end:
            periods.add((start, end))
        label = target.get("label", "")
        if not isinstance(label, str) or len(label) > LABEL_LENGTH or "\x00" in label:
            problems.append(f"{spot}.label: text of at most {LABEL_LENGTH} characters")
        if target.get("kind", TargetKind.FINAL) not in TargetKind.values:
            problems.append(f"{spot}.kind: give {' or '.join(TargetKind.values)}")
        problems += [f"{spot}.{p}" for p in _value_problems(target.get("value"), unit)]
    return problems


def _value_problems(value: object, unit: str | None) -> list[str]:
    number = _number(value)
    if number is None:
        return ["value: give a number, such as 42.5"]
    if abs(number) >= LARGEST:
        return [f"value: give a number below {LARGEST:,}"]
    if number != number.quantize(Decimal("0.001")):
        return ["value: give at most 3 decimal places"]
    wrong = value_problem(unit, number) if unit else None
    return [f"value: {wrong}"] if wrong else []


def _fields(entry: dict[str, Any]) -> dict[str, Any]:
    baseline = entry.get("baseline") or {}
    return {
        "name": entry["name"],
        "definition": entry["definition"],
        "unit": entry["unit"],
        "polarity": entry["polarity"],
        "oba_category": entry["oba_category"],
        "priority": entry.get("priority") or "",
        "source": entry["source"],
        "frequency": entry["frequency"],
        "owner_title": entry.get("owner_title") or "",
        "describes": entry.get("describes", Describes.CHILDREN),
        "tolerance": _number(entry.get("tolerance", 0)),
        "is_active": entry.get("is_active", True),
        "baseline_value": _number(baseline["value"]) if baseline else None,
        "baseline_date": _date(baseline["date"]) if baseline else None,
    }


@transaction.atomic
def councils_indicators_import(data: object) -> Imported:
    """Add or update the council's own indicators in `data` by code, with their targets (added
    or updated by period; targets not in the file are kept). Refuses the whole file, saving
    nothing, when anything in it is wrong (IndicatorFileError)."""
    problems = validate(data)
    existing = {i.code: i for i in Indicator.objects.filter(origin=Origin.COUNCIL)}
    if not problems:
        assert isinstance(data, dict)
        for n, entry in enumerate(data["indicators"]):
            known = existing.get(entry["code"])
            if known and (wrong := known.unit_change_problem(entry["unit"])):
                problems.append(f"indicators[{n}] ({entry['code']}).unit: {wrong}")
    if problems:
        raise IndicatorFileError(problems)
    assert isinstance(data, dict)
    added = updated = unchanged = 0
    for entry in data["indicators"]:
        values = _fields(entry)
        indicator = existing.get(entry["code"])
        changed = False
        if indicator is None:
            indicator = Indicator.objects.create(
                code=entry["code"], origin=Origin.COUNCIL, **values
            )
            added += 1
        elif any(getattr(indicator, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(indicator, key, value)
            indicator.save()
            changed = True
        changed = _targets_save(indicator, entry.get("targets", [])) or changed
        if entry["code"] in existing:
            updated += changed
            unchanged += not changed
    return Imported(added=added, updated=updated, unchanged=unchanged)


def _targets_save(indicator: Indicator, targets: list[dict[str, Any]]) -> bool:
    """Whether any target was added or changed; an unchanged one is not saved again."""
    held = {(t.period_start, t.period_end): t for t in indicator.targets.all()}
    changed = False
    for entry in targets:
        start, end = _date(entry["period_start"]), _date(entry["period_end"])
        assert start is not None and end is not None  # validate checked them
        wanted = {
            "value": _number(entry["value"]),
            "label": entry.get("label", ""),
            "kind": entry.get("kind", TargetKind.FINAL),
        }
        target = held.get((start, end))
        if target is None:
            Target.objects.create(indicator=indicator, period_start=start, period_end=end, **wanted)
            changed = True
        elif any(getattr(target, key) != value for key, value in wanted.items()):
            for key, value in wanted.items():
                setattr(target, key, value)
            target.save()
            changed = True
    return changed
