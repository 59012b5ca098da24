"""Periods as the DfE's files say them: `time_period` read by its `time_identifier`.

A calendar year is "2024"; academic, financial and tax years are "202324" (2023/24). Each is
read into its first and last day, so a calendar year (1 January to 31 December) is never
mistaken for an academic year (1 September to 31 August) or a financial year (1 April to
31 March).
"""

import datetime
import re
from typing import NamedTuple

CALENDAR, ACADEMIC, FINANCIAL, TAX = (
    "Calendar year",
    "Academic year",
    "Financial year",
    "Tax year",
)
IDENTIFIERS = (CALENDAR, ACADEMIC, FINANCIAL, TAX)

YEAR = re.compile(r"^(\d{4})$")
TWO_YEARS = re.compile(r"^(\d{4})(\d{2})$")


class PublishedPeriod(NamedTuple):
    start: datetime.date
    end: datetime.date
    label: str


class PeriodProblem(ValueError):
    """A time_period the time_identifier cannot mean; the message names the fix."""


def published_period(time_period: str, time_identifier: str) -> PublishedPeriod:
    period, identifier = time_period.strip(), time_identifier.strip()
    known = {name.lower(): name for name in IDENTIFIERS}
    if identifier.lower() not in known:
        raise PeriodProblem(
            f'"{identifier}" is not a time_identifier the portal reads: use one of '
            + ", ".join(IDENTIFIERS)
        )
    identifier = known[identifier.lower()]
    if identifier == CALENDAR:
        match = YEAR.match(period)
        if not match:
            raise PeriodProblem(
                f'"{period}" is not a calendar year: write it as four digits, such as 2024'
            )
        year = int(match.group(1))
        return PublishedPeriod(
            datetime.date(year, 1, 1), datetime.date(year, 12, 31), f"{year} (calendar year)"
        )
    match = TWO_YEARS.match(period)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise PeriodProblem(
            f'"{period}" is not an {identifier.lower()}: the DfE writes it as the first year '
            "and the last two digits of the next, such as 202324 for 2023/24"
            if identifier == ACADEMIC
            else f'"{period}" is not a {identifier.lower()}: the DfE writes it as the first '
            "year and the last two digits of the next, such as 202324 for 2023-24"
        )
    first = int(match.group(1))
    short = match.group(2)
    if identifier == ACADEMIC:
        return PublishedPeriod(
            datetime.date(first, 9, 1),
            datetime.date(first + 1, 8, 31),
            f"{first}/{short} (academic year)",
        )
    if identifier == FINANCIAL:
        return PublishedPeriod(
            datetime.date(first, 4, 1),
            datetime.date(first + 1, 3, 31),
            f"{first}-{short} (financial year)",
        )
    return PublishedPeriod(
        datetime.date(first, 4, 6), datetime.date(first + 1, 4, 5), f"{first}-{short} (tax year)"
    )
