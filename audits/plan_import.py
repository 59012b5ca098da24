"""Importing the plans register from CSV or XLSX (docs/imports.md).

All or nothing: every problem in the file is reported (row, column, what to do) and nothing
is saved unless the whole file is good. Rows are upserted by case reference in bulk, and one
recalculation of the computed indicators that read plans is queued once the import commits
(`records_written_in_bulk`, which the KPI app listens to).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import models, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from audits.models import AgeBand, PlacementType, Plan, PrimaryNeed
from audits.models.plans import NOT_RECORDED, YEAR_GROUPS, ceased_on
from audits.signals import records_written_in_bulk
from send_qa.core.import_templates import EXAMPLE_CASE_REFERENCE, TemplateColumn
from send_qa.core.lazy import lazy_module
from send_qa.core.models import Team, User
from send_qa.core.tables import ImportProblem, max_length, read_table
from send_qa.core.tables import TableImportError as PlanImportError

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")


__all__ = ["ImportProblem", "PlanImportError", "plans_import", "read_table"]

DATE_COLUMNS = ["assessment_requested", "plan_issued", "last_annual_review", "next_review_due"]
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"]
MAX_ROWS = 100_000
REFERENCE_LENGTH = max_length(Plan, "case_reference")
FIELDS = [
    "age_band",
    "year_group",
    "primary_need",
    "placement_type",
    "setting_name",
    "team",
    "caseworker",
    *DATE_COLUMNS,
    "is_active",
    "ceased_on",
]

# Each column's values as the file may write them ("not recorded" in any case for all three).
_NEEDS = {code.lower(): code for code in PrimaryNeed.values} | {
    NOT_RECORDED: PrimaryNeed.NOT_RECORDED
}
_PLACEMENTS = {
    **{p.value: p.value for p in PlacementType},
    **{p.label.lower(): p.value for p in PlacementType},
}
_AGE_BANDS = {band.value.lower(): band.value for band in AgeBand} | {
    NOT_RECORDED: AgeBand.NOT_RECORDED
}


def allowed_values(choices: type[models.TextChoices]) -> tuple[str, ...]:
    """The values a column takes: its codes, then "not recorded"."""
    codes = [value for value in choices.values if choices(value).label != "Not recorded"]
    return (*codes, NOT_RECORDED)


def allowed(choices: type[models.TextChoices]) -> str:
    """The values a column takes, in the words of a refusal: "A, B, C, or not recorded"."""
    *codes, last = allowed_values(choices)
    return f"{', '.join(codes)}, or {last}"


_DATE_HINT = "A date as YYYY-MM-DD or DD/MM/YYYY."
# The columns of the plans register, as the import reads them and its template shows them.
TEMPLATE_COLUMNS = (
    TemplateColumn(
        "case_reference",
        EXAMPLE_CASE_REFERENCE,
        required=True,
        hint=f"The council's case reference for the plan, at most {REFERENCE_LENGTH} characters; "
        "one row per plan.",
    ),
    TemplateColumn(
        "primary_need",
        PrimaryNeed.ASD.value,
        required=True,
        hint="The SEN2 primary need code.",
        allowed=allowed_values(PrimaryNeed),
    ),
    TemplateColumn(
        "placement_type",
        PlacementType.MAINSTREAM.value,
        required=True,
        allowed=allowed_values(PlacementType),
    ),
    TemplateColumn("age_band", AgeBand.AGE_11_15.value, allowed=allowed_values(AgeBand)),
    TemplateColumn("year_group", "8", allowed=tuple(YEAR_GROUPS)),
    TemplateColumn("setting_name", "Example Academy", hint="The school or setting."),
    TemplateColumn("team", hint="A team's name as the portal shows it."),
    TemplateColumn("caseworker_email", hint="The email of the caseworker's portal account."),
    TemplateColumn("assessment_requested", "2024-01-15", hint=_DATE_HINT),
    TemplateColumn("plan_issued", "2024-05-20", hint=_DATE_HINT),
    TemplateColumn("last_annual_review", "2025-05-12", hint=_DATE_HINT),
    TemplateColumn("next_review_due", "2026-05-12", hint=_DATE_HINT),
    TemplateColumn(
        "active", "yes", allowed=("yes", "no"), hint="Empty counts as yes; no for a ceased plan."
    ),
)
REQUIRED_COLUMNS = [column.heading for column in TEMPLATE_COLUMNS if column.required]
OPTIONAL_COLUMNS = [column.heading for column in TEMPLATE_COLUMNS if not column.required]


_TRUE, _FALSE = {"yes", "y", "true", "1", ""}, {"no", "n", "false", "0"}


@dataclass
class PlanImportSummary:
    created: int
    updated: int


def _date(value: str) -> datetime.date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError


def case_reference_problem(reference: str) -> str | None:
    """What is wrong with a case reference in a file, or None: the one rule of the plans
    register and the past audit results."""
    if not reference:
        return "is empty. Give the council's case reference for this plan."
    if len(reference) > REFERENCE_LENGTH:
        return (
            f"is {len(reference)} characters long; a case reference has at most "
            f"{REFERENCE_LENGTH}. Check the column holds the reference, e.g. EHC004512."
        )
    return None


def plans_import(frame: pd.DataFrame, *, by: User | None = None) -> PlanImportSummary:
    """Validate every row, then upsert them all in one transaction (or raise PlanImportError)."""
    problems: list[ImportProblem] = []
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise PlanImportError(
            [
                ImportProblem(
                    None, column, "this required column is missing. Add it with this header."
                )
                for column in missing
            ]
        )
    unknown = [c for c in frame.columns if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        problems += [
            ImportProblem(
                None,
                c,
                "is not a column the portal knows. Rename or remove it (the import page lists the "
                "columns it reads).",
            )
            for c in unknown
        ]
    if len(frame) > MAX_ROWS:
        raise PlanImportError(
            [
                ImportProblem(
                    None,
                    None,
                    f"The file has {len(frame)} rows; split it into files of at most {MAX_ROWS}.",
                )
            ]
        )
    if frame.empty:
        raise PlanImportError([ImportProblem(None, None, "The file has no rows of plans.")])

    teams = {team.name.lower(): team for team in Team.objects.all()}
    emails = {e.lower() for e in frame.get("caseworker_email", pd.Series(dtype=str)) if e.strip()}
    caseworkers = {u.email.lower(): u for u in User.objects.filter(email__in=emails)}
    first_row_of: dict[str, int] = {}
    rows: dict[str, dict] = {}

    for index, record in enumerate(frame.to_dict("records")):
        row = index + 2
        values: dict = {}

        def bad(column: str, message: str, row: int = row) -> None:
            problems.append(ImportProblem(row, column, message))

        reference = record["case_reference"].strip()
        if wrong := case_reference_problem(reference):
            bad("case_reference", wrong)
        elif reference in first_row_of:
            bad(
                "case_reference",
                f"{reference} is also on row {first_row_of[reference]}. Keep one row per plan.",
            )
        else:
            first_row_of[reference] = row

        need = _NEEDS.get(" ".join(record["primary_need"].lower().split()))
        if need is None:
            bad(
                "primary_need",
                f"'{record['primary_need']}' is not a SEN2 primary need code. Use one of {allowed(PrimaryNeed)}.",
            )
        values["primary_need"] = need

        placement = _PLACEMENTS.get(" ".join(record["placement_type"].lower().split()))
        if placement is None:
            bad(
                "placement_type",
                f"'{record['placement_type']}' is not a placement type. Use one of {allowed(PlacementType)}.",
            )
        values["placement_type"] = placement

        age_band = " ".join(record.get("age_band", "").lower().split())
        if age_band and age_band not in _AGE_BANDS:
            bad(
                "age_band",
                f"'{record['age_band'].strip()}' is not an age band. Use one of {allowed(AgeBand)}.",
            )
        values["age_band"] = _AGE_BANDS.get(age_band, "")

        year_group = record.get("year_group", "").strip().upper()
        if year_group and year_group not in YEAR_GROUPS:
            bad("year_group", f"'{year_group}' is not a year group. Use N1, N2, R or 1 to 14.")
        values["year_group"] = year_group

        values["setting_name"] = record.get("setting_name", "").strip()[:200]

        team_name = record.get("team", "").strip()
        values["team"] = teams.get(team_name.lower()) if team_name else None
        if team_name and values["team"] is None:
            bad(
                "team",
                f"there is no team called '{team_name}'. Use a team's name as the portal shows it, or leave it empty.",
            )

        email = record.get("caseworker_email", "").strip().lower()
        values["caseworker"] = caseworkers.get(email) if email else None
        if email and values["caseworker"] is None:
            bad(
                "caseworker_email",
                f"no portal user has the email {email}. Invite them first, or leave it empty.",
            )

        for column in DATE_COLUMNS:
            text = record.get(column, "").strip()
            values[column] = None
            if text:
                try:
                    values[column] = _date(text)
                except ValueError:
                    bad(
                        column,
                        f"'{text}' is not a date. Write it as YYYY-MM-DD, for example 2025-03-31.",
                    )

        active = record.get("active", "").strip().lower()
        if active not in _TRUE | _FALSE:
            bad("active", f"'{active}' is not yes or no. Write yes, no, or leave it empty for yes.")
        values["is_active"] = active in _TRUE

        if reference:
            rows[reference] = values

    if problems:
        raise PlanImportError(problems)
    return _upsert(rows, by=by)


@transaction.atomic
def _upsert(rows: dict[str, dict], *, by: User | None = None) -> PlanImportSummary:
    existing = Plan.objects.in_bulk(list(rows), field_name="case_reference")
    to_create: list[Plan] = []
    to_update: list[Plan] = []
    for reference, values in rows.items():
        plan = existing.get(reference) or Plan(case_reference=reference)
        for name, value in values.items():
            setattr(plan, name, value)
        plan.ceased_on = ceased_on(plan.is_active, plan.ceased_on)
        (to_update if plan.pk else to_create).append(plan)
    bulk_create_with_history(to_create, Plan, batch_size=2000, default_user=by)
    bulk_update_with_history(to_update, Plan, FIELDS, batch_size=2000, default_user=by)
    records_written_in_bulk.send(sender=Plan)  # bulk writes send no post_save
    return PlanImportSummary(created=len(to_create), updated=len(to_update))


def plans_import_file(path: Path, *, by: User | None = None) -> PlanImportSummary:
    with open(path, "rb") as handle:
        return plans_import(read_table(handle, str(path)), by=by)
