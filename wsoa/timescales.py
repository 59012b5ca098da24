"""Read the free-text "Timescale" cell of a Written Statement of Action into due dates.

Councils write timescales such as "Dec 2019", "July 2020 July 2021", "Summer term 2019",
"31st October 2019" or "Quarterly report provided starting in September 2019". Each date
means "due by": a month is due by its last day, a term by the end of the term, an academic
year by 31 August and a financial quarter by the quarter's last day.

What is read:

- a month and year: "May 2019", "Sept. 2019", "September, 2019", "Oct '19", "10/2019";
- a date: "31st October 2019", "31 Oct 19", "October 31st, 2019", "31/10/2019" (day first),
  "31.10.19", "31-10-2019", "2019-10-31";
- a term: "Autumn term 2019" (31 December), "Spring term 2020" (30 April), "Summer 2019"
  (31 August), or with its academic year: "Autumn term 2019/20";
- an academic year "2019/20" or "2019-2020" (31 August 2020); "financial year 2019/20" or
  "FY 2019/20" (31 March 2020);
- a financial quarter "Q3 2019/20" or "Quarter 3 2019-20" (Q1 April-June ... Q4 January-March);
- a month range "Jan - Mar 2020" or "January to March 2020": due by the end of the last month.

Several dates in one text give several due dates, in date order and without repeats; a date
is due by its period's end whatever the words around it ("starting in", "from", "by", "end
of", "report provided" are allowed and ignored). "Ongoing" sets `ongoing`; words saying how
often set `recurring` to one of "weekly", "fortnightly", "monthly", "half-termly", "termly",
"quarterly", "six-monthly" or "annually" (the first such word in the text). Text made only of
these words is accepted, with no due dates. HTML left over from Word tables ("<p>") is ignored.
A number that names something ("Phase 1", "Year 11", "every 6 weeks") is not a date.

Two-digit years are read only where they cannot be anything else, always as 20YY: after an
apostrophe ("Oct '19"), after a day and month ("31 Oct 19") and in numeric dates
("31/10/19"). "Oct 19" is refused, because it could be 19 October as well as October 2019.

Refused with a TimescaleError that says what to write: empty text, text with no date and no
such word ("Soon", "TBC"), a month or term without a year ("by July"), a year on its own
("2020"), a quarter without its financial year ("Q3 2019"), dates that do not exist
("31/02/2020") and any other number that is not part of a date.
"""

import calendar
import datetime
import re
from dataclasses import dataclass, field

__all__ = ["DueDate", "Timescale", "TimescaleError", "dated", "parse_timescale"]


@dataclass(frozen=True)
class DueDate:
    """One date an action is due by, and the words it was read from."""

    due: datetime.date
    text: str


@dataclass(frozen=True)
class Timescale:
    """A timescale cell read into its due dates and how often the action recurs."""

    text: str
    due_dates: list[DueDate] = field(default_factory=list)
    recurring: str = ""
    ongoing: bool = False


class TimescaleError(ValueError):
    """A timescale that cannot be read; str() says what was not understood and how to write it."""


HOW_TO_WRITE = (
    "Write a month and year such as Dec 2019, a date such as 31 October 2019, or a term such "
    "as Summer term 2019; several dates can be listed."
)
NO_END_DATE = " If there is no end date, write Ongoing, or how often it happens, such as Termly."

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}

# Ends of the terms, as the project's default term dates (send_qa.core.models._TERM_SPANS):
# (month, day, years after the calendar year the academic year starts in).
TERM_ENDS = {"autumn": (12, 31, 0), "spring": (4, 30, 1), "summer": (8, 31, 1)}
# Financial quarters: (month the quarter ends in, years after the financial year's start).
QUARTER_ENDS = {1: (6, 0), 2: (9, 0), 3: (12, 0), 4: (3, 1)}
QUARTER_SPANS = {1: "April to June", 2: "July to September", 3: "October to December"}

_MONTH = r"\b(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")(?![a-z])\.?"
_YEAR = r"(?:19|20)\d\d(?!\d)"
_DASH = "[-\u2010-\u2015]"
_SECOND_YEAR = rf"\s*(?:/|{_DASH})\s*(?:{_YEAR}|\d\d(?!\d))"
_DAY = r"\b[0-3]?\d(?:st|nd|rd|th)?(?!\d)"
_SEP = r"[\s,]*"

