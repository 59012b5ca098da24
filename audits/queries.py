"""Named queries other parts of the portal (dashboard, KPIs, the termly report) read audits through."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, F, Q

from audits.advice_queries import (
    advice_quality,
    advice_scoring_audits,
    lowest_lines,
    mean_score_per_line,
    timeliness,
    timeliness_total,
)
from audits.breakdowns import Breakdown
from audits.follow_up import Finding, key_issue_findings, weak_question_findings
from audits.models import (
    Advice,
    Audit,
    ChecklistTemplate,
    ModerationSession,
    Plan,
    SampledPlan,
    TemplateItem,
)
from audits.models.advice import REMINDER_DAYS_BEFORE_DUE
from audits.models.audits import AuditQuerySet
from audits.moderation import sessions_comparison
from audits.peer_moderation import peer_moderation_in_term, team_schedules
from audits.term_figures import (
    BreakdownCounts,
    FindingsCounts,
    QuestionCounts,
    Tally,
    breakdown_counted,
    breakdown_counts_of,
    counts_of,
    findings_counted,
)
from send_qa.core.feed import FeedTable
from send_qa.core.figures import percent, round_half_up
from send_qa.core.models import Period, Team, User
from send_qa.core.suppression import (
    WITHHELD,
    Describes,
    counts_table,
    is_small,
    percentage_shown,
    safe_percentage,
)

if TYPE_CHECKING:
    from audits.peer_moderation import TeamSchedule


@dataclass
class ChecklistSections:
    """One checklist version's average score per section, under its own section titles: two
    checklists' "Section A" are never averaged together."""

    template: ChecklistTemplate
    submitted: int
    sections: list[tuple[str, str, Decimal]]  # code, title, average percentage

    @property
    def name(self) -> str:
        return str(self.template)


def good_or_better_share(good_or_better: int, graded: int) -> Decimal | None:
    """% good or better: of every graded audit, counted once (the one rule for it)."""
    return percent(good_or_better, graded)


@dataclass
class TermFindings:
    total: int
    by_status: dict[str, int]
    submitted: int
    graded: int
    good_or_better: int
    checklists: list[ChecklistSections]
    weakest_items: list[Mapping[str, Any]]
    golden_thread: dict
    by_grade: dict[str, int]

    @property
    def percent_good_or_better(self) -> Decimal | None:
        return good_or_better_share(self.good_or_better, self.graded)


def term_findings(audits: AuditQuerySet, *, weakest: int = 10) -> TermFindings:
    """Counts and % good or better over every audit once; section averages per checklist
    version; the weakest items of each checklist: counted now, over any audits."""
    return findings_from(findings_counted(audits), weakest=weakest)


def term_findings_of(term: Period, *, weakest: int = 10) -> TermFindings:
    """`term_findings` of a term's EHCP audits, from its kept counts (counted afresh when a
    change has made them out of date): what the findings page, the QA summary and the report
    read."""
    return findings_from(counts_of(term), weakest=weakest)


def findings_from(counts: FindingsCounts, *, weakest: int = 10) -> TermFindings:
    """The figures of a term's findings from its counts, however they were counted: the one
    way from counts to what a page prints."""
    tally = counts.tally
    return TermFindings(
        total=tally.total,
        by_status={s.label: tally.by_status.get(s.value, 0) for s in Audit.Status},
        submitted=tally.submitted,
        graded=tally.graded,
        good_or_better=tally.good,
        checklists=_section_averages(
            tally.sums, tally.submitted_of, _templates(tally.submitted_of)
        ),
        weakest_items=weakest_items(counts.questions, limit=weakest),
        golden_thread=golden_thread_checks(counts.questions),
        by_grade=_in_band_order(tally.used, tally.by_grade),
    )


@dataclass
class FindingsGroup:
    """One group of a breakdown as it may be printed: each count a number or WITHHELD, the
    % good or better and the section averages None when they would give a small group away."""

    label: str
    submitted: int | str
    good_or_better: int | str
    not_good: int | str
    not_graded: int | str
    percent_good_or_better: Decimal | None
    sections: dict[int, dict[str, Decimal]]  # checklist id: section code: average %
    questions: dict[int, Decimal] = field(default_factory=dict)  # score question id: mean

    @property
    def withheld(self) -> bool:
        return self.submitted == WITHHELD


