"""A term's findings counted from its audits and answers, and kept (`TermFigures`) so that the
findings page, the QA summary and the report read one narrow row instead of every answer; and
each breakdown of them someone opens (`TermBreakdown`, by need, team...), kept the same way.

`findings_counted` is the one count, over any audits; `audits.queries.term_findings` turns
counts into the figures every page prints, whether counted on the spot or kept. A kept count is
read only while it is current (its stamp is the term's latest change's, `TermFigures.changed`);
otherwise it is counted again on the spot and kept. Each change stamps its terms in its own
transaction (an audit saved or deleted, audits assigned, a bulk write, a checklist published,
retention) and queues `refresh_term_figures` once it commits (`audits.receivers`), so that
pages rarely count.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from audits.breakdowns import BY_KEY, Breakdown
from audits.models import Answer, Audit, TemplateItem
from audits.models.audits import AuditQuerySet
from audits.models.figures import TermBreakdown, TermFigures
from send_qa.core.models import Period


@dataclass
class Tally:
    """Counts over a set of audits' rows, each counted once: the headline and every group of
    a breakdown are tallied by this one loop."""

    total: int = 0
    by_status: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_grade: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))
    graded: int = 0
    good: int = 0
    sums: defaultdict[int, dict[str, list[float]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    )
    submitted_of: defaultdict[int, int] = field(default_factory=lambda: defaultdict(int))
    used: set[int] = field(default_factory=set)  # every checklist version of the audits
    percent_total: Decimal = Decimal(0)  # of the submitted audits' overall percentages
    percented: int = 0  # submitted audits with an overall percentage

    def add(self, row: Mapping[str, Any]) -> None:
        self.total += 1
        self.by_status[row["status"]] += 1
        self.used.add(row["template_id"])
        if row["status"] != Audit.Status.SUBMITTED:
            return
        self.submitted_of[row["template_id"]] += 1
        if row["grade"]:
            self.by_grade[row["grade"]] += 1
        if row["good_or_better"] is not None:
            self.graded += 1
            self.good += row["good_or_better"]
        if row["percent"] is not None:
            self.percent_total += row["percent"]
            self.percented += 1
        for code, (points, maximum) in row["section_scores"].items():
            self.sums[row["template_id"]][code][0] += points
            self.sums[row["template_id"]][code][1] += maximum

    def merge(self, other: "Tally") -> None:
        """Add another tally's counts: the same as adding its rows."""
        self.total += other.total
        for status, n in other.by_status.items():
            self.by_status[status] += n
        for grade, n in other.by_grade.items():
            self.by_grade[grade] += n
        self.graded += other.graded
        self.good += other.good
        for pk, by_code in other.sums.items():
            for code, (points, maximum) in by_code.items():
                self.sums[pk][code][0] += points
                self.sums[pk][code][1] += maximum
        for pk, n in other.submitted_of.items():
            self.submitted_of[pk] += n
        self.used |= other.used
        self.percent_total += other.percent_total
        self.percented += other.percented

    @property
    def submitted(self) -> int:
        return self.by_status.get(Audit.Status.SUBMITTED, 0)

    def as_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "by_status": dict(self.by_status),
            "by_grade": dict(self.by_grade),
            "graded": self.graded,
            "good": self.good,
            "sums": {str(pk): dict(by_code) for pk, by_code in self.sums.items()},
            "submitted_of": {str(pk): n for pk, n in self.submitted_of.items()},
            "used": sorted(self.used),
            "percent_total": str(self.percent_total),
            "percented": self.percented,
        }

    @classmethod
    def from_json(cls, kept: Mapping[str, Any]) -> "Tally":
        tally = cls(
            total=kept["total"],
            graded=kept["graded"],
            good=kept["good"],
            used=set(kept["used"]),
            percent_total=Decimal(kept["percent_total"]),
            percented=kept["percented"],
        )
        tally.by_status.update(kept["by_status"])
        tally.by_grade.update(kept["by_grade"])
        tally.submitted_of.update({int(pk): n for pk, n in kept["submitted_of"].items()})
        for pk, by_code in kept["sums"].items():
            for code, (points, maximum) in by_code.items():
                tally.sums[int(pk)][code] = [points, maximum]
        return tally


