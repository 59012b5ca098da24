"""Reading the free-text Timescale of a WSOA action into due dates: every timescale in the
Thurrock seed (004), the forms councils write, and the messages for text that can't be read."""

import dataclasses
import datetime
from pathlib import Path

import pytest

from wsoa.timescales import DueDate, Timescale, TimescaleError, parse_timescale

D = datetime.date
SEED = Path("/work/shared/seeds/004_9a053f0ed1f001da.txt")
THIS_YEAR = datetime.date.today().year


def due(text: str) -> list[tuple[datetime.date, str]]:
    """The due dates read from text, as (date, the words it came from)."""
    return [(d.due, d.text) for d in parse_timescale(text).due_dates]


def refusal(text: str) -> str:
    """The message parse_timescale refuses text with."""
    with pytest.raises(TimescaleError) as caught:
        parse_timescale(text)
    return str(caught.value)


# Every Timescale cell in the WSOA action tables of seed 004 (the header "Improvement Area
# Actions Success Measure(s) Lead Governance Forum Timescale RAG Progress Update"; the
# 6th tab-separated cell), once each, with the seed's line numbers. Blank cells are left out.
SEED_READ = [
    ("May 2019", [(D(2019, 5, 31), "May 2019")], ""),  # 344, 472
    ("Nov 2019", [(D(2019, 11, 30), "Nov 2019")], ""),  # 346, 361
    ("<p>June 2019</p> <p>June 2019</p>", [(D(2019, 6, 30), "June 2019")], ""),  # 350
    (
        "Quarterly report provided starting in September 2019",
        [(D(2019, 9, 30), "September 2019")],
        "quarterly",
    ),  # 351
    ("September 2019", [(D(2019, 9, 30), "September 2019")], ""),  # 355
    ("October 2019", [(D(2019, 10, 31), "October 2019")], ""),  # 356, 362
    ("Oct 2019", [(D(2019, 10, 31), "Oct 2019")], ""),  # 360, 400, 477
    ("Dec 2019", [(D(2019, 12, 31), "Dec 2019")], ""),  # 388, 401, 405, 466, 473, 483, 484, 488
    ("Feb 2020", [(D(2020, 2, 29), "Feb 2020")], ""),  # 389, 394, 395 (a leap year)
    ("Jan 2020", [(D(2020, 1, 31), "Jan 2020")], ""),  # 390
    ("March 2020", [(D(2020, 3, 31), "March 2020")], ""),  # 396, 404, 468
    ("July 2020", [(D(2020, 7, 31), "July 2020")], ""),  # 406, 478, 482
    ("Sep 2019", [(D(2019, 9, 30), "Sep 2019")], ""),  # 461, 467
    (
        "July 2020 July 2021",
        [(D(2020, 7, 31), "July 2020"), (D(2021, 7, 31), "July 2021")],
        "",
    ),  # 462
    ("April 2020", [(D(2020, 4, 30), "April 2020")], ""),  # 489
]

# Seed cells that are refused, with words the message must have.
SEED_REFUSED = [
    # 460: October 2019 or 19 October? The year must be written in full.
    ("Oct 19", ["'Oct 19'", "Oct 2019", "19 October", "year in full"]),
    # 465: the end of line 462's row, carried over a page break; a year on its own.
    ("2020", ["'2020'", "only a year", "Dec 2020", "Summer term 2020", "2019/20"]),
]


@pytest.mark.parametrize(("text", "expected", "recurring"), SEED_READ, ids=lambda v: str(v))
def test_every_timescale_in_the_seed_is_read(text, expected, recurring):
    timescale = parse_timescale(text)
    assert [(d.due, d.text) for d in timescale.due_dates] == expected
    assert timescale.recurring == recurring
    assert timescale.ongoing is False
    assert timescale.text == text


