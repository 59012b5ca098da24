"""What the audits say, for SENDOPS: this term's findings, the trend, and exports."""

from collections.abc import Mapping
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import Truncator, slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from audits.breakdowns import BREAKDOWNS, breakdown_chosen
from audits.follow_up import QUESTION, question_ref
from audits.models import Answer, Audit, TemplateItem
from audits.models.audits import AuditQuerySet
from audits.queries import (
    TermFindings,
    audit_trend,
    findings_by,
    term_findings,
    term_findings_of,
    term_qa,
)
from audits.roles import AUDIT_MANAGERS
from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.access_log import Kind, logs_access
from send_qa.core.follow_up import FollowUp, follow_ups
from send_qa.core.models import Period, User
from send_qa.core.tables import table_download


def chosen_term(request: SignedInRequest) -> Period | None:
    """The term asked for, or else the current one."""
    return Period.objects.chosen_term(request.GET.get("term", "")) or Period.objects.term_in_hand(
        timezone.localdate()
    )


def _ehcp_audits() -> AuditQuerySet:
    return Audit.objects.of_plans()


def _breakdown_context(request: SignedInRequest, audits: AuditQuerySet) -> dict[str, object]:
    """The "Break down by" choice and, when one is chosen, the findings split by it."""
    chosen = breakdown_chosen(request.GET.get("by"))
    return {
        "breakdowns": BREAKDOWNS,
        "breakdown": findings_by(audits, chosen) if chosen else None,
        "by": chosen.key if chosen else "",
    }


@role_required(*AUDIT_MANAGERS)
@require_http_methods(["GET"])
def findings(request: SignedInRequest) -> HttpResponse:
    term = chosen_term(request)
    audits = _ehcp_audits().filter(term=term) if term else _ehcp_audits().none()
    summary = term_findings_of(term) if term else term_findings(audits)
    return render(
        request,
        "audits/findings.html",
        {
            "term": term,
            "terms": Period.objects.terms_for_choice(timezone.localdate()),
            "summary": summary,
            "trend": audit_trend(),
            "weakest": _weakest_with_actions(summary, term, request.user),
            **_breakdown_context(request, audits),
        },
    )


def _weakest_with_actions(
    summary: TermFindings, term: Period | None, user: User
) -> list[tuple[Mapping[str, Any], str, list[FollowUp]]]:
    """The weakest questions, each with its reference and the actions raised from it."""
    if term is None:
        return []
    refs = [
        question_ref(term, row["item__section__template__uuid"], row["item__code"])
        for row in summary.weakest_items
    ]
    raised = follow_ups(QUESTION, refs, user)
    return [
        (row, ref, raised.get(ref, []))
        for row, ref in zip(summary.weakest_items, refs, strict=True)
    ]


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


@never_cache
@role_required(*AUDIT_MANAGERS)
@require_http_methods(["GET"])
@logs_access(Kind.EXPORT, "audits")
def export(request: SignedInRequest, fmt: str) -> HttpResponse:
    term = chosen_term(request)
    audits = _ehcp_audits().filter(term=term) if term else _ehcp_audits().none()
    header, rows = export_table(audits)
    name = f"ehcp-audits-{slugify(term.name) if term else 'no-term'}"
    about = ["EHCP audits", f"Term: {term.name if term else 'no term chosen'}"]
    return table_download(header, rows, filename=name, fmt=fmt, sheet="Audits", about=about)


@never_cache
@role_required(*AUDIT_MANAGERS)
@require_http_methods(["GET"])
def qa_summary(request: SignedInRequest) -> HttpResponse:
    """Level 3: the term's quality assurance at every level, as the board will be told it."""
    term = chosen_term(request)
    audits = _ehcp_audits().filter(term=term) if term else _ehcp_audits().none()
    return render(
        request,
        "audits/qa_summary.html",
        {
            "term": term,
            "terms": Period.objects.terms_for_choice(timezone.localdate()),
            "qa": term_qa(term=term, on=timezone.localdate()) if term else None,
            **_breakdown_context(request, audits),
        },
    )