@dataclass(frozen=True)
class Question:
    """A score question of one checklist version, as the breakdown lists it."""

    pk: int
    code: str
    text: str
    scale_max: int | None


@dataclass
class ChecklistQuestions:
    """One checklist version's score questions answered in the audits broken down, in its
    own order: two versions' "A1" are two questions."""

    template: ChecklistTemplate
    questions: list[Question]


@dataclass
class FindingsBreakdown:
    """The findings split by a breakdown: per group, the audits counted and % good or better
    (the tally and rule the headline uses) and each checklist's section averages. A breakdown
    by a child characteristic is about children: the full rule with secondary suppression
    (docs/decisions/0004), so that no group withheld can be worked out from the totals."""

    breakdown: Breakdown
    groups: list[FindingsGroup]
    totals: FindingsGroup
    checklists: list[ChecklistSections]
    questions: list[ChecklistQuestions] = field(default_factory=list)

    @property
    def any_not_graded(self) -> bool:
        return self.totals.not_graded != 0

    @property
    def section_tables(self) -> list[tuple[ChecklistSections, list[tuple[str, list[object]]]]]:
        """Per checklist version, a row per group of its section averages in section order:
        each a percentage, WITHHELD, or None where the group has no score for it."""
        return [
            (
                checklist,
                [
                    (
                        group.label,
                        [
                            WITHHELD
                            if group.withheld
                            else group.sections.get(checklist.template.pk, {}).get(code)
                            for code, _, _ in checklist.sections
                        ],
                    )
                    for group in self.groups
                ],
            )
            for checklist in self.checklists
            if checklist.sections
        ]

    @property
    def question_tables(self) -> list[tuple[ChecklistQuestions, list[tuple[Question, list]]]]:
        """Per checklist version, a row per score question of its mean score in each group and
        over all audits: a number, WITHHELD with its group, or None where the group has no
        score for it."""
        everyone = [*self.groups, self.totals]
        return [
            (
                checklist,
                [
                    (
                        question,
                        [
                            WITHHELD if group.withheld else group.questions.get(question.pk)
                            for group in everyone
                        ],
                    )
                    for question in checklist.questions
                ],
            )
            for checklist in self.questions
        ]


def findings_by(audits: AuditQuerySet, breakdown: Breakdown) -> FindingsBreakdown:
    """`term_findings`' counts and section averages for each group of `breakdown`, and each
    group's mean score per score question, in four queries whatever the number of audits,
    groups or questions (two to count, two to read the checklists)."""
    return findings_by_counts(breakdown_counted(audits, breakdown), breakdown)


def term_findings_by(term: Period, breakdown: Breakdown) -> FindingsBreakdown:
    """A term's findings split by `breakdown`, from its kept counts when they are current
    (`audits.term_figures.breakdown_counts_of`), as the findings page and the QA summary read."""
    return findings_by_counts(breakdown_counts_of(term, breakdown), breakdown)


def findings_by_counts(counts: BreakdownCounts, breakdown: Breakdown) -> FindingsBreakdown:
    """The breakdown's tables from its counts, however they were come by."""
    tallies, sums = counts.tallies, counts.sums
    everything = Tally()
    for tally in tallies.values():
        everything.merge(tally)
    labels = breakdown.sorted(tallies)
    table = counts_table(
        [(label, _graded_counts(tallies[label])) for label in labels],
        describes=Describes.CHILDREN,
    )
    templates = _templates(everything.submitted_of)
    questions = _questions_asked(
        {pk for by_question in sums.values() for pk in by_question}, templates
    )
    groups = [
        _group(
            printed.label,
            printed.counts,
            printed.total,
            tallies[printed.label],
            templates,
            sums.get(printed.label, {}),
        )
        for printed in table.rows
    ]
    every_sum: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for by_question in sums.values():
        for pk, (total, answers) in by_question.items():
            every_sum[pk][0] += total
            every_sum[pk][1] += answers
    totals = _group(
        "All audits", table.totals or [], table.grand_total, everything, templates, every_sum
    )
    return FindingsBreakdown(
        breakdown=breakdown,
        groups=groups,
        totals=totals,
        checklists=_section_averages(everything.sums, everything.submitted_of, templates),
        questions=questions,
    )


