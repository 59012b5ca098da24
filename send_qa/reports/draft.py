"""The report drafts itself from the evidence (issue 19 item 4).

When SENDOPS first open a term's report, "What is working well?", "What are we worried about?"
and "Recommendations" are pre-filled with a draft they then edit. Nothing is invented: each
bullet is a stored figure, read through the apps' named queries and printed by the rule of the
page it links to (small numbers withheld there, so here); "Recommendations" lists the actions
raised from evidence in the term, with what their evidence says now.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from audits import queries as audit_queries
from kpis import queries as kpi_queries
from risks import queries as risk_queries
from send_qa.core import follow_up
from send_qa.core.models import Period, User
from wsoa import queries as wsoa_queries

MOST_OVERDUE = 10  # overdue actions listed one by one; the rest are counted


@dataclass(frozen=True)
class Draft:
    working_well: str
    worried_about: str
    recommendations: str

    def sections(self) -> dict[str, str]:
        return {
            "working_well": self.working_well,
            "worried_about": self.worried_about,
            "recommendations": self.recommendations,
        }


def _bullet(lead: str, rest: str, url: str, link: str) -> str:
    """ "- **Lead**: rest. [link](url)": the narrative's own markup (send_qa/reports/markup.py)."""
    return f"- **{_plain(lead)}**: {_plain(rest)}. [{link}]({url})"


def _plain(text: str) -> str:
    """One line, and no markup the writer did not mean: their words stay their words."""
    return " ".join(text.replace("**", "").replace("[", "(").replace("]", ")").split())


def _lines(bullets: Iterable[str], none: str) -> str:
    found = list(bullets)
    return "\n".join(found) if found else none


def report_draft(term: Period, *, on: datetime.date, reader: User) -> Draft:
    """The three sections drafted from the stored evidence of the term, as `reader` (a member
    of SENDOPS) may see it."""
    as_at = kpi_queries.scorecard_as_at_for_report(term, on=on).day  # the scorecard's one rule
    _, rows = kpi_queries.scorecard_for_report(as_at=as_at)
    indicators = kpi_queries.indicator_findings(rows)
    qa = audit_queries.term_qa(term=term, on=on)
    findings = audit_queries.findings_for_report(qa)
    overdue = wsoa_queries.overdue_actions(on=as_at)

    working_well = _lines(
        (
            _bullet(i.name, f"green and improving, {i.words}", i.url, "See the indicator")
            for i in indicators
            if i.working_well
        ),
        f"- No indicator was both green and improving on {as_at:%-d %B %Y}.",
    )
    worried = [
        *(_bullet(i.name, i.words, i.url, "See the indicator") for i in indicators if i.exception),
        *(
            _bullet(f"Audit {f.text}", f.figure, f.url, "See the audit findings")
            for f in findings["weak_questions"]
        ),
        *(
            _bullet(f"Moderation key issue ({f.figure})", f.text, f.url, "See the key issues")
            for f in findings["key_issues"]
        ),
        *(
            _bullet(
                f"Action {action.number} is overdue",
                f"{action.text} ({action.weakness.plan}; RAG {action.status.name})",
                url,
                "See the action",
            )
            for action, url in overdue[:MOST_OVERDUE]
        ),
    ]
    if len(overdue) > MOST_OVERDUE:
        worried.append(f"- And {len(overdue) - MOST_OVERDUE} more overdue actions.")
    worried += [
        _bullet(
            f"Risk {risk.reference} is rated {risk.rating}",
            f"{risk.title} (target {risk.target}; owner {risk.owner})",
            risk.url,
            "See the risk",
        )
        for risk in risk_queries.high_risks()
    ]
    raised = wsoa_queries.actions_raised_between(term.start, on)
    recommendations = _lines(
        (_recommendation(item, reader) for item in raised),
        "- No actions were raised from the evidence this term.",
    )
    return Draft(
        working_well=working_well,
        worried_about=_lines(
            worried, "- Nothing in the stored evidence is red, declining, weak or overdue."
        ),
        recommendations=recommendations,
    )


def _recommendation(item: wsoa_queries.RaisedAction, reader: User) -> str:
    action = item.action
    parts = [f"{action.text} ({action.weakness.plan}; RAG {action.status.name})"]
    for source in item.sources:
        said = f"raised from {source.title}"
        if source.figure:
            said += f", {source.figure}"
        evidence = follow_up.evidence_of(source.kind, source.ref, reader)
        if evidence is not None and evidence.now:
            said += f"; now {evidence.now}"
        parts.append(said)
    return _bullet(f"Action {action.number}", "; ".join(parts), item.url, "See the action")
