"""The evidence sections of the report, read through each app's query functions.

The report quotes each measure once, from the home it has on the scorecard: the audit and advice
percentages are the stored AUDIT_GOOD and ADVICE_6WK values of the term (recalculated the moment
the report is compiled), printed by the indicator's own suppression rule with the target in force
(`kpis.queries.term_figure`), so the audit paragraph and the scorecard row never differ.
"""

import datetime
from decimal import Decimal

from audits import queries as audit_queries
from audits.queries import TermQA
from kpis import queries as kpi_queries
from kpis.charts import Series, trend_chart
from risks import queries as risk_queries
from send_qa.core.models import Period
from send_qa.core.suppression import (
    CountsTable,
    Describes,
    counts_table,
    safe_percentage,
    threshold,
)
from wsoa import queries as wsoa_queries


def report_evidence(term: Period, *, on: datetime.date) -> dict[str, object]:
    scorecard_as_at = kpi_queries.scorecard_as_at_for_report(term, on=on)
    as_at = scorecard_as_at.day
    kpi_queries.computed_refresh(term=term, on=on)
    groups, rows = kpi_queries.scorecard_for_report(as_at=as_at)
    trend = audit_queries.audit_trend()
    chart = ""
    if trend:
        chart = trend_chart(
            [row["term__name"] for row in trend],
            [Series("Judged good or better", published_percent_good(trend), "local")],
            title="EHC plans judged good or better at audit, by term",
            unit="percentage",
            chart_id="audit-trend",
        )
    qa = audit_queries.term_qa(term=term, on=on)
    return {
        "as_at": as_at,
        "scorecard_heading": scorecard_as_at.heading,
        "threshold": threshold(),
        "counts": report_counts(qa),
        "audit_good": kpi_queries.term_figure("AUDIT_GOOD", term=term),
        "advice_on_time": kpi_queries.term_figure("ADVICE_6WK", term=term),
        "audit_chart": chart,
        "scorecard_groups": groups,
        "scorecard_comparisons": kpi_queries.comparisons_for_report(rows),
        "exceptions": [row for row in rows if row.is_exception],
        "qa": qa,
        "audit_trend": trend,
        "action_plans": wsoa_queries.summaries_for_report(on=as_at),
        "high_risks": risk_queries.high_risks(),
        "risk_changes": risk_queries.score_changes(term.start, as_at),
    }


def published_percent_good(trend: list[dict]) -> list[Decimal | None]:
    """Each term's percentage judged good or better, a quality judgement of the service's own
    work over the term: left out (a gap in the chart) only where its base, the audits graded,
    is small."""
    return [
        safe_percentage(row["good"], row["graded"], describes=Describes.SERVICE_QUALITY)
        for row in trend
    ]


def report_counts(qa: TermQA) -> dict[str, CountsTable]:
    """The report's tables of counts. Audits, the grades given and agreed, and advice received
    on time, late or missing are quality judgements of the service's own work over the term
    (docs/decisions/0004-suppression.md): each table is shown whole unless its base is small,
    when all of it is withheld. Counts of actions (the action plans' RAG) are not counts of
    children and are shown as they are."""
    audits, agreed = qa.audits, qa.agreed_grades
    quality = Describes.SERVICE_QUALITY
    return {
        "audits": counts_table(
            [("Audits", [audits.submitted, audits.total - audits.submitted])],
            column_totals=False,
            describes=quality,
        ),
        "grades": counts_table(
            [(grade, [n]) for grade, n in audits.by_grade.items()],
            row_totals=False,
            describes=quality,
        ),
        "advice": counts_table(
            [(row.label, [row.on_time, row.late, row.missing]) for row in qa.advice_by_service],
            describes=quality,
        ),
        "agreed": counts_table(
            [(grade, [n]) for grade, n in agreed.items()], row_totals=False, describes=quality
        ),
    }
