"""The audit export: one row per audit of a term, registered with core's background exports
(send_qa.core.exports) so that a whole term's file is prepared by the worker, never in a web
worker; a small one is still given at once."""

from django.utils import timezone
from django.utils.text import Truncator, slugify

from audits.breakdowns import BREAKDOWNS
from audits.models import Answer, Audit, TemplateItem
from audits.models.audits import AuditQuerySet
from audits.roles import AUDIT_MANAGERS
from send_qa.core.exports import ExportKind, Filters, register_export
from send_qa.core.models import Period, User
from send_qa.core.tables import Table

AUDITS = "audits"  # the registered kind

QUESTION_WORDS = 8  # of a question's text in its column's heading


def export_table(chosen: AuditQuerySet) -> tuple[list[str], list[list[object]]]:
    """One row per audit, with its plan's group in each breakdown (key stage, need, placement,
    team, new or existing), one column per item of each checklist version used (and one per
    extra answer it records), in blocks by checklist. Case-level, for SENDOPS only: nothing is
    suppressed, as in the plans register. A question's column is its number and its first words
    ("A1. Is the plan dated"); with more than one version each is named with its checklist
    ("EHCP QA checklist version 2: A1. Is the plan dated"), so no two checklists share one."""
    audits = list(
        chosen.select_related("plan", "auditor", "template", "term")
        .annotate(**{f"breakdown_{b.key}": b.of_audit() for b in BREAKDOWNS})
        .order_by("template__name", "template__version", "pk")
    )
    versions = {a.template_id for a in audits}
    items = list(
        TemplateItem.objects.filter(section__template__in=versions)
        .order_by(
            "section__template__name", "section__template__version", "section__order", "order"
        )
        .values_list(
            "pk",
            "code",
            "text",
            "kind",
            "section__template__name",
            "section__template__version",
            "extra_fields",
        )
    )

    def column(name: str, version: int, code: str) -> str:
        return code if len(versions) == 1 else f"{name} version {version}: {code}"

    column_of = {
        pk: (f"{column(name, version, code)}. {Truncator(text).words(QUESTION_WORDS)}", kind)
        for pk, code, text, kind, name, version, _ in items
    }
    # Each extra answer (evidence, action, a date) is a column beside its item's: "P1 Who".
    extra_columns = {
        pk: [(extra, f"{column(name, version, code)} {extra['label']}") for extra in extras]
        for pk, code, _, _, name, version, extras in items
    }
    codes = list(
        dict.fromkeys(
            name
            for pk, (answer_column, _) in column_of.items()
            for name in [answer_column, *(c for _, c in extra_columns[pk])]
        )
    )
    values: dict[int, dict[str, object]] = {a.pk: {} for a in audits}
    # Rows of plain values, not Answers: an export holds tens of thousands of answers.
    for row in Answer.objects.filter(audit__in=audits).values(
        "audit_id", "item_id", "not_applicable", "extras", *Answer.VALUE_FIELD.values()
    ):
        code, kind = column_of[row["item_id"]]
        values[row["audit_id"]][code] = Answer.value_in(kind, row)
        for extra, name in extra_columns[row["item_id"]]:
            values[row["audit_id"]][name] = Answer.extra_cell(
                extra, row["extras"].get(extra["key"])
            )
    header = [
        "Case reference",
        "Term",
        "Checklist",
        "Checklist version",
        "Auditor",
        "Status",
        "Submitted",
        "Points",
        "Maximum points",
        "Percentage",
        "Grade",
        "Overall rating",
        *(b.label for b in BREAKDOWNS),
        *codes,
    ]
    rows = [
        [
            a.reference,
            a.term.name if a.term else "",
            a.template.name,
            a.template.version,
            a.auditor.full_name,
            a.get_status_display(),
            timezone.localtime(a.submitted_at).date() if a.submitted_at else "",
            a.points,
            a.max_points,
            a.percent,
            a.grade,
            a.overall_rating,
            *(getattr(a, f"breakdown_{b.key}") for b in BREAKDOWNS),
            *[values[a.pk].get(code, "") for code in codes],
        ]
        for a in audits
    ]
    return header, rows


def _term(filters: Filters) -> Period | None:
    return Period.objects.chosen_term(filters.get("term", ""))


def _term_audits(filters: Filters) -> AuditQuerySet:
    term = _term(filters)
    return Audit.objects.of_plans().filter(term=term) if term else Audit.objects.none()


def _title(filters: Filters) -> str:
    term = _term(filters)
    return f"EHCP audits, {term.name}" if term else "EHCP audits, no term chosen"


def audits_table(filters: Filters) -> Table:
    """The term's audits as a file: its name and "About this export" lines as they have always been."""
    term = _term(filters)
    header, rows = export_table(_term_audits(filters))
    return Table(
        header,
        rows,
        filename=f"ehcp-audits-{slugify(term.name) if term else 'no-term'}",
        sheet="Audits",
        about=["EHCP audits", f"Term: {term.name if term else 'no term chosen'}"],
    )


def may_export(user: User) -> bool:
    return user.has_role(*AUDIT_MANAGERS)


def register() -> None:
    register_export(
        ExportKind(
            key=AUDITS,
            record="audits",
            rows_word="audits",
            filters=("term",),
            may_export=may_export,
            size=lambda filters: _term_audits(filters).count(),
            table=audits_table,
            title=_title,
        )
    )