# Alternatives are tried in this order at each position; the leftmost match wins.
_DATES = re.compile(
    rf"""
    (?P<quarter>\b(?:q|quarter\s*)(?P<q_num>[1-4])\s*(?:of\s+)?
        (?:(?:financial\s+year|fy)\s*)?(?P<q_year>{_YEAR})(?P<q_second>{_SECOND_YEAR})?)
    | (?P<term>\b(?P<t_season>autumn|spring|summer)(?:\s+term)?{_SEP}(?:of\s+)?
        (?P<t_year>{_YEAR})(?P<t_second>{_SECOND_YEAR})?)
    | (?P<iso>\b(?P<i_year>{_YEAR})-(?P<i_month>\d\d?)-(?P<i_day>\d\d?)(?!\d))
    | (?P<numeric>\b(?P<n_day>\d\d?)(?P<n_sep>[/.-])(?P<n_month>\d\d?)(?P=n_sep)
        (?P<n_year>{_YEAR}|\d\d(?!\d)))
    | (?P<day_month>(?P<dm_day>{_DAY})\s*(?:of\s+)?(?P<dm_month>{_MONTH}){_SEP}
        (?P<dm_year>{_YEAR}|'?\d\d(?!\d)))
    | (?P<month_day>(?P<md_month>{_MONTH})\s*(?P<md_day>{_DAY}){_SEP}(?P<md_year>{_YEAR}))
    | (?P<range>{_MONTH}\s*(?:{_DASH}|\bto\b|\buntil\b|\btill\b)\s*
        (?P<r_month>{_MONTH}){_SEP}(?P<r_year>{_YEAR}))
    | (?P<month_year>(?P<my_month>{_MONTH}){_SEP}(?P<my_year>{_YEAR}|'\d\d(?!\d)))
    | (?P<month_yy>(?P<yy_month>{_MONTH})(?:\s+|{_DASH})(?P<yy>\d\d)(?![\d/]|st|nd|rd|th))
    | (?P<numeric_month>\b(?P<nm_month>\d\d?)/(?P<nm_year>{_YEAR}))
    | (?P<year_span>\b(?:(?P<ys_financial>financial\s+year|fy)|academic\s+year)?\s*
        (?P<ys_year>{_YEAR})(?P<ys_second>{_SECOND_YEAR}))
    """,
    re.IGNORECASE | re.VERBOSE,
)

# Words left over between the dates that are still wrong without a year, or numbers.
_LEFTOVER = re.compile(
    rf"""
    (?P<quarter>\b(?:q|quarter\s*)[1-4]\b)
    | (?P<day>{_DAY}\s*(?:of\s+)?{_MONTH}|{_MONTH}\s*\d\d?(?:st|nd|rd|th)\b)
    | (?P<season>\b(?:autumn|spring|summer)(?:\s+term)?\b)
    | (?P<month>{_MONTH})
    | (?P<number>\b\d[\d/.'-]*(?:st|nd|rd|th)?)
    """,
    re.IGNORECASE | re.VERBOSE,
)
_UNIT = re.compile(
    r"\s*(?:days?|weeks?|weekly|months?|monthly|years?|terms?|termly|times|sessions?)\b",
    re.IGNORECASE,
)
_NUMBERED = re.compile(
    r"\b(?:phase|stage|step|part|wave|round|tranche|cohort|year|level|action|no\.?)\s*$",
    re.IGNORECASE,
)
_BEFORE_MAY = re.compile(
    r"(?:\b(?:by|in|from|until|till|before|of|to|and|or|end|mid|early|late|during|after)"
    rf"|{_DASH})\s*$",
    re.IGNORECASE,
)