def _questions_asked(
    asked: set[int], templates: list[ChecklistTemplate]
) -> list[ChecklistQuestions]:
    """The score questions answered, per checklist version in its own order (one query): a
    question is its version's own, never pooled with another's."""
    placed: dict[int, list[tuple[tuple[int, int], Question]]] = defaultdict(list)
    for item in TemplateItem.objects.filter(pk__in=asked).values(
        "pk", "code", "text", "scale_max", "section__order", "order", "section__template_id"
    ):
        question = Question(item["pk"], item["code"], item["text"], item["scale_max"])
        placed[item["section__template_id"]].append(
            ((item["section__order"], item["order"]), question)
        )
    return [
        ChecklistQuestions(
            template, [q for _, q in sorted(placed[template.pk], key=lambda pair: pair[0])]
        )
        for template in templates
        if template.pk in placed
    ]


def _mean(total: int, answers: int) -> Decimal | None:
    """A mean score to one decimal place, exactly (half up), as every figure is rounded."""
    return round_half_up(Decimal(total) / Decimal(answers)) if answers else None


def _graded_counts(tally: Tally) -> list[int]:
    """Good or better, not good or better, and submitted without a grade: they add up to the
    audits submitted."""
    return [tally.good, tally.graded - tally.good, tally.submitted - tally.graded]


def _group(
    label: str,
    counts: list,
    submitted: int | str | None,
    tally: Tally,
    templates: list[ChecklistTemplate],
    question_sums: Mapping[int, list[int]],
) -> FindingsGroup:
    good, not_good, not_graded = counts
    shown = WITHHELD not in (good, not_good) and submitted != WITHHELD
    share = (
        good_or_better_share(tally.good, tally.graded)
        if shown and percentage_shown(tally.good, tally.graded, describes=Describes.CHILDREN)
        else None
    )
    sections = (
        {}
        if submitted == WITHHELD
        else {
            block.template.pk: {code: average for code, _, average in block.sections}
            for block in _section_averages(tally.sums, tally.submitted_of, templates)
        }
    )
    return FindingsGroup(
        label=label,
        submitted=submitted if submitted is not None else tally.submitted,
        good_or_better=good,
        not_good=not_good,
        not_graded=not_graded,
        percent_good_or_better=share,
        sections=sections,
        # Withheld with the group, as its section averages are.
        questions={}
        if submitted == WITHHELD
        else {
            pk: mean
            for pk, (total, answers) in question_sums.items()
            if (mean := _mean(total, answers)) is not None
        },
    )


def _templates(used: Iterable[int]) -> list[ChecklistTemplate]:
    """The checklist versions used, with their sections, in one order for every page."""
    return list(
        ChecklistTemplate.objects.filter(pk__in=list(used))
        .prefetch_related("sections")
        .order_by("name", "version")
    )


def _section_averages(
    sums: Mapping[int, Mapping[str, list[float]]],
    submitted_of: Mapping[int, int],
    templates: Iterable[ChecklistTemplate],
) -> list[ChecklistSections]:
    """Each checklist version's section averages, in its own section order and titles."""
    blocks = []
    for template in templates:
        if template.pk not in submitted_of:
            continue
        by_code = sums.get(template.pk, {})
        titled = [(s.code, s.title) for s in template.sections.all()]
        known = {code for code, _ in titled}
        titled += [(code, code) for code in by_code if code not in known]
        sections = [
            (code, title, share)
            for code, title in titled
            if code in by_code
            and (share := percent(by_code[code][0], by_code[code][1])) is not None
        ]
        blocks.append(ChecklistSections(template, submitted_of[template.pk], sections))
    return blocks