TALLIED = ("status", "good_or_better", "section_scores", "grade", "template_id", "percent")


@dataclass(frozen=True)
class QuestionCounts:
    """One question's applicable answers in the submitted audits: those with a score and
    their total, those answered yes or no and how many said yes."""

    scored: int
    score_total: int
    yes_no: int
    yes: int


@dataclass
class FindingsCounts:
    """Everything a term's findings are worked out from, and nothing the checklists already
    hold (questions' words, kinds and scales are read from the checklist when printed)."""

    tally: Tally
    questions: dict[int, QuestionCounts]  # by question (TemplateItem) id

    def as_json(self) -> dict[str, Any]:
        return {
            "tally": self.tally.as_json(),
            "questions": {
                str(pk): [q.scored, q.score_total, q.yes_no, q.yes]
                for pk, q in self.questions.items()
            },
        }

    @classmethod
    def from_json(cls, kept: Mapping[str, Any]) -> "FindingsCounts":
        return cls(
            tally=Tally.from_json(kept["tally"]),
            questions={int(pk): QuestionCounts(*row) for pk, row in kept["questions"].items()},
        )


def findings_counted(audits: AuditQuerySet) -> FindingsCounts:
    """Count the audits (each once) and their submitted answers per question, in two queries."""
    tally = Tally()
    for row in audits.values(*TALLIED):
        tally.add(row)
    # The answers findings count (Answer.objects.with_value), split by the field that holds them.
    counted = (
        Answer.objects.filter(audit__in=audits.submitted())
        .applicable()
        .values("item_id")
        .annotate(
            scored=Count("id", filter=Q(item__kind=TemplateItem.Kind.SCORE, score__isnull=False)),
            score_total=Sum(
                "score", filter=Q(item__kind=TemplateItem.Kind.SCORE, score__isnull=False)
            ),
            yes_no_answers=Count(
                "id", filter=Q(item__kind=TemplateItem.Kind.YES_NO) & ~Q(yes_no="")
            ),
            yes_answers=Count(
                "id", filter=Q(item__kind=TemplateItem.Kind.YES_NO, yes_no=Answer.YesNo.YES)
            ),
        )
        .filter(Q(scored__gt=0) | Q(yes_no_answers__gt=0))
        .order_by()
    )
    questions = {
        row["item_id"]: QuestionCounts(
            row["scored"], row["score_total"] or 0, row["yes_no_answers"], row["yes_answers"]
        )
        for row in counted
    }
    return FindingsCounts(tally, questions)


@dataclass
class BreakdownCounts:
    """Everything a breakdown of findings is worked out from: per group, the tally of its
    audits and, per score question, the total score and number of scored answers."""

    tallies: dict[str, Tally]
    sums: dict[str, dict[int, list[int]]]  # by group, then question (TemplateItem) id

    def as_json(self) -> dict[str, Any]:
        return {
            "tallies": {group: tally.as_json() for group, tally in self.tallies.items()},
            "sums": {
                group: {str(pk): sums for pk, sums in by_question.items()}
                for group, by_question in self.sums.items()
            },
        }

    @classmethod
    def from_json(cls, kept: Mapping[str, Any]) -> "BreakdownCounts":
        return cls(
            tallies={group: Tally.from_json(t) for group, t in kept["tallies"].items()},
            sums={
                group: {int(pk): list(sums) for pk, sums in by_question.items()}
                for group, by_question in kept["sums"].items()
            },
        )


