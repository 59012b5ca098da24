"""The rules that turn KPI numbers into judgements people read: RAG, direction, rank, suppression.

Pure functions over numbers, no database: the views, exports and charts all call these so that a
board paper, a spreadsheet and a chart never disagree. Values arrive as int, float, Decimal or
None (the models store DecimalField) and are compared as Decimal(str(x)), so 0.1 stays 0.1.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TypeVar

from send_qa.core.figures import round_half_up
from send_qa.core.suppression import WITHHELD, Describes, figure_withheld, is_small, threshold

Number = int | float | Decimal

HIGHER, LOWER = "higher", "lower"  # polarity: which way is better
POLARITIES = (HIGHER, LOWER)

PERCENTAGE, COUNT, DAYS, RATE_10K = "percentage", "count", "days", "rate_10k"
WEEKS, MONEY = "weeks", "pounds"
UNITS = (PERCENTAGE, COUNT, DAYS, RATE_10K, WEEKS, MONEY)

NO_VALUE = "–"  # en dash: printed where there is no value at all


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


RAG_LABELS = {
    Rag.GREEN: "Green: on or better than target",
    Rag.AMBER: "Amber: within tolerance of target",
    Rag.RED: "Red: worse than target beyond tolerance",
}


class Direction(StrEnum):
    IMPROVING = "improving"
    DECLINING = "declining"
    NO_CHANGE = "no change"


# Status is never shown by colour or symbol alone: kpis.templatetags.scorecard prints the label next to
# its symbol.
DIRECTION_LABELS = {
    Direction.IMPROVING: "Improving",
    Direction.DECLINING: "Declining",
    Direction.NO_CHANGE: "No change",
}


def to_decimal(value: Number | None) -> Decimal | None:
    """The value as an exact Decimal (via str, so a float prints as it was typed), or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"Expected a number or None, got {type(value).__name__}: {value!r}.")
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number.")
    return number


def _check_polarity(polarity: str) -> None:
    if polarity not in POLARITIES:
        raise ValueError(f'Unknown polarity "{polarity}": use "{HIGHER}" or "{LOWER}".')


def _check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise ValueError(f'Unknown unit "{unit}": use one of {", ".join(UNITS)}.')


def _non_negative(amount: Number, name: str) -> Decimal:
    number = to_decimal(amount)
    if number is None or number < 0:
        raise ValueError(f"The {name} must be zero or more, not {amount!r}.")
    return number


def rag(
    value: Number | None, target: Number | None, *, polarity: str, tolerance: Number = 0
) -> Rag | None:
    """Green on or better than target, amber within `tolerance` of it (edge included), else red.

    None when there is no value or no target: an unset target is not a failure.
    """
    _check_polarity(polarity)
    margin = _non_negative(tolerance, "tolerance")
    actual, goal = to_decimal(value), to_decimal(target)
    if actual is None or goal is None:
        return None
    # Flip "lower is better" into "higher is better" so one comparison serves both.
    shortfall = goal - actual if polarity == HIGHER else actual - goal
    if shortfall <= 0:
        return Rag.GREEN
    if shortfall <= margin:
        return Rag.AMBER
    return Rag.RED


def direction(
    current: Number | None, previous: Number | None, *, polarity: str, threshold: Number = 0
) -> Direction | None:
    """Whether things got better since last time; moves of `threshold` or less are no change.

    None when either value is missing: a trend needs two points.
    """
    _check_polarity(polarity)
    limit = _non_negative(threshold, "threshold")
    now, before = to_decimal(current), to_decimal(previous)
    if now is None or before is None:
        return None
    change = now - before
    if abs(change) <= limit:
        return Direction.NO_CHANGE
    went_up = change > 0
    return Direction.IMPROVING if went_up == (polarity == HIGHER) else Direction.DECLINING


@dataclass(frozen=True)
class Benchmark:
    """Where one local authority stands among all of them on one indicator."""

    rank: int  # 1 = best; ties share the best rank ("competition" ranking: 1, 2, 2, 4)
    out_of: int  # how many areas have a value
    quartile: str  # "A" (best quarter) .. "D" (worst), as the DfE's LA Interactive Tool bands


QUARTILES = ("A", "B", "C", "D")
QUARTILE_SHARES = (Fraction(1, 4), Fraction(1, 2), Fraction(3, 4))  # upper bounds of A, B and C
MIN_FOR_QUARTILES = 4  # fewer areas than quarters makes the bands meaningless


def benchmark(
    value: Number | None, all_values: Iterable[Number | None], *, polarity: str
) -> Benchmark | None:
    """This area's rank and LAIT quartile band among every area's value (this area included).

    Rank is competition ranking: 1 plus the number of areas strictly better, so tied areas share
    the best rank they could have (1, 2, 2, 4). With n areas ranked best first, the band follows
    the LAIT convention with boundaries at n/4, n/2 and 3n/4, compared exactly (no float
    rounding): rank <= n/4 is A, <= n/2 is B, <= 3n/4 is C, anything else D. Tied areas share a
    rank and so a band. With 8 areas: ranks 1-2 are A, 3-4 B, 5-6 C, 7-8 D.

    None when there is no value, the value is not among `all_values` (missing values are ignored)
    or fewer than 4 areas have a value.
    """
    _check_polarity(polarity)
    mine = to_decimal(value)
    values = [number for number in map(to_decimal, all_values) if number is not None]
    if mine is None or mine not in values or len(values) < MIN_FOR_QUARTILES:
        return None
    if polarity == HIGHER:
        better = sum(1 for other in values if other > mine)
    else:
        better = sum(1 for other in values if other < mine)
    rank = better + 1
    return Benchmark(rank=rank, out_of=len(values), quartile=quartile(rank, len(values)))