@pytest.mark.parametrize(("text", "words"), SEED_REFUSED, ids=[t for t, _ in SEED_REFUSED])
def test_the_seeds_unreadable_timescales_are_refused_with_a_fix(text, words):
    message = refusal(text)
    for word in words:
        assert word in message


def test_the_lists_above_hold_every_timescale_in_the_seed():
    """Guards the lists above against the seed file, when the shared seeds are present."""
    if not SEED.exists():
        pytest.skip("the shared seeds are not here")
    cells, in_table = set(), False
    for line in SEED.read_text(encoding="utf-8").splitlines():
        row = line.split("\t")
        if row[0].lower() == "improvement area" and row[5:6] == ["Timescale"]:
            in_table = True
        elif in_table and len(row) < 6:
            in_table = False
        elif in_table and row[5].strip():
            cells.add(row[5].strip())
    assert cells == {t for t, *_ in SEED_READ} | {t for t, _ in SEED_REFUSED}


@pytest.mark.parametrize(
    ("text", "expected", "recurring", "ongoing"),
    [
        ("May 2019", [D(2019, 5, 31)], "", False),
        ("Dec 2019", [D(2019, 12, 31)], "", False),
        ("Sep 2019", [D(2019, 9, 30)], "", False),
        ("Nov 2019", [D(2019, 11, 30)], "", False),
        ("Oct 2019", [D(2019, 10, 31)], "", False),
        ("July 2020 July 2021", [D(2020, 7, 31), D(2021, 7, 31)], "", False),
        (
            "Quarterly report provided starting in September 2019",
            [D(2019, 9, 30)],
            "quarterly",
            False,
        ),
        ("Summer term 2019", [D(2019, 8, 31)], "", False),
        ("September 2019 and ongoing", [D(2019, 9, 30)], "", True),
        ("31st October 2019", [D(2019, 10, 31)], "", False),
        ("April 2020", [D(2020, 4, 30)], "", False),
        ("Ongoing", [], "", True),
        ("Termly", [], "termly", False),
    ],
    ids=lambda v: str(v),
)
def test_the_examples_in_the_brief(text, expected, recurring, ongoing):
    timescale = parse_timescale(text)
    assert [d.due for d in timescale.due_dates] == expected
    assert (timescale.recurring, timescale.ongoing) == (recurring, ongoing)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("May 2019", D(2019, 5, 31)),
        ("may 2019", D(2019, 5, 31)),
        ("MAY 2019", D(2019, 5, 31)),
        ("Sept 2019", D(2019, 9, 30)),
        ("Sept. 2019", D(2019, 9, 30)),
        ("sep. 2019", D(2019, 9, 30)),
        ("September 2019", D(2019, 9, 30)),
        ("September, 2019", D(2019, 9, 30)),
        ("  Jun   2019 . ", D(2019, 6, 30)),
        ("Feb 2019", D(2019, 2, 28)),
        ("Feb 2020", D(2020, 2, 29)),
        ("Oct '19", D(2019, 10, 31)),
        ("10/2019", D(2019, 10, 31)),
        ("by end of May 2019", D(2019, 5, 31)),
        ("mid-May 2019", D(2019, 5, 31)),
        ("From Jan 2020", D(2020, 1, 31)),
    ],
    ids=lambda v: str(v),
)
def test_a_month_and_year_is_due_by_the_end_of_the_month(text, expected):
    assert [d for d, _ in due(text)] == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31st October 2019", (D(2019, 10, 31), "31st October 2019")),
        ("31 October 2019", (D(2019, 10, 31), "31 October 2019")),
        ("31 Oct 2019", (D(2019, 10, 31), "31 Oct 2019")),
        ("1st of October 2019", (D(2019, 10, 1), "1st of October 2019")),
        ("2nd Sept. 2019", (D(2019, 9, 2), "2nd Sept. 2019")),
        ("October 31st, 2019", (D(2019, 10, 31), "October 31st, 2019")),
        ("31 Oct 19", (D(2019, 10, 31), "31 Oct 19")),
        ("31/10/2019", (D(2019, 10, 31), "31/10/2019")),
        ("01/10/2019", (D(2019, 10, 1), "01/10/2019")),
        ("1/10/2019", (D(2019, 10, 1), "1/10/2019")),
        ("31/10/19", (D(2019, 10, 31), "31/10/19")),
        ("31.10.2019", (D(2019, 10, 31), "31.10.2019")),
        ("31-10-2019", (D(2019, 10, 31), "31-10-2019")),
        ("2019-10-31", (D(2019, 10, 31), "2019-10-31")),
        ("29/02/2020", (D(2020, 2, 29), "29/02/2020")),
        ("By 31st October 2019.", (D(2019, 10, 31), "31st October 2019")),
    ],
    ids=lambda v: str(v),
)
def test_a_full_date_is_that_day(text, expected):
    assert due(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Autumn term 2019", D(2019, 12, 31)),
        ("Spring term 2020", D(2020, 4, 30)),
        ("Summer term 2019", D(2019, 8, 31)),
        ("Summer 2019", D(2019, 8, 31)),
        ("autumn 2019", D(2019, 12, 31)),
        ("SPRING TERM 2020", D(2020, 4, 30)),
        ("end of the summer term 2020", D(2020, 8, 31)),
        ("Autumn term 2019/20", D(2019, 12, 31)),
        ("Spring term 2019/20", D(2020, 4, 30)),
        ("Summer term 2019/20", D(2020, 8, 31)),
        ("Summer 2019-2020", D(2020, 8, 31)),
    ],
    ids=lambda v: str(v),
)
def test_a_term_is_due_by_the_end_of_the_term(text, expected):
    assert [d for d, _ in due(text)] == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019/20", D(2020, 8, 31)),
        ("2019/2020", D(2020, 8, 31)),
        ("2019-20", D(2020, 8, 31)),
        ("2019 – 2020", D(2020, 8, 31)),
        ("Academic year 2019/20", D(2020, 8, 31)),
        ("by the end of 2019/20", D(2020, 8, 31)),
        ("2099/00", D(2100, 8, 31)),
        ("Financial year 2019/20", D(2020, 3, 31)),
        ("FY 2019/20", D(2020, 3, 31)),
    ],
    ids=lambda v: str(v),
)
def test_an_academic_year_ends_in_august_and_a_financial_year_in_march(text, expected):
    assert [d for d, _ in due(text)] == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q1 2019/20", D(2019, 6, 30)),
        ("Q2 2019/20", D(2019, 9, 30)),
        ("Q3 2019/20", D(2019, 12, 31)),
        ("Q4 2019/20", D(2020, 3, 31)),
        ("q3 2019-20", D(2019, 12, 31)),
        ("Q2 2019/2020", D(2019, 9, 30)),
        ("Quarter 3 2019/20", D(2019, 12, 31)),
        ("end of Q4 2020/21", D(2021, 3, 31)),
    ],
    ids=lambda v: str(v),
)
def test_a_financial_quarter_is_due_by_its_last_day(text, expected):
    assert [d for d, _ in due(text)] == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "July 2020 July 2021",
            [(D(2020, 7, 31), "July 2020"), (D(2021, 7, 31), "July 2021")],
        ),
        (
            "Dec 2019 and March 2020",
            [(D(2019, 12, 31), "Dec 2019"), (D(2020, 3, 31), "March 2020")],
        ),
        (
            "Dec 2019 – March 2020",
            [(D(2019, 12, 31), "Dec 2019"), (D(2020, 3, 31), "March 2020")],
        ),
        (
            "Dec 2019-March 2020",
            [(D(2019, 12, 31), "Dec 2019"), (D(2020, 3, 31), "March 2020")],
        ),
        (
            "Sept 2019, Dec 2019, Summer term 2020",
            [
                (D(2019, 9, 30), "Sept 2019"),
                (D(2019, 12, 31), "Dec 2019"),
                (D(2020, 8, 31), "Summer term 2020"),
            ],
        ),
        (
            "31/10/2019 then Q4 2019/20 and 2020/21",
            [
                (D(2019, 10, 31), "31/10/2019"),
                (D(2020, 3, 31), "Q4 2019/20"),
                (D(2021, 8, 31), "2020/21"),
            ],
        ),
        (
            "Autumn 2019 - Spring 2020",
            [(D(2019, 12, 31), "Autumn 2019"), (D(2020, 4, 30), "Spring 2020")],
        ),
        # In date order, whatever order they are written in.
        (
            "July 2021 and July 2020",
            [(D(2020, 7, 31), "July 2020"), (D(2021, 7, 31), "July 2021")],
        ),
        # The same day twice is one due date, from its first mention.
        ("Dec 2019 and 31 December 2019", [(D(2019, 12, 31), "Dec 2019")]),
        ("June 2019 June 2019", [(D(2019, 6, 30), "June 2019")]),
        # A month range without the first year is due by the end of the range.
        ("Jan - Mar 2020", [(D(2020, 3, 31), "Jan - Mar 2020")]),
        ("January to March 2020", [(D(2020, 3, 31), "January to March 2020")]),
        # Numbers that name things are not days.
        (
            "Phase 1 Dec 2019, Phase 2 July 2020",
            [(D(2019, 12, 31), "Dec 2019"), (D(2020, 7, 31), "July 2020")],
        ),
        ("Year 11 transfers by Feb 2020", [(D(2020, 2, 29), "Feb 2020")]),
        ("Review every 6 weeks from Sept 2019", [(D(2019, 9, 30), "Sept 2019")]),
        # "may" the verb is not the month.
        ("This may be extended: Dec 2019", [(D(2019, 12, 31), "Dec 2019")]),
        # Word tables' markup is ignored.
        (
            "<p>Dec 2019</p><p>Jan&nbsp;2020</p>",
            [(D(2019, 12, 31), "Dec 2019"), (D(2020, 1, 31), "Jan 2020")],
        ),
    ],
    ids=lambda v: str(v),
)
def test_several_dates_give_several_due_dates(text, expected):
    assert due(text) == expected


