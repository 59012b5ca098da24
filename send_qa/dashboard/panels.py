"""What each role's home page shows. Panels read the apps through their query functions, and
who sees each panel through the role sets the apps declare (their roles.py).

Each panel has a function that returns its lines and links for a user, or an empty
state that says plainly what is not there yet.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypedDict

from django.urls import reverse
from django.utils import timezone

from audits import queries as audit_queries
from audits.roles import (
    ADVICE_MANAGERS,
    AUDIT_MANAGERS,
    AUDITORS,
    CASEWORKERS,
    MODERATION_READERS,
    PEER_MODERATORS,
    SKILLS_RESPONDENTS,
)
from governance import queries as governance_queries
from governance.roles import MEETING_READERS
from kpis import queries as kpi_queries
from kpis.roles import SCORECARD_READERS
from send_qa.core.models import Period, User
from send_qa.core.roles import PEOPLE_MANAGERS
from send_qa.reports.access import versions_visible_to
from send_qa.reports.roles import BOARD_PAPER_READERS
from wsoa import queries as wsoa_queries
from wsoa.roles import ACTION_LEADS, ACTION_PLAN_READERS


class PanelContext(TypedDict):
    term: Period | None
    today: datetime.date


@dataclass(frozen=True)
class LinkedLine:
    """A line that links to one record's page (its address worked out by the app's query)."""

    text: str
    href: str


Link = tuple[str, str]  # (text, URL name)
Content = tuple[Sequence[str | LinkedLine], list[Link]]  # (lines, links)


@dataclass(frozen=True)
class Panel:
    title: str
    roles: frozenset[str]
    content: Callable[[User, PanelContext], Content]


def _auditor(user: User, context: PanelContext) -> Content:
    counts = audit_queries.dashboard_for_auditor(user, context["term"])
    if not counts["total"]:
        return ["No audits are waiting for you."], [("Your audits", "audits:audit_list")]
    total = counts["total"]
    to_finish = f"{total} audit{'s' if total != 1 else ''} to finish, {counts['started']} started."
    # Straight to the worklist at the top of "Your audits", which counts the same audits.
    worklist = reverse("audits:audit_list") + "#to-do"
    return [LinkedLine(to_finish, worklist)], [("Your audits", "audits:audit_list")]


def _skills_self_audit(user: User, context: PanelContext) -> Content:
    found = audit_queries.self_audits_for(user)
    link = [("Your skills self-audits", "audits:my_skills")]
    if found["waiting"]:
        return [f"Your skills self-audit ({found['latest_waiting']}) is waiting for you."], link
    if found["submitted"]:
        return ["You have submitted your skills self-audit. Thank you."], link
    return ["No skills self-audit has been sent to you."], []


def _caseworker(user: User, context: PanelContext) -> Content:
    due = audit_queries.reviews_due_count(user, on=context["today"])
    lines = [
        f"{due} annual review{'s' if due != 1 else ''} due in the next 8 weeks or overdue in your team."
    ]
    return lines, [("Reviews due", "audits:reviews_due"), ("Your team's plans", "audits:plan_list")]


def _sendops_audits(user: User, context: PanelContext) -> Content:
    term = context["term"]
    if term is None:
        return ["No term is set up for today. An admin can add terms in the admin site."], []
    counts = audit_queries.dashboard_for_sendops(term)
    if not counts["total"]:
        return ["No audits have been assigned this term."], [
            ("Assign plans for audit", "audits:plan_list")
        ]
    lines = [f"{counts['total']} assigned, {counts['submitted']} submitted."]
    if counts["percent_good"] is not None:
        lines.append(f"{counts['percent_good']}% of submitted plans judged good or better.")
    return lines, [
        ("What the audits say", "audits:findings"),
        ("All audits", "audits:audit_list"),
        ("Quality assurance at every level", "audits:qa_summary"),
    ]


def _moderation(user: User, context: PanelContext) -> Content:
    found = audit_queries.moderation_for_dashboard(user, on=context["today"])
    lines = []
    if found["next"]:
        lines.append(f"Next session: {found['next'].date:%-d %B %Y}.")
    else:
        lines.append("No moderation session is planned.")
    if found["open_reaudits"]:
        count = found["open_reaudits"]
        lines.append(f"{count} re-audit{'s' if count != 1 else ''} for you to finish.")
    return lines, [("Moderation sessions", "audits:moderation_list")]


def _peer_moderation(user: User, context: PanelContext) -> Content:
    if user.team is None:
        return ["You are not in a team, so no peer moderation is due for you."], []
    schedule = audit_queries.peer_moderation_for_team(user.team, on=context["today"])
    current = schedule.current
    lines = [
        f"This cycle (to {current.cycle.end:%-d %B}): {current.done} of 2 plans peer-moderated."
    ]
    if schedule.overdue:
        count = len(schedule.overdue)
        lines.append(f"{count} earlier cycle{'s' if count != 1 else ''} overdue.")
    return lines, [("Peer moderation", "audits:peer_moderation")]


def _advice(user: User, context: PanelContext) -> Content:
    counts = audit_queries.advice_for_dashboard(on=context["today"])
    return (
        [f"{counts['overdue']} overdue, {counts['due_soon']} due in the next 7 days."],
        [
            ("Advice due and overdue", "audits:advice_reminders"),
            ("Advice by service", "audits:advice_summary"),
        ],
    )


def _scorecard(user: User, context: PanelContext) -> Content:
    summary = kpi_queries.rag_summary(on=context["today"])
    if not summary.measured:
        return ["No indicators have been measured yet."], [("Indicators", "kpis:indicator_list")]
    counts = summary.counts
    withheld = f", {counts['withheld']} withheld" if counts["withheld"] else ""
    return (
        [
            f"{summary.as_at.heading}.",
            f"{summary.measured} indicators measured: {counts['green']} green, "
            f"{counts['amber']} amber, {counts['red']} red, "
            f"{counts['no target']} with no target{withheld}.",
            f"{summary.exceptions} red or declining, needing commentary for the board.",
        ],
        [("The scorecard", "kpis:scorecard")],
    )


def _action_plans(user: User, context: PanelContext) -> Content:
    found = wsoa_queries.plans_for_dashboard(on=context["today"])
    if not found["plans"]:
        return ["No action plans have been set up yet."], [("Action plans", "wsoa:plan_list")]
    return (
        [
            f"{found['total']} actions, {found['done']} done.",
            f"{found['overdue']} overdue, {found['stale']} without a recent update.",
        ],
        [("Action plans", "wsoa:plan_list")],
    )


def _actions_led(user: User, context: PanelContext) -> Content:
    found = wsoa_queries.actions_led_by(user, on=context["today"])
    if not found["total"]:
        return ["You do not lead any actions yet."], []
    return (
        [
            f"You lead {found['total']} action{'s' if found['total'] != 1 else ''}: "
            f"{found['overdue']} overdue, {found['stale']} needing an update."
        ],
        [("Your actions", "wsoa:my_actions")],
    )


def _termly_report(user: User, context: PanelContext) -> Content:
    latest = (
        versions_visible_to(user).select_related("report__term").order_by("-finished_at").first()
    )
    if latest is None:
        return ["No report has been released to you yet."], [
            ("Termly reports", "reports:report_list")
        ]
    return (
        [f"Latest: {latest.report.term.name}, {latest.get_number_display().lower()}."],
        [("Termly reports", "reports:report_list")],
    )


def _next_meeting(user: User, context: PanelContext) -> Content:
    links = [("Meetings", "governance:meeting_list"), ("Forward plan", "governance:forward_plan")]
    found = governance_queries.next_meeting(user, context["today"])
    if found is None:
        return ["No meeting is planned."], links
    meeting = found.meeting
    when = f"{meeting.date:%A %-d %B %Y}" + (f", {meeting.time:%H:%M}" if meeting.time else "")
    lines: list[str | LinkedLine] = [
        LinkedLine(
            f"{meeting.get_forum_display()}, {when}"
            + (f", {meeting.place}" if meeting.place else ""),
            reverse("governance:meeting_detail", kwargs={"meeting_uuid": meeting.uuid}),
        )
    ]
    if not found.papers:
        lines.append("No papers have been added to it yet.")
    else:
        lines.append(f"{len(found.papers)} paper{'s' if len(found.papers) != 1 else ''}:")
        lines.extend(LinkedLine(paper.title, paper.url) for paper in found.papers)
    return lines, links


def _static(message: str, links: Iterable[Link] = ()) -> Callable[[User, PanelContext], Content]:
    return lambda user, context: ([message], list(links))


PANELS = (
    Panel("Audits assigned to you", AUDITORS, _auditor),
    Panel("Your team's plans", CASEWORKERS, _caseworker),
    Panel("EHC plan audits this term", AUDIT_MANAGERS, _sendops_audits),
    Panel("Peer moderation for your team", PEER_MODERATORS, _peer_moderation),
    Panel("Professional advice", ADVICE_MANAGERS, _advice),
    Panel("Moderation", MODERATION_READERS, _moderation),
    Panel("Next meeting", MEETING_READERS, _next_meeting),
    Panel("KPI scorecard", SCORECARD_READERS, _scorecard),
    Panel("Action plans", ACTION_PLAN_READERS, _action_plans),
    Panel("Actions you lead", ACTION_LEADS, _actions_led),
    Panel("Termly report", BOARD_PAPER_READERS, _termly_report),
    # Everyone's, but a worklist only when one has been sent: after each role's own work.
    Panel("Your skills self-audit", SKILLS_RESPONDENTS, _skills_self_audit),
    Panel(
        "People and access",
        PEOPLE_MANAGERS,
        _static(
            "Invite people, give them roles and deactivate accounts that are no longer needed.",
            [
                ("Manage users", "core:user_list"),
                ("Invite a user", "core:user_invite"),
                ("API tokens for the data feed", "api:token_list"),
            ],
        ),
    ),
)


def panels_for(user: User, *, term: Period | None) -> list[dict[str, object]]:
    context: PanelContext = {"term": term, "today": timezone.localdate()}
    shown: list[dict[str, object]] = []
    for panel in PANELS:
        if user.has_role(*panel.roles):
            lines, links = panel.content(user, context)
            shown.append({"title": panel.title, "lines": lines, "links": links})
    return shown
