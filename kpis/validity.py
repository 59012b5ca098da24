"""The one rule for a KPI value: what the values form, the file import and the model check.

Each writer first reads its own input (a form field, a cell of a file) into numbers, dates and
text, and says so when it cannot; everything that makes a value right or wrong once read is
here, so that a value the form accepts the import accepts, with the same message. A problem
names the field (a Measurement field's name) and says how to put it right: the form shows the
message at the field, the import after the row and column.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from kpis.choices import LA_CODE, PERIOD_LABEL_LENGTH, Area, Unit
from send_qa.core.figures import percent, round_half_up

LARGEST = Decimal(10) ** 11  # what DecimalField(max_digits=14, decimal_places=3) can hold
LABEL_LENGTH = PERIOD_LABEL_LENGTH
MATCH = Decimal("0.1")  # how far a percentage may be from numerator / denominator
AREA_CHOICES = "local, england, region, statistical_neighbours, la:CODE (e.g. la:873)"


@dataclass(frozen=True)
class Problem:
    field: str  # "period_end", "period_label", "area", "value", "numerator" or "denominator"
    message: str


def kept(number: Decimal | None) -> Decimal | None:
    """The number as the portal keeps it: more than 3 decimal places are rounded half-up (a
    spreadsheet's 66.66666666666667 is kept as 66.667). Numbers too large to keep are left as
    they are, for `measurement_problems` to name."""
    exponent = number.as_tuple().exponent if number is not None else 0
    if number is None or abs(number) >= LARGEST or not isinstance(exponent, int) or exponent >= -3:
        return number
    return round_half_up(number, 3)  # Measurement keeps 3 decimal places


def value_problem(unit: str, value: Decimal) -> str | None:
    """What is wrong with a value in its unit, or None: a percentage is from 0 to 100, and
    nothing the portal measures (counts, rates, days, weeks, money) is below zero. Values,
    baselines and targets are all read by this rule."""
    if unit == Unit.PERCENTAGE and not 0 <= value <= 100:
        return "Enter a percentage between 0 and 100, for example 72.5"
    if value < 0:
        return "Enter a value of 0 or more"
    return None


def measurement_problems(
    *,
    unit: str | None,
    computed: bool,
    code: str,
    period_start: datetime.date | None,
    period_end: datetime.date | None,
    area: str,
    value: Decimal | None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    period_label: str = "",
    by_portal: bool = False,
) -> list[Problem]:
    """Every reason the value cannot be kept, in the order of the fields. `unit`, `computed`
    and `code` are the indicator's; numbers are as `kept` gives them; `by_portal` is true for
    the portal's own calculation of a computed indicator. A writer that could not read the
    indicator or a date passes None, and the rules that need it are left out."""
    problems = []
    if period_start and period_end and period_end < period_start:
        problems.append(Problem("period_end", "The period must end on or after the day it starts"))
    if len(period_label) > LABEL_LENGTH:
        problems.append(
            Problem(
                "period_label",
                f"Name the period in at most {LABEL_LENGTH} characters, for example Autumn 2026",
            )
        )
    if area not in Area.values and not LA_CODE.match(area):
        problems.append(Problem("area", f"{area!r} is not an area. Use one of: {AREA_CHOICES}"))
    elif computed and area == Area.LOCAL and not by_portal:
        problems.append(
            Problem(
                "area",
                f"{code} is calculated by the portal for this area. Give only England, region, "
                "statistical neighbours' or other local authorities' values for it",
            )
        )
    numbers = {"value": value, "numerator": numerator, "denominator": denominator}
    for name, number in numbers.items():
        if number is not None and abs(number) >= LARGEST:
            problems.append(Problem(name, f"Enter a number below {LARGEST:,}"))
            numbers[name] = None
    value, numerator, denominator = numbers.values()
    percentage = unit == Unit.PERCENTAGE
    if value is not None and unit is not None and (wrong := value_problem(unit, value)):
        problems.append(Problem("value", wrong))
    if numerator is not None and numerator < 0:
        problems.append(Problem("numerator", "Enter a numerator of 0 or more, or leave it empty"))
    if denominator is not None and denominator <= 0:
        problems.append(Problem("denominator", "Enter a denominator above 0, or leave it empty"))
    elif (
        percentage
        and value is not None
        and numerator is not None
        and denominator is not None
        and abs(100 * numerator / denominator - value) > MATCH
    ):
        expected = percent(numerator, denominator)
        problems.append(
            Problem(
                "value",
                f"The value does not match numerator / denominator ({expected}%). "
                "Correct one of the three",
            )
        )
    return problems