@pytest.mark.parametrize(
    ("text", "recurring", "ongoing", "expected"),
    [
        ("Ongoing", "", True, []),
        ("ongoing", "", True, []),
        ("On-going", "", True, []),
        ("Termly", "termly", False, []),
        ("Quarterly", "quarterly", False, []),
        ("Monthly", "monthly", False, []),
        ("Annually", "annually", False, []),
        ("Reviewed every term", "termly", False, []),
        ("Half-termly", "half-termly", False, []),
        ("Weekly", "weekly", False, []),
        ("Fortnightly", "fortnightly", False, []),
        ("Six-monthly", "six-monthly", False, []),
        ("Ongoing - reviewed termly", "termly", True, []),
        ("Monthly audits, reported quarterly", "monthly", False, []),
        ("September 2019 and ongoing", "", True, [D(2019, 9, 30)]),
        ("Quarterly from Q1 2020/21", "quarterly", False, [D(2020, 6, 30)]),
        ("Annual reviews by Dec 2019", "", False, [D(2019, 12, 31)]),
    ],
    ids=lambda v: str(v),
)
def test_ongoing_and_recurring_are_flags_not_dates(text, recurring, ongoing, expected):
    timescale = parse_timescale(text)
    assert (timescale.recurring, timescale.ongoing) == (recurring, ongoing)
    assert [d.due for d in timescale.due_dates] == expected