def breakdown_counted(audits: AuditQuerySet, breakdown: Breakdown) -> BreakdownCounts:
    """Count the audits per group of `breakdown` (each once), and their submitted score
    answers per group and question, in two queries."""
    tallies: defaultdict[str, Tally] = defaultdict(Tally)
    for row in audits.annotate(group=breakdown.of_audit()).values("group", *TALLIED):
        tallies[row["group"]].add(row)
    sums: defaultdict[str, dict[int, list[int]]] = defaultdict(dict)
    for row in (
        Answer.objects.filter(audit__in=audits.submitted())
        .with_value(TemplateItem.Kind.SCORE)
        .annotate(group=breakdown.of_audit("audit__"))
        .values("group", "item_id")
        .annotate(total=Sum("score"), answers=Count("id"))
        .order_by()
    ):
        sums[row["group"]][row["item_id"]] = [row["total"], row["answers"]]
    return BreakdownCounts(dict(tallies), dict(sums))


def breakdown_counts_of(term: Period, breakdown: Breakdown) -> BreakdownCounts:
    """A term's counts for `breakdown`: the kept ones when counted at the term's current
    stamp (one query), else counted now and kept."""
    kept = (
        TermBreakdown.objects.filter(
            term=term,
            breakdown=breakdown.key,
            counted=Subquery(
                TermFigures.objects.filter(term=OuterRef("term")).values("changed")[:1]
            ),
        )
        .values_list("counts", flat=True)
        .first()
    )
    if kept is not None:
        return BreakdownCounts.from_json(kept)
    return count_and_keep_breakdown(term.pk, breakdown)


def count_and_keep_breakdown(term_id: int, breakdown: Breakdown) -> BreakdownCounts:
    """Count a term's breakdown afresh and keep it with the stamp read before counting: a
    change committed meanwhile has a new stamp, so the count kept is never read after it."""
    stamp = TermFigures.objects.get_or_create(term_id=term_id)[0].changed
    counts = breakdown_counted(_audits_of(term_id), breakdown)
    TermBreakdown.objects.update_or_create(
        term_id=term_id,
        breakdown=breakdown.key,
        defaults={"counted": stamp, "counts": counts.as_json()},
    )
    return counts


def _audits_of(term_id: int) -> AuditQuerySet:
    """The audits a term's findings are about: of EHC plans, as the findings page reads."""
    return Audit.objects.of_plans().filter(term_id=term_id)


def count_and_keep(term_id: int) -> FindingsCounts:
    """Count a term afresh and keep the count, unless the term changed while it was counted.

    The stamp is read before counting, and the count kept only where the stamp is still the
    same: a change committed meanwhile has a new stamp, so its term is counted again."""
    stamp = TermFigures.objects.get_or_create(term_id=term_id)[0].changed
    counts = findings_counted(_audits_of(term_id))
    TermFigures.objects.filter(term_id=term_id, changed=stamp).update(
        counts=counts.as_json(), counted=stamp, counted_at=timezone.now()
    )
    return counts


def counts_of(term: Period) -> FindingsCounts:
    """The term's counts: the kept ones when current, else counted now (and kept)."""
    return counts_of_terms([term.pk])[term.pk]


def counts_of_terms(term_ids: Iterable[int]) -> dict[int, FindingsCounts]:
    """Each term's counts in one read, counting afresh only those missing or out of date."""
    ids = list(term_ids)
    kept = {
        figures.term_id: FindingsCounts.from_json(figures.counts)
        for figures in TermFigures.objects.filter(term_id__in=ids)
        if figures.is_current and figures.counts is not None
    }
    return {pk: kept[pk] if pk in kept else count_and_keep(pk) for pk in ids}


def refresh_out_of_date() -> int:
    """Count every term whose kept counts are missing or out of date; how many were counted."""
    current = {figures.term_id for figures in TermFigures.objects.all() if figures.is_current}
    stale = [pk for pk in Period.objects.terms().values_list("pk", flat=True) if pk not in current]
    opened = list(
        TermBreakdown.objects.filter(term_id__in=stale).values_list("term_id", "breakdown")
    )
    for pk in stale:
        count_and_keep(pk)
    # The breakdowns someone has opened for these terms, so that the next opening reads them.
    for pk, key in opened:
        if key in BY_KEY:
            count_and_keep_breakdown(pk, BY_KEY[key])
    return len(stale)
