"""The board cycle: the recurring papers the seeds name, and the one rule that places them on
a year's meetings (docs/decisions/0009-board-cycle.md).

``forward_plan_for`` is pure: it reads only each meeting's forum and date, so it is tested
without a database. A paper due in a period with no meeting of its forum is returned as a gap
(``meeting`` None), never dropped, so SENDOPS see what still needs a meeting.
"""

import datetime
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from governance.models import Forum
from send_qa.core.models import academic_year_label


class Frequency(enum.Enum):
    TERMLY = "termly"
    QUARTERLY = "quarterly"
    BI_MONTHLY = "bi-monthly"
    ANNUAL = "annual"


@dataclass(frozen=True)
class RecurringPaper:
    key: str
    title: str
    forum: str  # a Forum value
    frequency: Frequency
    lead: str
    seed: str  # where the seeds ask for it


SEED_000 = "Seed 000, section 6 and the evidence base"
SEED_002 = "Seed 002, governance monitoring arrangements"

CYCLE: tuple[RecurringPaper, ...] = (
    RecurringPaper(
        "how_are_we_doing",
        "How are we doing? summary report",
        Forum.PARTNERSHIP_BOARD,
        Frequency.TERMLY,
        "SEND Operations Group",
        SEED_000,
    ),
    RecurringPaper(
        "improvement_plan_monitoring",
        "Improvement plan monitoring report",
        Forum.PARTNERSHIP_BOARD,
        Frequency.TERMLY,
        "SEND Operations Group",
        SEED_000,
    ),
    RecurringPaper(
        "scorecard_and_qa",
        "SEND scorecard and QA of EHCPs and advice",
        Forum.PARTNERSHIP_BOARD,
        Frequency.BI_MONTHLY,
        "SEND Strategic Lead",
        SEED_002,
    ),
    RecurringPaper(
        "user_satisfaction",
        "User satisfaction report",
        Forum.PARTNERSHIP_BOARD,
        Frequency.QUARTERLY,
        "SEND Strategic Lead",
        SEED_002,
    ),
    RecurringPaper(
        "quarterly_summary",
        "Quarterly summary report",
        Forum.SCRUTINY,
        Frequency.QUARTERLY,
        "SEND Strategic Lead",
        SEED_002,
    ),
    RecurringPaper(
        "benchmarking",
        "Benchmarking and trends (complete SEND scorecard)",
        Forum.PARTNERSHIP_BOARD,
        Frequency.ANNUAL,
        "SEND Strategic Lead",
        SEED_002,
    ),
    RecurringPaper(
        "local_offer_compliance",
        "Local Offer compliance report",
        Forum.PARTNERSHIP_BOARD,
        Frequency.ANNUAL,
        "SEND Strategic Lead",
        SEED_002,
    ),
    RecurringPaper(
        "workforce_development",
        "Workforce development report",
        Forum.PARTNERSHIP_BOARD,
        Frequency.ANNUAL,
        "SEND Strategic Lead",
        SEED_002,
    ),
)

CYCLE_BY_KEY = {paper.key: paper for paper in CYCLE}


@dataclass(frozen=True)
class Span:
    """A period a paper is due in: a term, a quarter, two months or the year."""

    name: str
    start: datetime.date
    end: datetime.date


class Dated(Protocol):
    """What the rule reads of a meeting."""

    @property
    def forum(self) -> str: ...

    @property
    def date(self) -> datetime.date: ...


@dataclass(frozen=True)
class Placement:
    paper: RecurringPaper
    period: Span
    meeting: Dated | None  # None: a gap, no meeting of the paper's forum in the period


def _month_start(start_year: int, offset: int) -> datetime.date:
    """The first day of the month ``offset`` months after September of ``start_year``."""
    month = 8 + offset  # months counted from January of start_year, from 0
    return datetime.date(start_year + month // 12, month % 12 + 1, 1)


def _spans_of_months(start_year: int, length: int, label: str) -> list[Span]:
    spans = []
    for index in range(12 // length):
        start = _month_start(start_year, index * length)
        end = _month_start(start_year, (index + 1) * length) - datetime.timedelta(days=1)
        spans.append(Span(f"{label}{start:%B} to {end:%B %Y}", start, end))
    return spans


def default_terms(start_year: int) -> list[Span]:
    """Core's default terms (send_qa.core.models.ensure_academic_year): autumn September to
    December, spring January to April, summer May to August."""
    label = academic_year_label(start_year)
    return [
        Span(
            f"Autumn term {label}",
            datetime.date(start_year, 9, 1),
            datetime.date(start_year, 12, 31),
        ),
        Span(
            f"Spring term {label}",
            datetime.date(start_year + 1, 1, 1),
            datetime.date(start_year + 1, 4, 30),
        ),
        Span(
            f"Summer term {label}",
            datetime.date(start_year + 1, 5, 1),
            datetime.date(start_year + 1, 8, 31),
        ),
    ]


def periods_for(frequency: Frequency, start_year: int, terms: Sequence[Span]) -> list[Span]:
    """The periods of an academic year (September to August) a paper of this frequency is due
    in: the year's terms; quarters and two-month spans counted from September; the year."""
    if frequency is Frequency.TERMLY:
        return list(terms)
    if frequency is Frequency.QUARTERLY:
        return _spans_of_months(start_year, 3, "the quarter ")
    if frequency is Frequency.BI_MONTHLY:
        return _spans_of_months(start_year, 2, "")
    label = academic_year_label(start_year)
    return [
        Span(
            f"the year {label}",
            datetime.date(start_year, 9, 1),
            datetime.date(start_year + 1, 8, 31),
        )
    ]


def forward_plan_for(
    meetings: Iterable[Dated],
    cycle: Iterable[RecurringPaper],
    start_year: int,
    terms: Sequence[Span],
) -> list[Placement]:
    """Each recurring paper on the first meeting of its forum in each period it is due in,
    or a gap when its forum does not meet in that period."""
    by_date = sorted(meetings, key=lambda meeting: meeting.date)
    placements: list[Placement] = []
    for paper in cycle:
        for period in periods_for(paper.frequency, start_year, terms):
            first = next(
                (
                    meeting
                    for meeting in by_date
                    if meeting.forum == paper.forum and period.start <= meeting.date <= period.end
                ),
                None,
            )
            placements.append(Placement(paper, period, first))
    return placements