# How often: the first of these in the text wins, so "half-termly" is not read as "termly".
_RECURRING = [
    ("weekly", r"weekly|every\s+week|each\s+week|once\s+a\s+week"),
    ("fortnightly", r"fortnightly|every\s+(?:two|2)\s+weeks"),
    ("half-termly", r"half[\s-]?termly|(?:every|each)\s+half[\s-]?term"),
    (
        "six-monthly",
        r"(?:six|6)[\s-]?monthly|bi-?annually|twice\s+a\s+year|every\s+(?:six|6)\s+months",
    ),
    ("monthly", r"monthly|every\s+month|each\s+month|once\s+a\s+month|per\s+month"),
    ("termly", r"termly|every\s+term|each\s+term|once\s+a\s+term|per\s+term"),
    ("quarterly", r"quarterly|every\s+quarter|each\s+quarter|per\s+quarter"),
    ("annually", r"annually|yearly|every\s+year|each\s+year|once\s+a\s+year|per\s+annum"),
]
_RECURRING_RE = re.compile(
    "|".join(rf"(?P<r{i}>\b(?:{pattern})\b)" for i, (_, pattern) in enumerate(_RECURRING)),
    re.IGNORECASE,
)
_ONGOING = re.compile(r"\bon[\s-]?going\b", re.IGNORECASE)
_MARKUP = re.compile(r"<[^>]*>|&(?:nbsp|amp|ndash|mdash|#\d+);", re.IGNORECASE)


def parse_timescale(text: str) -> Timescale:
    """Read a timescale cell; raise TimescaleError, with a message for the user, if it can't be."""
    original = (text or "").strip()
    if not original:
        raise TimescaleError(
            "The timescale is empty: write a month and year such as Dec 2019, a date such as "
            "31 October 2019, a term such as Summer term 2019, or Ongoing if it has no end date."
        )
    # Tags and entities (from tables copied out of Word) become spaces of the same length,
    # so that positions still point into the original text.
    work = _MARKUP.sub(lambda m: " " * len(m.group()), original)

    found: dict[datetime.date, DueDate] = {}
    checked = scan = 0
    while match := _DATES.search(work, scan):
        if match.group("day_month") and _NUMBERED.search(work, 0, match.start()):
            scan = match.end("dm_day")  # "Phase 1 Dec 2019": the 1 is not a day
            continue
        _check_leftovers(original, work, checked, match.start())
        checked = scan = match.end()
        piece = " ".join(work[match.start() : match.end()].split()).rstrip(",")
        due = _due(match, piece, original)
        found.setdefault(due, DueDate(due, piece))
    _check_leftovers(original, work, checked, len(work))

    recurring = _recurring(work)
    ongoing = bool(_ONGOING.search(work))
    if not found and not recurring and not ongoing:
        raise TimescaleError(f"'{original}' is not a date we can read. {HOW_TO_WRITE}{NO_END_DATE}")
    return Timescale(
        text=original,
        due_dates=[found[day] for day in sorted(found)],
        recurring=recurring,
        ongoing=ongoing,
    )


def _due(match: re.Match[str], piece: str, text: str) -> datetime.date:
    """The date one matched piece of text is due by."""
    group = match.group
    if group("quarter"):
        number, start = int(group("q_num")), int(group("q_year"))
        if not group("q_second"):
            raise TimescaleError(_quarter_without_financial_year(piece, text, number, start))
        _check_following_year(piece, text, start, group("q_second"))
        month, later = QUARTER_ENDS[number]
        return _month_end(start + later, month)
    if group("term"):
        season, year = group("t_season").lower(), int(group("t_year"))
        month, day, later = TERM_ENDS[season]
        if group("t_second"):
            _check_following_year(piece, text, year, group("t_second"))
            return datetime.date(year + later, month, day)
        # "Autumn term 2019" is autumn 2019; "Spring term 2020" and "Summer 2020" are in 2020.
        return datetime.date(year, month, day)
    if group("iso"):
        return _day(piece, text, int(group("i_year")), int(group("i_month")), int(group("i_day")))
    if group("numeric"):
        year = _full_year(group("n_year"))
        return _day(piece, text, year, int(group("n_month")), int(group("n_day")))
    if group("day_month"):
        day = int(_digits(group("dm_day")))
        month = _month_number(group("dm_month"))
        return _day(piece, text, _full_year(group("dm_year")), month, day)
    if group("month_day"):
        day = int(_digits(group("md_day")))
        month = _month_number(group("md_month"))
        return _day(piece, text, int(group("md_year")), month, day)
    if group("range"):
        return _month_end(int(group("r_year")), _month_number(group("r_month")))
    if group("month_year"):
        return _month_end(_full_year(group("my_year")), _month_number(group("my_month")))
    if group("month_yy"):
        raise TimescaleError(_two_digit_year(piece, text, group("yy_month"), int(group("yy"))))
    if group("numeric_month"):
        month, year = int(group("nm_month")), int(group("nm_year"))
        if not 1 <= month <= 12:
            raise TimescaleError(_not_real(piece, text))
        return _month_end(year, month)
    # An academic or financial year.
    start = int(group("ys_year"))
    _check_following_year(piece, text, start, group("ys_second"))
    if group("ys_financial"):
        return datetime.date(start + 1, 3, 31)
    return datetime.date(start + 1, 8, 31)


