"""The one way the portal rounds and makes percentages, so a figure reads the same everywhere.

Published statistics round half up (72.45 -> 72.5), not to the nearest even digit as Python's
float `round` does (and which, through binary floats, turns 41.25 into 41.2). Every page,
export, chart, computed indicator and the termly report call these two functions; nothing else
rounds a figure for people to read.
"""

from decimal import ROUND_HALF_UP, Decimal

Number = int | float | Decimal

ONE_PLACE = 1


def round_half_up(number: Number, places: int = ONE_PLACE) -> Decimal:
    """`number` rounded half up to `places` decimal places, as an exact Decimal (never "-0")."""
    exact = number if isinstance(number, Decimal) else Decimal(str(number))
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded == 0 else rounded


def percent(part: Number, whole: Number, places: int = ONE_PLACE) -> Decimal | None:
    """`part` as a percentage of `whole`, rounded half up to one decimal place; None when there
    is no whole (nothing to take a percentage of). Exact: 33 of 80 is 41.25, so 41.3."""
    if not whole:
        return None
    exact = Decimal(100) * Decimal(str(part)) / Decimal(str(whole))
    return round_half_up(exact, places)