def _in_band_order(used: Iterable[int], counts: dict[str, int]) -> dict[str, int]:
    """Grade counts best first, in the order of the bands of the checklist versions used,
    latest version first (zeros kept)."""
    ordered: dict[str, int] = {}
    for bands in (
        ChecklistTemplate.objects.filter(pk__in=list(used))
        .order_by("-version", "name")
        .values_list("grade_bands", flat=True)
    ):
        for band in bands:
            ordered.setdefault(band["label"], counts.get(band["label"], 0))
    ordered.update({grade: n for grade, n in counts.items() if grade not in ordered})
    return ordered


def golden_thread_checks(questions: Mapping[int, QuestionCounts]) -> dict[str, Any]:
    """Golden-thread yes/no checks (needs matched to provision, provision linked to outcomes)
    across audits: how many were asked (not applicable left out), how many met, and the %."""
    golden = TemplateItem.objects.filter(
        pk__in=list(questions), golden_thread=True, kind=TemplateItem.Kind.YES_NO
    ).values_list("pk", flat=True)
    asked = sum(questions[pk].yes_no for pk in golden)
    met = sum(questions[pk].yes for pk in golden)
    return {"asked": asked, "met": met, "percent": percent(met, asked)}


def weakest_items(
    questions: Mapping[int, QuestionCounts], *, limit: int = 10
) -> list[Mapping[str, Any]]:
    """Score items with the lowest average, as a percentage of the scale: themes for learning.
    Each item is its checklist version's own, never pooled with another's of the same code;
    ties are broken by the question's number, then its checklist."""
    rows = []
    for item in TemplateItem.objects.filter(
        pk__in=list(questions), kind=TemplateItem.Kind.SCORE
    ).values(
        "pk",
        "code",
        "text",
        "section__code",
        "scale_max",
        "section__template__name",
        "section__template__version",
        "section__template__uuid",
    ):
        counted = questions[item["pk"]]
        if not counted.scored:
            continue
        share = (
            Fraction(counted.score_total * 100, counted.scored * item["scale_max"])
            if item["scale_max"]
            else None
        )
        rows.append(
            (
                (share is None, share or 0, item["code"], item["section__template__name"]),
                {
                    **{f"item__{name}": value for name, value in item.items() if name != "pk"},
                    "answers": counted.scored,
                    "average": counted.score_total / counted.scored,
                    "percent": float(share) if share is not None else None,
                },
            )
        )
    rows.sort(key=lambda row: row[0])
    return [row for _, row in rows[:limit]]


def trend_by_term(audits: AuditQuerySet) -> list[dict[str, Any]]:
    """Per term: audits submitted, % judged good or better, average overall percentage."""
    rows = (
        audits.submitted()
        .filter(term__isnull=False)
        .values("term__name", "term__start")
        .annotate(
            submitted=Count("id"),
            graded=Count("id", filter=Q(good_or_better__isnull=False)),
            good=Count("id", filter=Q(good_or_better=True)),
            average_percent=Avg("percent"),
        )
        .order_by("term__start")
    )
    return [
        {
            **row,
            "percent_good": percent(row["good"], row["graded"]),
            "average_percent": round_half_up(row["average_percent"])
            if row["average_percent"] is not None
            else None,
        }
        for row in rows
    ]


def percent_good_or_better(*, term: Period) -> tuple[int, int]:
    """(good or better, graded) among EHCP audits submitted in a term: the AUDIT_GOOD indicator."""
    audits = Audit.objects.of_plans().submitted().filter(term=term, good_or_better__isnull=False)
    counts = audits.aggregate(graded=Count("id"), good=Count("id", filter=Q(good_or_better=True)))
    return counts["good"], counts["graded"]


def dashboard_for_auditor(user: User, term: Period | None = None) -> dict[str, Any]:
    """The person's worklist counted as "Your audits" lists it (`AuditQuerySet.to_do`)."""
    open_audits = Audit.objects.to_do(user, term)
    counts = open_audits.aggregate(
        total=Count("id"), started=Count("id", filter=Q(status=Audit.Status.IN_PROGRESS))
    )
    return counts