def _check_leftovers(original: str, work: str, start: int, end: int) -> None:
    """Refuse month names, terms, quarters and numbers between the dates that aren't dates."""
    for match in _LEFTOVER.finditer(work, start, end):
        token = original[match.start() : match.end()].rstrip(".-/'")
        where = _where(token, original)
        if match.group("quarter"):
            raise TimescaleError(
                f"{where} needs its financial year, such as {token.upper()} 2019/20. "
                "Financial years run from April to March: Q1 is April to June, Q2 July to "
                "September, Q3 October to December and Q4 January to March."
            )
        if match.group("day"):
            raise TimescaleError(
                f"{where} has a day and month but no year. Add the year, such as "
                f"{token} {_this_year()}."
            )
        if match.group("season"):
            raise TimescaleError(
                f"{where} has a term but no year. Add the year, such as "
                f"{token.split()[0].capitalize()} term {_this_year()}."
            )
        if match.group("month"):
            name = token.rstrip(".")
            if name.lower() == "may" and not _means_the_month(work, match.start()):
                continue  # "may" the verb, as in "may be extended"
            raise TimescaleError(
                f"{where} has a month but no year. Add the year, such as "
                f"{name.capitalize()} {_this_year()}."
            )
        if _UNIT.match(work, match.end()):
            continue  # "every 6 weeks"
        is_year = re.fullmatch(_YEAR, token)
        if not is_year and _NUMBERED.search(work, 0, match.start()):
            continue  # "Phase 1"
        if is_year:
            year = int(token)
            raise TimescaleError(
                f"{where} is only a year. Say when in {year} it is due: a month such as "
                f"Dec {year}, a term such as Summer term {year}, or an academic year such as "
                f"{year - 1}/{year % 100:02d}."
            )
        raise TimescaleError(f"{where} is not a date we can read. {HOW_TO_WRITE}")


def _means_the_month(work: str, start: int) -> bool:
    """Whether a "may" without a year is the month (by May) rather than the verb."""
    alone = not work[:start].strip() and not work[start + 3 :].strip()
    return alone or bool(_BEFORE_MAY.search(work, 0, start))


def _recurring(work: str) -> str:
    """How often the text says the action recurs: the first such word, or ""."""
    match = _RECURRING_RE.search(work)
    if not match or match.lastgroup is None:  # every alternative is a named group
        return ""
    index = int(match.lastgroup[1:])
    return _RECURRING[index][0]


def _digits(piece: str) -> str:
    """The first run of digits in a piece the pattern matched as a day or a year."""
    found = re.search(r"\d+", piece)
    if found is None:
        raise ValueError(f"{piece!r} holds no digits")
    return found.group()


def _month_number(name: str) -> int:
    return MONTHS[name.rstrip(".").lower()]