HOW = ["Dec 2019", "31 October 2019", "Summer term 2019"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Soon", ["'Soon' is not a date we can read", *HOW, "several dates", "Ongoing"]),
        ("TBC", ["'TBC' is not a date we can read", *HOW]),
        ("asap", ["'asap' is not a date we can read", *HOW]),
        ("Review", ["'Review' is not a date we can read", *HOW]),
        ("report provided", ["'report provided' is not a date we can read", *HOW]),
        ("", ["The timescale is empty:", *HOW, "Ongoing"]),
        ("   ", ["The timescale is empty:", *HOW]),
        ("by July", ["'July' in 'by July'", "no year", f"July {THIS_YEAR}"]),
        ("by May", ["'May' in 'by May'", "no year", f"May {THIS_YEAR}"]),
        ("Sept.", ["'Sept'", "no year", f"Sept {THIS_YEAR}"]),
        ("Dec 2019 and June", ["'June' in 'Dec 2019 and June'", "no year", f"June {THIS_YEAR}"]),
        ("31st October", ["'31st October'", "no year", f"31st October {THIS_YEAR}"]),
        ("October 31st", ["'October 31st'", "no year", f"October 31st {THIS_YEAR}"]),
        ("Summer term", ["'Summer term'", "no year", f"Summer term {THIS_YEAR}"]),
        ("autumn", ["'autumn'", "no year", f"Autumn term {THIS_YEAR}"]),
        ("Oct 19", ["'Oct 19'", "Oct 2019", "19 October", "year in full"]),
        ("Dec-19", ["'Dec-19'", "Dec 2019", "19 December"]),
        ("June 12", ["'June 12'", "June 2012", "12 June"]),
        ("Dec 45", ["'Dec 45'", "Dec 2045", "year in full"]),
        ("2020", ["'2020'", "only a year", "Dec 2020", "Summer term 2020", "2019/20"]),
        ("Dec 2019 and 2020", ["'2020' in 'Dec 2019 and 2020'", "only a year"]),
        ("Q3", ["'Q3'", "financial year", "Q3 2019/20", "October to December"]),
        ("Q3 2019", ["'Q3 2019'", "Q3 2019/20 is October to December 2019", "Q3 2018/19"]),
        ("Q4 2020", ["'Q4 2020'", "Q4 2019/20 is January to March 2020", "Q4 2020/21"]),
        ("Q1 2019/21", ["'Q1 2019/21'", "2019/20"]),
        ("2019/21", ["'2019/21'", "not an academic or financial year", "2019/20"]),
        ("31/02/2020", ["'31/02/2020'", "not a real date", "31/10/2019"]),
        ("29/02/2019", ["'29/02/2019'", "not a real date"]),
        ("30 February 2020", ["'30 February 2020'", "not a real date"]),
        ("10/31/2019", ["'10/31/2019'", "not a real date", "day first"]),
        ("2019-13-01", ["'2019-13-01'", "not a real date"]),
        ("13/2019", ["'13/2019'", "not a real date"]),
        ("Dec 2019 (1)", ["'1' in 'Dec 2019 (1)'", "not a date we can read", *HOW]),
        ("19/20", ["'19/20'", "not a date we can read", *HOW]),
    ],
    ids=lambda v: str(v),
)
def test_unreadable_text_is_refused_with_what_to_write(text, words):
    message = refusal(text)
    for word in words:
        assert word in message, message


def test_a_refusal_is_a_value_error():
    assert issubclass(TimescaleError, ValueError)
    with pytest.raises(ValueError, match="'Soon'"):
        parse_timescale("Soon")


def test_the_result_keeps_the_text_stripped_and_cannot_be_changed():
    timescale = parse_timescale("  Dec 2019 and ongoing \n")
    assert timescale == Timescale(
        text="Dec 2019 and ongoing",
        due_dates=[DueDate(D(2019, 12, 31), "Dec 2019")],
        ongoing=True,
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        timescale.text = "Jan 2020"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        timescale.due_dates[0].due = D(2020, 1, 31)  # type: ignore[misc]
