"""The workforce skills self-audit (seed 002, Appendix B): sending it to staff, and what SENDOPS
see of it, which is never one person's answers.

The summary is by competency and team: how many answered, their mean rating and the share rating
themselves 1 to 3 ("needs training"). Ratings are about people, so small numbers follow the full
rule of docs/decisions/0004 (`Describes.CHILDREN`, the rule for any characteristic of people): a
team's figures are withheld when fewer than the threshold answered, and withheld beside another
team's where the "all staff" figure would otherwise give them back.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q, Sum
from django.urls import reverse

from audits.models import Answer, Audit, TemplateItem
from audits.models.audits import AuditQuerySet
from send_qa.core.emails import email_send
from send_qa.core.figures import percent, round_half_up
from send_qa.core.models import Team
from send_qa.core.suppression import WITHHELD, Describes, counts_table, figure_withheld

NEEDS_TRAINING_UP_TO = 3  # a rating of 1 to 3 says the person needs training in it
NO_TEAM = "No team"
ALL_STAFF = "All staff"


def round_audits(title: str) -> AuditQuerySet:
    """Every skills self-audit sent in the round `title`."""
    return Audit.objects.filter(respondent__isnull=False, title=title)


def rounds() -> list[dict[str, Any]]:
    """Each round sent, newest first: how many were sent and how many are submitted."""
    return [
        dict(row)
        for row in Audit.objects.filter(respondent__isnull=False)
        .values("title")
        .annotate(
            sent=Count("id"),
            submitted=Count("id", filter=Q(status=Audit.Status.SUBMITTED)),
            latest=Max("assigned_at"),
        )
        .order_by("-latest", "title")
    ]


def self_audit_emails_send(audits: Iterable[Audit]) -> int:
    """Tell each person their self-audit is waiting; returns how many emails were sent."""
    sent = 0
    for audit in audits:
        person = audit.respondent
        if person is None or not person.email:
            continue
        context = {
            "audit": audit,
            "person": person,
            "service_name": settings.SERVICE_NAME,
            "url": settings.SITE_URL.rstrip("/")
            + reverse("audits:skills_detail", kwargs={"audit_uuid": audit.uuid}),
        }
        email_send("skills_self_audit", person.email, context)
        sent += 1
    return sent


@dataclass(frozen=True)
class TeamFigures:
    """One competency's figures for one team (or all staff), as they may be shown."""

    answered: int | str
    mean: Decimal | str | None
    needs_training: Decimal | str | None  # a percentage


@dataclass(frozen=True)
class CompetencyRow:
    item: TemplateItem
    section: str
    teams: list[TeamFigures]  # in the order of SkillsSummary.columns, "All staff" last


@dataclass(frozen=True)
class SkillsSummary:
    columns: list[str]  # team names, then "All staff"
    rows: list[CompetencyRow]
    submitted: int


def skills_summary(audits: AuditQuerySet) -> SkillsSummary:
    """The submitted self-audits of `audits` by competency and team, in three queries."""
    submitted = audits.submitted()
    figures = (
        Answer.objects.filter(audit__in=submitted)
        .with_value(TemplateItem.Kind.SCORE)
        .values("item_id", "audit__respondent__team_id")
        .annotate(
            answered=Count("id"),
            total=Sum("score"),
            low=Count("id", filter=Q(score__lte=NEEDS_TRAINING_UP_TO)),
        )
    )
    cells: dict[tuple[int, int | None], dict[str, int]] = {
        (row["item_id"], row["audit__respondent__team_id"]): {
            "answered": row["answered"],
            "total": row["total"] or 0,
            "low": row["low"],
        }
        for row in figures
    }
    items = list(
        TemplateItem.objects.filter(
            kind=TemplateItem.Kind.SCORE, section__template__audits__in=submitted
        )
        .distinct()
        .select_related("section__template")
        .order_by("section__template__version", "section__order", "order")
    )
    team_ids: list[int | None] = list({team_id for _, team_id in cells})
    names = dict(Team.objects.filter(pk__in=[t for t in team_ids if t]).values_list("pk", "name"))
    team_ids.sort(key=lambda t: (t is None, names.get(t, "") if t else ""))

    def counts(field: str) -> list[list[int]]:
        return [[cells.get((item.pk, t), {}).get(field, 0) for t in team_ids] for item in items]

    answered_rows, low_rows = counts("answered"), counts("low")
    rest_rows = [
        [n - low for n, low in zip(a, b, strict=True)]
        for a, b in zip(answered_rows, low_rows, strict=True)
    ]
    shown_answered = _suppressed(items, answered_rows)
    shown_low = _suppressed(items, low_rows)
    shown_rest = _suppressed(items, rest_rows)
    rows = []
    for r, item in enumerate(items):
        totals = [cells.get((item.pk, t), {}).get("total", 0) for t in team_ids]
        teams = []
        for c in range(len(team_ids) + 1):  # the last is all staff
            if c < len(team_ids):
                n, low, total = answered_rows[r][c], low_rows[r][c], totals[c]
            else:
                n, low, total = sum(answered_rows[r]), sum(low_rows[r]), sum(totals)
            hidden = shown_answered[r][c] == WITHHELD
            share_hidden = (
                hidden
                or WITHHELD in (shown_low[r][c], shown_rest[r][c])
                or figure_withheld(low, n, describes=Describes.CHILDREN)
            )
            teams.append(
                TeamFigures(
                    answered=WITHHELD if hidden else n,
                    mean=WITHHELD if hidden else (round_half_up(Decimal(total) / n) if n else None),
                    needs_training=WITHHELD if share_hidden else percent(low, n),
                )
            )
        rows.append(CompetencyRow(item=item, section=item.section.title, teams=teams))
    return SkillsSummary(
        columns=[names.get(t, NO_TEAM) if t else NO_TEAM for t in team_ids] + [ALL_STAFF],
        rows=rows,
        submitted=submitted.count(),
    )


def _suppressed(items: Sequence[TemplateItem], rows: list[list[int]]) -> list[list[int | str]]:
    """Each row's team counts and its all-staff total, with small numbers and what would give
    them back withheld (`counts_table`, about people)."""
    table = counts_table(
        [(item.code, row) for item, row in zip(items, rows, strict=True)],
        row_totals=True,
        column_totals=False,
        describes=Describes.CHILDREN,
    )
    return [
        [*printed.counts, WITHHELD if printed.total is None else printed.total]
        for printed in table.rows
    ]


def summary_table(summary: SkillsSummary) -> tuple[list[str], list[list[object]]]:
    """The summary as rows for an export: one per competency and team."""
    header = [
        "Section",
        "Competency",
        "Team",
        "Answered",
        "Mean rating (1 to 6)",
        "Needing training (%)",
    ]
    rows: list[list[object]] = [
        [
            row.section,
            f"{row.item.code}. {row.item.text}",
            team,
            figures.answered,
            "" if figures.mean is None else figures.mean,
            "" if figures.needs_training is None else figures.needs_training,
        ]
        for row in summary.rows
        for team, figures in zip(summary.columns, row.teams, strict=True)
    ]
    return header, rows
