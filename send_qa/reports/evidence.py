"""The evidence sections of the report, read through each app's query functions."""

import datetime

from audits import queries as audit_queries
from kpis import queries as kpi_queries
from kpis.charts import Series, trend_chart
from send_qa.core.suppression import (
    WITHHELD,
    counts_table,
    percentage_shown,
    safe_percentage,
    threshold,
)
from wsoa import queries as wsoa_queries


def report_evidence(term, *, on: datetime.date) -> dict:
    as_at = min(term.end, on)
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
        "threshold": threshold(),
        "counts": report_counts(qa),
        "audit_chart": chart,
        "scorecard_groups": groups,
        "exceptions": [row for row in rows if row.is_exception],
        "qa": qa,
        "audit_target": kpi_queries.target_value("AUDIT_GOOD", on=as_at),
        "audit_trend": trend,
        "action_plans": wsoa_queries.summaries_for_report(on=as_at),
    }


def published_percent_good(trend: list[dict]) -> list[float | None]:
    """Each term's percentage judged good or better, left out (a gap in the chart) where the
    audits graded, those good or better or the rest are small numbers."""
    return [safe_percentage(row["good"], row["graded"]) for row in trend]


def report_counts(qa) -> dict:
    """The report's tables of counts, small numbers withheld with whatever would reveal them
    (send_qa.core.suppression). A percentage is shown only when the counts it is built on, and
    the rest of its whole, are not small: otherwise the percentage and one count give the other
    back. Counts of actions (the action
    plans' RAG) are not counts of children and are shown as they are."""
    audits, agreed = qa.audits, qa.agreed_grades
    advice = counts_table(
        [(row.label, [row.on_time, row.late, row.missing]) for row in qa.advice_by_service]
    )
    return {
        "audits": counts_table(
            [("Audits", [audits.submitted, audits.total - audits.submitted])], column_totals=False
        ),
        "percent_good_shown": percentage_shown(audits.good_or_better, audits.graded),
        "grades": counts_table(
            [(grade, [n]) for grade, n in audits.by_grade.items()], row_totals=False
        ),
        "advice": advice,
        "advice_percent_shown": bool(advice.rows)
        and percentage_shown(qa.advice_timeliness.on_time, qa.advice_timeliness.decided)
        and WITHHELD not in (advice.grand_total, advice.totals[0]),
        "agreed": counts_table([(grade, [n]) for grade, n in agreed.items()], row_totals=False),
    }
