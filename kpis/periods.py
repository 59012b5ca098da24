"""What kind of period a value covers, read from its dates, so that like is compared with like.

Published figures come by calendar year (1 January to 31 December), academic year (1 September
to 31 August), financial year (1 April to 31 March) or tax year (6 April to 5 April); the
portal's own by term or quarter. Direction of travel and trends compare a value only with
earlier values of the same kind: never a calendar year with an academic year, nor a year with
a term.
"""

import datetime

CALENDAR_YEAR = "calendar year"
ACADEMIC_YEAR = "academic year"
FINANCIAL_YEAR = "financial year"
TAX_YEAR = "tax year"


def period_kind(start: datetime.date, end: datetime.date) -> str:
    """The kind of the period from `start` to `end` (both included)."""
    if (start.month, start.day) != (2, 29) and end == (
        datetime.date(start.year + 1, start.month, start.day) - datetime.timedelta(days=1)
    ):
        kinds = {
            (1, 1): CALENDAR_YEAR,
            (9, 1): ACADEMIC_YEAR,
            (4, 1): FINANCIAL_YEAR,
            (4, 6): TAX_YEAR,
        }
        return kinds.get((start.month, start.day), "year")
    days = (end - start).days + 1
    if days <= 31:
        return "month"
    if days <= 140:
        return "term or quarter"
    if days <= 200:
        return "half year"
    return "other"