def quartile(rank: int, out_of: int) -> str:
    """The LAIT band ("A" best .. "D" worst) for a rank among `out_of` areas, by exact fractions."""
    if not 1 <= rank <= out_of:
        raise ValueError(f"Rank {rank} is not between 1 and {out_of}.")
    for band, boundary in zip(QUARTILES, QUARTILE_SHARES, strict=False):
        if rank <= boundary * out_of:
            return band
    return QUARTILES[-1]


def format_value(value: Number | None, *, unit: str) -> str:
    """The value as people read it for its unit ("72.5%", "1,234", "12.5 days", "3.4 per 10,000",
    "12.5 weeks", "£1,234", "£1,234.50").

    Rounds half up (72.45 -> 72.5), as published statistics do, and prints "–" for no value.
    Money is rounded half up to the penny and, as the GOV.UK style guide asks, shows pence only
    when there are some: "£1,234" for a whole number of pounds, else "£1,234.50".
    """
    _check_unit(unit)
    number = to_decimal(value)
    if number is None:
        return NO_VALUE
    if unit == COUNT:
        return f"{round_half_up(number, 0):,.0f}"
    if unit == MONEY:
        pence = round_half_up(number, 2)
        places = 0 if pence == pence.to_integral_value() else 2
        return f"{'-' if pence < 0 else ''}£{abs(pence):,.{places}f}"
    one_place = round_half_up(number)
    if unit == PERCENTAGE:
        return f"{one_place:,.1f}%"
    if unit == DAYS:
        return f"{one_place:,.1f} days"
    if unit == WEEKS:
        return f"{one_place:,.1f} weeks"
    return f"{one_place:,.1f} per 10,000"


@dataclass(frozen=True)
class Shown:
    """A value ready to print, or the reason it is not printed."""

    text: str  # what to print, e.g. "72.5%", "fewer than 5", "withheld", "–" (no value)
    value: Decimal | None  # the number when shown, else None (for charts and exports)
    suppressed: bool


def fewer_than() -> str:
    return f"fewer than {threshold()}"


def shown(
    value: Number | None,
    *,
    unit: str,
    numerator: Number | None = None,
    denominator: Number | None = None,
    suppress: bool,
    describes: str = Describes.CHILDREN,
) -> Shown:
    """What to print for a value, hiding small numbers when `suppress` (board pages and exports).

    With `suppress`, a count of 1-4 prints "fewer than 5" (0 is shown: it identifies nobody), and
    a value built on a numerator and denominator that `send_qa.core.suppression.figure_withheld`
    refuses is "withheld": about children, a numerator or denominator of 1-4, or a numerator 1-4
    short of its denominator (198 of 200), since a percentage of a tiny group, or of all but a
    few of a group, can be worked back to the children it is about; about the service's own work
    over a term, a denominator of 1-4. Suppressed values carry no number, so a chart or export
    cannot leak them. Without `suppress`, everything is shown as it is.
    """
    _check_unit(unit)
    number = to_decimal(value)
    if number is None:
        return Shown(text=NO_VALUE, value=None, suppressed=False)
    if suppress:
        if unit == COUNT and is_small(number):
            return Shown(text=fewer_than(), value=None, suppressed=True)
        part, whole = to_decimal(numerator), to_decimal(denominator)
        if figure_withheld(part, whole, describes=describes):
            return Shown(text=WITHHELD, value=None, suppressed=True)
    return Shown(text=format_value(number, unit=unit), value=number, suppressed=False)


J = TypeVar("J")


def judged(judgement: J | None, *values: Shown | None) -> J | None:
    """A judgement of values (RAG, direction of travel, rank and quartile) only when every value
    it is made from is shown: a value withheld or "fewer than 5" carries none, since "red, rank
    21 of 21" beside "withheld" tells what the word hides (decision 0013)."""
    if any(value is not None and value.suppressed for value in values):
        return None
    return judgement


def export_cell(value: Shown | None) -> object:
    """A value for a CSV or XLSX export: the number as published, without trailing zeros
    (46.4, not 46.400000; 100, not 1E+2), or the words for why there is none."""
    if value is None:
        return ""
    if value.suppressed or value.value is None:
        return value.text
    return Decimal(format(value.value.normalize(), "f"))


def suppressed_count(n: int | None) -> str:
    """A head count safe to publish: "fewer than 5" for 1-4, otherwise "1,234" (or "–" if None)."""
    number = to_decimal(n)
    if is_small(number):
        return fewer_than()
    return format_value(number, unit=COUNT)


@dataclass(frozen=True)
class Neighbours:
    """The neighbours' figures for one indicator and period: their mean and median, over the
    neighbours with a value, and how many of those listed had one (a neighbour whose figure is
    suppressed or not available is left out and counted)."""

    mean: Decimal | None
    median: Decimal | None
    with_data: int
    listed: int

    @property
    def coverage(self) -> str:
        return f"{self.with_data} of {self.listed} neighbours with data"


def neighbours(values: Iterable[Number | None]) -> Neighbours:
    """Mean and median of the neighbours' values, exact (Decimal); the median of an even
    number of values is the mean of the middle two. None for both when no neighbour has one."""
    listed = list(values)
    numbers = sorted(n for n in map(to_decimal, listed) if n is not None)
    if not numbers:
        return Neighbours(None, None, 0, len(listed))
    middle = len(numbers) // 2
    median = numbers[middle] if len(numbers) % 2 else (numbers[middle - 1] + numbers[middle]) / 2
    return Neighbours(sum(numbers, Decimal(0)) / len(numbers), median, len(numbers), len(listed))
