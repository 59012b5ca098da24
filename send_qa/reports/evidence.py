"""The evidence sections of the report, read through each app's query functions."""

import datetime

from audits import queries as audit_queries
from kpis import queries as kpi_queries
from kpis.charts import Series, trend_chart
from wsoa import queries as wsoa_queries


def report_evidence(term, *, on: datetime.date) -> dict:
    as_at = min(term.end, on)
    groups, rows = kpi_queries.scorecard_for_report(as_at=as_at)
    trend = audit_queries.audit_trend()
    chart = ""
    if trend:
        chart = trend_chart(
            [row["term__name"] for row in trend],
            [Series("Judged good or better", [row["percent_good"] for row in trend], "local")],
            title="EHC plans judged good or better at audit, by term",
            unit="percentage",
            chart_id="audit-trend",
        )
    return {
        "as_at": as_at,
        "audit_chart": chart,
        "scorecard_groups": groups,
        "exceptions": [row for row in rows if row.is_exception],
        "qa": audit_queries.term_qa(term=term, on=on),
        "audit_target": kpi_queries.target_value("AUDIT_GOOD", on=as_at),
        "audit_trend": trend,
        "action_plans": wsoa_queries.summaries_for_report(on=as_at),
    }