def _full_year(digits: str) -> int:
    """A year from four digits, or from two (with or without an apostrophe) as 20YY."""
    digits = digits.lstrip("'")
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _day(piece: str, text: str, year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise TimescaleError(_not_real(piece, text)) from None


def _check_following_year(piece: str, text: str, start: int, second: str) -> None:
    """Check that the second year of "2019/20" is the year after the first."""
    digits = _digits(second)
    follows = int(digits) == start + 1 if len(digits) == 4 else int(digits) == (start + 1) % 100
    if not follows:
        raise TimescaleError(
            f"{_where(piece, text)} is not an academic or financial year: the second year must "
            f"be the one after the first, as in {start}/{(start + 1) % 100:02d}."
        )


def _where(piece: str, text: str) -> str:
    """Name the piece that was not understood, and the whole text if it is only part of it."""
    return f"'{text}'" if piece == text else f"'{piece}' in '{text}'"


def _not_real(piece: str, text: str) -> str:
    return (
        f"{_where(piece, text)} is not a real date. Check the day and the month: dates are read "
        "day first, as in 31/10/2019 for 31 October 2019."
    )


def _two_digit_year(piece: str, text: str, month_name: str, number: int) -> str:
    month = month_name.rstrip(".").capitalize()
    full = MONTHS[month.lower()]
    if 1 <= number <= calendar.monthrange(2000 + number, full)[1]:
        return (
            f"{_where(piece, text)} could mean {month} {2000 + number} or "
            f"{number} {calendar.month_name[full]}. Write the year in full, such as "
            f"{month} {2000 + number}, or the day with its year, such as "
            f"{number} {calendar.month_name[full]} {2000 + number}."
        )
    return f"{_where(piece, text)}: write the year in full, such as {month} {2000 + number}."


def _quarter_without_financial_year(piece: str, text: str, number: int, year: int) -> str:
    if number == 4:
        this, other = (year - 1, year), (year, year + 1)
    else:
        this, other = (year, year + 1), (year - 1, year)
    span = QUARTER_SPANS.get(number, "January to March")
    return (
        f"{_where(piece, text)} does not say which financial year it is. Write the quarter with "
        f"its financial year: Q{number} {this[0]}/{this[1] % 100:02d} is {span} {year}, and "
        f"Q{number} {other[0]}/{other[1] % 100:02d} is {span} "
        f"{year - 1 if number != 4 else year + 1}. Financial years run from April to March."
    )


def _this_year() -> int:
    return datetime.date.today().year


_YEAR_MONTH = re.compile(r"^\s*((?:19|20)\d\d)\s*-\s*(\d\d?)\s*$")
_MONTH_SHORT_YEAR = re.compile(r"^\s*([a-z]+)\.?\s*[-'\s]\s*'?(\d\d)\s*$", re.IGNORECASE)


def dated(text: str, *, today: datetime.date) -> datetime.date:
    """The day a progress update, or a column of RAGs, describes: a day ("31/03/2021",
    "2021-03-31", "31 March 2021") or a month ("May 2020", "May-20", "2021-02"), which means
    its last day (today, for the month we are in). Never in the future; anything that is not
    plainly one date ("March 2-21") is a TimescaleError that names it rather than a guess."""
    original = " ".join((text or "").split())
    day = _month_written_short(original)
    if day is None:
        try:
            timescale = parse_timescale(original)
        except TimescaleError as error:
            raise TimescaleError(
                f"{error} Write one date, such as 31/03/2021 or May 2020."
            ) from None
        if len(timescale.due_dates) != 1 or timescale.recurring or timescale.ongoing:
            raise TimescaleError(
                f"'{original}' is not one date. Write one date, such as 31/03/2021 or May 2020."
            )
        day = timescale.due_dates[0].due
    if day > today and (day.year, day.month) == (today.year, today.month):
        return today
    if day > today:
        raise TimescaleError(
            f"'{original}' is in the future. A progress update says how an action stood on a "
            "day that has come."
        )
    return day


def _month_written_short(text: str) -> datetime.date | None:
    """ "2021-02" and "May-20" mean a month where only a month can be meant (a dated column)."""
    if match := _YEAR_MONTH.match(text):
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise TimescaleError(
                f"'{text}' has no month {month}. Write one date, such as 31/03/2021 or May 2020."
            )
        return _month_end(year, month)
    match = _MONTH_SHORT_YEAR.match(text)
    if match and match.group(1).lower() in MONTHS:
        return _month_end(2000 + int(match.group(2)), MONTHS[match.group(1).lower()])
    return None