def dashboard_for_sendops(term: Period) -> dict[str, Any]:
    audits = Audit.objects.of_plans().filter(term=term)
    counts = audits.aggregate(
        total=Count("id"),
        submitted=Count("id", filter=Q(status=Audit.Status.SUBMITTED)),
        graded=Count("id", filter=Q(status=Audit.Status.SUBMITTED, good_or_better__isnull=False)),
        good=Count("id", filter=Q(status=Audit.Status.SUBMITTED, good_or_better=True)),
    )
    counts["percent_good"] = percent(counts["good"], counts["graded"])
    return counts


def self_audits_for(user: User) -> dict[str, Any]:
    """The person's own skills self-audits: how many are waiting, how many submitted, and the
    round of the latest one waiting."""
    mine = Audit.objects.filter(respondent=user)
    counts = mine.aggregate(
        waiting=Count("id", filter=~Q(status=Audit.Status.SUBMITTED)),
        submitted=Count("id", filter=Q(status=Audit.Status.SUBMITTED)),
    )
    latest = mine.open().order_by("-assigned_at").values_list("title", flat=True).first()
    return {**counts, "latest_waiting": latest or ""}


def reviews_due_count(user: User, *, on: datetime.date) -> int:
    return Plan.objects.visible_to(user).review_due(on=on).count()


@dataclass
class TermQA:
    """The term's quality assurance findings at all three levels, for the termly report and
    the SENDOPS page. Counts are exact: suppress small numbers where they leave SENDOPS."""

    term: Period
    audits: TermFindings
    advice_timeliness: object
    advice_by_service: list
    advice_quality: dict
    advice_lowest_lines: list[Mapping[str, Any]]
    peer_moderation: list
    moderation_sessions: list
    moderation_agreement: object
    agreed_grades: dict[str, int]


def term_qa(*, term: Period, on: datetime.date) -> TermQA:
    """Level 1 (peer moderation), level 2 (moderation, agreement) and the audits and advice
    of a term, read through the audits app's own functions."""
    advice_audits = advice_scoring_audits(term=term)
    sessions = list(ModerationSession.objects.filter(term=term).order_by("date"))
    advice_rows = timeliness(term=term, on=on)
    grades: defaultdict[str, int] = defaultdict(int)
    for grade in (
        SampledPlan.objects.filter(session__in=sessions)
        .exclude(agreed_grade="")
        .values_list("agreed_grade", flat=True)
    ):
        grades[grade] += 1
    return TermQA(
        term=term,
        audits=term_findings_of(term),
        advice_timeliness=timeliness_total(advice_rows),
        advice_by_service=advice_rows,
        advice_quality=advice_quality(advice_audits),
        advice_lowest_lines=lowest_lines(mean_score_per_line(advice_audits)),
        peer_moderation=peer_moderation_in_term(term=term, on=on),
        moderation_sessions=sessions,
        moderation_agreement=sessions_comparison(sessions),
        agreed_grades=dict(grades),
    )


def moderation_for_dashboard(user: User, *, on: datetime.date) -> dict[str, Any]:
    """The next moderation session the user can see, and the re-audits they have open."""
    sessions = ModerationSession.objects.visible_to(user)
    return {
        "next": sessions.filter(date__gte=on).order_by("date").first(),
        "open_reaudits": Audit.objects.filter(auditor=user, purpose=Audit.Purpose.MODERATION)
        .open()
        .count(),
    }


def peer_moderation_for_team(team: Team, *, on: datetime.date) -> "TeamSchedule":
    """The team's current peer moderation cycle and how many past cycles are overdue."""
    (schedule,) = team_schedules([team], on=on)
    return schedule


def advice_for_dashboard(*, on: datetime.date) -> dict[str, Any]:
    """Advice overdue and due within 7 days, in one query."""
    soon = on + datetime.timedelta(days=REMINDER_DAYS_BEFORE_DUE)
    return Advice.objects.outstanding().aggregate(
        overdue=Count("id", filter=Q(due__lt=on)),
        due_soon=Count("id", filter=Q(due__gte=on, due__lte=soon)),
    )


def advice_received_on_time(*, term: Period, on: datetime.date) -> tuple[int, int]:
    """(on time, due) for advice due in the term up to `on`: the ADVICE_6WK indicator."""
    total = timeliness_total(timeliness(term=term, on=on))
    return total.on_time, total.decided


