"""Importing the council's past audit results (docs/imports.md, "Past audit results").

One row per audited plan: its case reference, when it was audited (a date, a term or both), who
audited it, and the grade, overall score or percentage and section scores the council recorded.
All or nothing, as every import: each problem is named (row, column, what to do) and nothing is
saved unless the whole file is good. The results are kept as recorded, never re-scored; the
audits are marked as imported, so their pages are read-only, and they count in findings, trends,
computed indicators and the report like any submitted audit. A plan the register does not hold
is added with its need, placement and age band "not recorded".

Importing a row again updates its audit rather than adding a second: the same case reference,
checklist (by name), term and date audited are the same audit.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from audits.models import AgeBand, Audit, ChecklistTemplate, PlacementType, Plan, PrimaryNeed
from audits.plan_import import DATE_FORMATS, MAX_ROWS, case_reference_problem
from audits.signals import records_written_in_bulk
from send_qa.core.bulk import copy_create_with_history, frame_update_with_history
from send_qa.core.figures import percent as percent_of
from send_qa.core.import_templates import EXAMPLE_CASE_REFERENCE, TemplateColumn
from send_qa.core.lazy import lazy_module
from send_qa.core.models import Period, User
from send_qa.core.tables import ImportProblem, TableImportError, header, max_length, read_table

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")


WHEN_COLUMNS = ["date_audited", "term"]
RESULT_COLUMNS = ["grade", "score", "percent"]
OTHER_COLUMNS = ["case_reference", "auditor", "max_score"]
AUDITOR_LENGTH = max_length(Audit, "recorded_auditor")
# A score and a percentage given together may differ by the council's own rounding, no more.
PERCENT_TOLERANCE = Decimal("0.5")
UPDATED_FIELDS = [
    "auditor_id",
    "recorded_auditor",
    "points",
    "max_points",
    "percent",
    "grade",
    "good_or_better",
    "section_scores",
    "submitted_at",
    "assigned_at",
    "imported_at",
]

Key = tuple[str, int, datetime.date | None]  # case reference, term, date audited


@dataclass
class ResultRow:
    """One row, checked: what its audit will hold."""

    reference: str
    term: Period
    audited_on: datetime.date | None
    auditor: User  # the portal user named, else the person importing
    recorded_auditor: str  # the name as written, where it names no portal user
    points: Decimal | None
    max_points: Decimal | None
    percent: Decimal | None
    grade: str
    good_or_better: bool | None
    section_scores: dict[str, list[float]]

    @property
    def key(self) -> Key:
        return self.reference, self.term.pk, self.audited_on


@dataclass
class ResultsChecked:
    """What an import would do: shown before it is confirmed, then saved as it is."""

    template: ChecklistTemplate
    rows: list[ResultRow]
    new_plans: list[str]
    existing: dict[Key, int] = field(default_factory=dict)  # key -> the imported audit's id

    @property
    def added(self) -> int:
        return sum(1 for row in self.rows if row.key not in self.existing)

    @property
    def updated(self) -> int:
        return len(self.rows) - self.added

    @property
    def terms(self) -> list[str]:
        terms = {row.term.pk: row.term for row in self.rows}
        return [term.name for term in sorted(terms.values(), key=lambda t: t.start)]


def results_template(name: str) -> ChecklistTemplate:
    """The latest published EHC plan checklist called `name`, which the results were scored
    against (TableImportError naming the ones there are, if none is)."""
    templates = ChecklistTemplate.objects.published().for_subject(ChecklistTemplate.Subject.EHCP)
    template = templates.filter(name__iexact=name.strip()).order_by("-version").first()
    if template is None:
        names = sorted(set(templates.values_list("name", flat=True)))
        raise TableImportError(
            [
                ImportProblem(
                    None,
                    None,
                    f"There is no published EHC plan checklist called '{name}'. Use one of: "
                    f"{', '.join(names) or 'none yet; publish the checklist first'}.",
                )
            ]
        )
    return template


def template_columns(
    template: ChecklistTemplate | None = None, term: Period | None = None
) -> tuple[TemplateColumn, ...]:
    """The columns of a file of past results against `template`, as the import reads them and
    its template shows them, with an example row audited on the first day of `term`."""
    grades = tuple(band["label"] for band in (template.grade_bands or [])) if template else ()
    sections = template.sections.all() if template else []  # in order (Meta.ordering)
    return (
        TemplateColumn(
            "case_reference",
            EXAMPLE_CASE_REFERENCE,
            required=True,
            hint="The council's case reference for the plan; a plan not in the register is added.",
        ),
        TemplateColumn(
            "date_audited",
            term.start.isoformat() if term else "",
            hint="YYYY-MM-DD. Give the date audited, the term, or both.",
        ),
        TemplateColumn(
            "term", term.name if term else "", hint="The term's name as the portal shows it."
        ),
        TemplateColumn(
            "grade",
            grades[0] if grades else "",
            allowed=grades,
            hint="One of the checklist's grades. Give the grade, the score, the percentage or "
            "section scores.",
        ),
        TemplateColumn("score", hint="Points out of the maximum, such as 34/48."),
        TemplateColumn("max_score", hint="The maximum, when the score gives only the points."),
        TemplateColumn(
            "percent", "" if grades else "75", hint="The overall percentage, from 0 to 100."
        ),
        TemplateColumn(
            "auditor",
            hint="A portal user's email or name; another name is kept as written. Empty: you.",
        ),
        *[
            TemplateColumn(
                section.code,
                hint=f"The score of section {section.code}, {section.title}: points out of "
                "the maximum (12/16) or a percentage.",
            )
            for section in sections
        ],
    )


def results_checklists() -> list[ChecklistTemplate]:
    """The checklists past results can be imported against, each once (its latest published
    version), by name: the import page offers a template of each."""
    latest: dict[str, ChecklistTemplate] = {}
    published = ChecklistTemplate.objects.published().for_subject(ChecklistTemplate.Subject.EHCP)
    for checklist in published.order_by("name", "-version").prefetch_related("sections"):
        latest.setdefault(checklist.name.casefold(), checklist)
    return list(latest.values())


def example_term(today: datetime.date) -> Period | None:
    """The term of the template's example row: the last one finished (else one begun)."""
    terms = Period.objects.terms().filter(start__lte=today)
    return terms.filter(end__lt=today).order_by("-end").first() or terms.order_by("-start").first()


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().rstrip("%").strip().replace(",", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _day(text: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


FRACTION = re.compile(r"^\s*([^/]+?)\s*(?:/|out of)\s*([^/]+?)\s*$", re.IGNORECASE)


def _fraction(text: str) -> tuple[Decimal, Decimal] | None:
    """ "34/48" or "34 out of 48" as (points, maximum); None if it is not one."""
    match = FRACTION.match(text)
    if not match:
        return None
    points, maximum = _number(match.group(1)), _number(match.group(2))
    if points is None or maximum is None or maximum <= 0 or not 0 <= points <= maximum:
        return None
    return points, maximum


def results_check(
    frame: pd.DataFrame, *, template: ChecklistTemplate, by: User | None
) -> ResultsChecked:
    """Check every row against the checklist, the terms and the people (nothing is written)."""
    sections = {}
    for code, title in template.sections.values_list("code", "title"):
        sections[header(code)] = sections[header(title)] = code
    known = [*OTHER_COLUMNS, *WHEN_COLUMNS, *RESULT_COLUMNS]
    problems = [
        ImportProblem(None, column, f"this required column is missing. {fix}")
        for column, present, fix in [
            ("case_reference", "case_reference" in frame.columns, "Add it with this header."),
            (
                "date_audited",
                any(c in frame.columns for c in WHEN_COLUMNS),
                "Add the date audited (date_audited), the term's name (term), or both.",
            ),
            (
                "grade",
                any(c in frame.columns for c in RESULT_COLUMNS) or set(frame.columns) & {*sections},
                "Add the grade, the overall score or percentage, or section scores.",
            ),
        ]
        if not present
    ]
    if problems:
        raise TableImportError(problems)
    problems += [
        ImportProblem(
            None,
            column,
            f"is not a column the portal knows, nor a section of {template}. Rename it to a "
            "section's code or title, or remove it (the import page lists the columns it reads).",
        )
        for column in frame.columns
        if column not in known and column not in sections
    ]
    if len(frame) > MAX_ROWS:
        raise TableImportError(
            [
                ImportProblem(
                    None,
                    None,
                    f"The file has {len(frame)} rows; split it into files of at most {MAX_ROWS}.",
                )
            ]
        )
    if frame.empty:
        raise TableImportError([ImportProblem(None, None, "The file has no rows of results.")])

    bands = {band["label"].strip().lower(): band for band in template.grade_bands or []}
    terms = {term.name.strip().lower(): term for term in Period.objects.terms()}
    auditors = frame.get("auditor", pd.Series(dtype=str)).str.strip()
    emails = {a.lower() for a in auditors if "@" in a}
    names = {a for a in auditors if a and "@" not in a}
    by_email = {u.email.lower(): u for u in User.objects.filter(email__in=emails)}
    by_name: dict[str, list[User]] = {}
    for user in User.objects.filter(full_name__in=names):
        by_name.setdefault(user.full_name.lower(), []).append(user)
    today = timezone.localdate()
    section_columns = [c for c in frame.columns if c in sections]
    first_row_of: dict[Key, int] = {}
    rows: list[ResultRow] = []
    unnamed_auditor: list[int] = []

    for index, record in enumerate(frame.to_dict("records")):
        row = index + 2
        bad_before = len(problems)

        def bad(column: str, message: str, row: int = row) -> None:
            problems.append(ImportProblem(row, column, message))

        reference = record["case_reference"].strip()
        if wrong := case_reference_problem(reference):
            bad("case_reference", wrong)

        text = record.get("date_audited", "").strip()
        audited_on = _day(text) if text else None
        if text and audited_on is None:
            bad("date_audited", f"'{text}' is not a date. Write it as YYYY-MM-DD, e.g. 2024-03-31.")
        elif audited_on and audited_on > today:
            bad(
                "date_audited",
                f"{audited_on:%Y-%m-%d} is in the future. Give the date the plan was audited.",
            )
            audited_on = None  # named once: no term is looked up for it
        name = record.get("term", "").strip()
        term = terms.get(name.lower()) if name else None
        if name and term is None:
            bad(
                "term",
                f"there is no term called '{name}'. Use a term's name as the portal shows it "
                "(under Terms), or add the term first.",
            )
        elif term and audited_on and not term.start <= audited_on <= term.end:
            bad(
                "date_audited",
                f"{audited_on:%Y-%m-%d} is not in {term.name} ({term.start:%Y-%m-%d} to "
                f"{term.end:%Y-%m-%d}). Correct the date or the term.",
            )
        elif term is None and audited_on:
            term = next((t for t in terms.values() if t.start <= audited_on <= t.end), None)
            if term is None:
                bad(
                    "date_audited",
                    f"no term in the portal covers {audited_on:%Y-%m-%d}. Add the term first, or "
                    "give the term's name in a term column.",
                )
        elif not name and not text:
            bad(
                "date_audited",
                "is empty, and so is the term. Give the date audited, the term's name, or both.",
            )

        given = record.get("auditor", "").strip()
        auditor = None
        if "@" in given:
            auditor = by_email.get(given.lower())
            if auditor is None:
                bad(
                    "auditor",
                    f"no portal user has the email {given}. Invite them first, give their name "
                    "instead, or leave it empty.",
                )
        elif given:
            matches = by_name.get(given.lower(), [])
            auditor = matches[0] if len(matches) == 1 else None
            if len(given) > AUDITOR_LENGTH:
                bad("auditor", f"is longer than {AUDITOR_LENGTH} characters. Shorten the name.")
        named = auditor is not None
        auditor = auditor or by
        if auditor is None:
            unnamed_auditor.append(row)

        points = maximum = share = None
        score = record.get("score", "").strip()
        if score:
            fraction = _fraction(score)
            out_of = record.get("max_score", "").strip()
            if fraction is None and out_of:
                fraction = _fraction(f"{score}/{out_of}")
            if fraction is None:
                bad(
                    "score",
                    f"'{score}' is not a score out of a maximum. Write it as 34/48, or give the "
                    "maximum in a max_score column (a score between 0 and the maximum).",
                )
            else:
                points, maximum = fraction
                share = percent_of(points, maximum)
        written = record.get("percent", "").strip()
        if written:
            given_share = _number(written)
            if given_share is None or not 0 <= given_share <= 100:
                bad(
                    "percent",
                    f"'{written}' is not a percentage. Write a number from 0 to 100, e.g. 72.5.",
                )
            elif share is not None and abs(share - given_share) > PERCENT_TOLERANCE:
                bad(
                    "percent",
                    f"{written} does not match the score {score} ({share}%). Correct one of "
                    "them, or leave the percentage empty.",
                )
            else:
                share = given_share.quantize(Decimal("0.1"))

        grade_text = record.get("grade", "").strip()
        band = bands.get(grade_text.lower()) if grade_text else template.grade_for(share)
        if grade_text and band is None:
            labels = ", ".join(b["label"] for b in template.grade_bands or [])
            bad(
                "grade",
                f"'{grade_text}' is not a grade of {template}. "
                + (f"Use one of {labels}." if labels else "It has no grades: leave it empty."),
            )

        section_scores: dict[str, list[float]] = {}
        for column in section_columns:
            cell = record[column].strip()
            if not cell:
                continue
            fraction = _fraction(cell)
            if fraction is None and (number := _number(cell)) is not None and 0 <= number <= 100:
                fraction = (number, Decimal(100))
            if fraction is None:
                bad(
                    column,
                    f"'{cell}' is not a section score. Write points out of the maximum (12/16) or "
                    "a percentage from 0 to 100.",
                )
            else:
                section_scores[sections[column]] = [float(fraction[0]), float(fraction[1])]

        if not (grade_text or score or written or section_scores):
            bad(
                "grade",
                "is empty, and so are the score, the percentage and the section scores. Give the "
                "result the council recorded, or remove the row.",
            )
        if len(problems) > bad_before or term is None or auditor is None:
            continue
        result = ResultRow(
            reference=reference,
            term=term,
            audited_on=audited_on,
            auditor=auditor,
            recorded_auditor="" if named else given,
            points=points,
            max_points=maximum,
            percent=share,
            grade=band["label"] if band else "",
            good_or_better=band["good_or_better"] if band else None,
            section_scores=section_scores,
        )
        if result.key in first_row_of:
            bad(
                "case_reference",
                f"{reference} audited {audited_on or term.name} is also on row "
                f"{first_row_of[result.key]}. Keep one row per audit.",
            )
            continue
        first_row_of[result.key] = row
        rows.append(result)

    if unnamed_auditor:
        listed = ", ".join(map(str, unnamed_auditor[:10])) + (
            "..." if len(unnamed_auditor) > 10 else ""
        )
        problems.append(
            ImportProblem(
                None,
                "auditor",
                f"rows {listed} name no portal user as auditor. Give each auditor's email, or "
                "run the command with --by EMAIL to record those audits against you.",
            )
        )
    if problems:
        # Each row's problems by column; those of the whole file first, in the order found.
        raise TableImportError(
            sorted(problems, key=lambda p: (p.row, p.column or "") if p.row else (0, ""))
        )
    references = {row.reference for row in rows}
    held = set(
        Plan.objects.filter(case_reference__in=references).values_list("case_reference", flat=True)
    )
    existing = {
        (reference, term, day): pk
        for pk, reference, term, day in Audit.objects.filter(
            imported_at__isnull=False,
            template__name=template.name,
            plan__case_reference__in=references,
        ).values_list("pk", "plan__case_reference", "term_id", "audited_on")
    }
    return ResultsChecked(
        template=template,
        rows=rows,
        new_plans=sorted(references - held),
        existing=existing,
    )


def _moment(row: ResultRow) -> datetime.datetime:
    """When the audit is taken to have been submitted: midday on the date audited, or on the
    last day of its term when only the term is known."""
    day = row.audited_on or row.term.end
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@transaction.atomic
def results_save(checked: ResultsChecked, *, by: User | None) -> ResultsChecked:
    """Write the checked rows: new plans, new audits and updated ones, each in bulk."""
    copy_create_with_history(
        [
            Plan(
                case_reference=reference,
                primary_need=PrimaryNeed.NOT_RECORDED,
                placement_type=PlacementType.NOT_RECORDED,
                age_band=AgeBand.NOT_RECORDED,
            )
            for reference in checked.new_plans
        ],
        by=by,
    )
    plans = dict(
        Plan.objects.filter(case_reference__in={r.reference for r in checked.rows}).values_list(
            "case_reference", "pk"
        )
    )
    now = timezone.now()
    new: list[Audit] = []
    changed: list[dict[str, str | None]] = []
    for row in checked.rows:
        at = _moment(row)
        values = {
            "auditor_id": row.auditor.pk,
            "recorded_auditor": row.recorded_auditor,
            "points": row.points,
            "max_points": row.max_points,
            "percent": row.percent,
            "grade": row.grade,
            "good_or_better": row.good_or_better,
            "section_scores": row.section_scores,
            "submitted_at": at,
            "assigned_at": at,
            "imported_at": now,
        }
        pk = checked.existing.get(row.key)
        if pk is None:
            new.append(
                Audit(
                    plan_id=plans[row.reference],
                    template=checked.template,
                    subject=checked.template.subject,
                    term=row.term,
                    audited_on=row.audited_on,
                    status=Audit.Status.SUBMITTED,
                    assigned_by=by,
                    **values,
                )
            )
        else:
            changed.append({"id": str(pk), **{k: _as_text(v) for k, v in values.items()}})
    copy_create_with_history(new, by=by)
    frame_update_with_history(Audit, pd.DataFrame(changed, columns=["id", *UPDATED_FIELDS]), by=by)
    records_written_in_bulk.send(sender=Audit)  # bulk writes send no post_save
    return checked


def _as_text(value: object) -> str | None:
    """A value as text ready for the database, for frame_update_with_history."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return json.dumps(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return str(value)


def results_import_file(path: Path, *, template: str, by: User | None = None) -> ResultsChecked:
    """Check the file and, if every row is good, save it (or raise TableImportError)."""
    chosen = results_template(template)
    checked = results_check(read_table(path, path.name), template=chosen, by=by)
    return results_save(checked, by=by)