def plans_maintained(*, on: datetime.date) -> int:
    """EHC plans issued by `on` and still active: the EHCP_COUNT indicator."""
    return Plan.objects.filter(is_active=True, plan_issued__lte=on).count()


def plans_issued_within(*, term: Period, weeks: int = 20) -> tuple[int, int]:
    """(issued within `weeks` of the request, issued) for plans issued in the term, exceptions
    included, since the register does not record them: the EHCP_20WK_INCL indicator."""
    issued = Plan.objects.filter(
        plan_issued__gte=term.start,
        plan_issued__lte=term.end,
        assessment_requested__isnull=False,
    )
    counts = issued.aggregate(
        issued=Count("id"),
        within=Count(
            "id",
            filter=Q(plan_issued__lte=F("assessment_requested") + datetime.timedelta(weeks=weeks)),
        ),
    )
    return counts["within"], counts["issued"]


def audit_trend() -> list[dict[str, Any]]:
    """Per term: EHCP audits submitted, % good or better, average score (findings' trend), as
    `trend_by_term` gives them: from each term's kept counts, and counted now for the terms
    whose counts are missing or out of date."""
    kept: list[dict[str, Any]] = []
    out_of_date: list[int] = []
    for term in Period.objects.terms().select_related("audit_figures"):
        figures = getattr(term, "audit_figures", None)
        if figures is None or not figures.is_current or figures.counts is None:
            out_of_date.append(term.pk)
            continue
        tally = FindingsCounts.from_json(figures.counts).tally
        if tally.submitted:
            kept.append(_trend_row(term, tally))
    counted = trend_by_term(Audit.objects.of_plans().filter(term_id__in=out_of_date))
    return sorted([*kept, *counted], key=lambda row: row["term__start"])


def _trend_row(term: Period, tally: Tally) -> dict[str, Any]:
    """A term's row of the trend from its counts, the figures `trend_by_term` counts."""
    return {
        "term__name": term.name,
        "term__start": term.start,
        "submitted": tally.submitted,
        "graded": tally.graded,
        "good": tally.good,
        "average_percent": round_half_up(tally.percent_total / tally.percented)
        if tally.percented
        else None,
        "percent_good": percent(tally.good, tally.graded),
    }


def findings_for_report(qa: TermQA) -> dict[str, list[Finding]]:
    """What the report's draft says of the term's audits and moderation: the weakest questions
    (below "scores well", their figures by the evidence pages' rule) and the key issues."""
    return {
        "weak_questions": weak_question_findings(qa.audits.weakest_items, qa.term),
        "key_issues": key_issue_findings(qa.moderation_sessions),
    }


AUDIT_FEED_HEADER = [
    "Term",
    "Term start",
    "Audits submitted",
    "Audits graded",
    "Judged good or better",
    "Judged good or better (%)",
    "Average score (%)",
]


def findings_for_feed(
    *, period_from: datetime.date | None = None, period_to: datetime.date | None = None
) -> FeedTable:
    """Each term's EHCP audit findings (the trend of the findings page and the report's
    chart), aggregates only: a quality judgement of the service's own work over the term
    (decision 0004), so each term's figures are shown whole when the audits graded are not
    few, and withheld whole when they are. Terms starting in `period_from`..`period_to`."""
    rows: list[list[object]] = []
    quality = Describes.SERVICE_QUALITY
    for row in audit_trend():
        start = row["term__start"]
        if (period_from and start < period_from) or (period_to and start > period_to):
            continue
        withheld = is_small(row["graded"])  # the base of the judgement (decision 0004)
        share = safe_percentage(row["good"], row["graded"], describes=quality)
        rows.append(
            [
                row["term__name"],
                start,
                WITHHELD if withheld else row["submitted"],
                WITHHELD if withheld else row["graded"],
                WITHHELD if withheld else row["good"],
                WITHHELD if share is None else share,
                WITHHELD if withheld or row["average_percent"] is None else row["average_percent"],
            ]
        )
    return FeedTable("EHCP audit findings by term", AUDIT_FEED_HEADER, rows)
