"""The registry of published tables the portal reads (`fixtures/benchmarks/sources.json`).

Each table has a stable key (the DfE's own file name, such as `timeliness_20_week`), its
publication, the measure columns it carries, and which of them feed which indicator (a value
column, and the numerator and denominator columns it is worked out from). A file is known by
its headings: the twelve columns every explore-education-statistics file starts with, then the
table's measure columns.
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

REGISTRY = Path(settings.BASE_DIR) / "fixtures" / "benchmarks" / "sources.json"

EES_COLUMNS = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "new_la_code",
    "old_la_code",
    "la_name",
    "breakdown_topic",
    "breakdown",
)


@dataclass(frozen=True)
class Publication:
    key: str
    title: str
    publisher: str
    download: str


@dataclass(frozen=True)
class Feed:
    """Which columns of a table give one indicator's value, numerator and denominator."""

    code: str
    value: str
    numerator: str | None
    denominator: tuple[str, ...]  # summed: a denominator the file gives in parts
    variant: str  # such as "excluding exceptions": never mixed with another variant
    unit: str  # what the value column counts, as the indicator's unit words it

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.value, *([self.numerator] if self.numerator else []), *self.denominator)


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    publication: Publication
    file_hint: str
    measures: tuple[str, ...]
    optional: frozenset[str]
    feeds: tuple[Feed, ...]

    @property
    def required(self) -> frozenset[str]:
        return frozenset(self.measures) - self.optional

    def heading_problems(self, headings: list[str]) -> list[str]:
        """What is wrong with a file's headings for this table (empty when they match)."""
        given = [h for h in headings if h not in EES_COLUMNS]
        missing = [m for m in self.measures if m not in given and m not in self.optional]
        unexpected = [h for h in given if h not in self.measures]
        problems = []
        if missing:
            problems.append("the file has no column " + ", ".join(missing))
        if unexpected:
            problems.append("the table has no column " + ", ".join(unexpected))
        return problems


class RegistryError(ValueError):
    """The shipped registry contradicts itself (a test reads every entry)."""


def _excluding_exceptions(column: str) -> bool:
    return column.endswith(("_ex", "_exc"))


def _feed(entry: dict[str, object], table: str, measures: tuple[str, ...]) -> Feed:
    denominator = entry.get("denominator", [])
    if not isinstance(denominator, list):
        raise RegistryError(f"{table}: the denominator of {entry['code']} must be a list")
    numerator = entry.get("numerator")
    feed = Feed(
        code=str(entry["code"]),
        value=str(entry["value"]),
        numerator=str(numerator) if numerator else None,
        denominator=tuple(str(column) for column in denominator),
        variant=str(entry.get("variant", "")),
        unit=str(entry["unit"]),
    )
    unknown = [c for c in feed.columns if c not in measures]
    if unknown:
        raise RegistryError(f"{table}: {feed.code} reads columns it does not have: {unknown}")
    # A measure with and without exceptions must never be mixed (issue 17): a feed's columns
    # are all of one kind.
    if len({_excluding_exceptions(c) for c in feed.columns}) > 1:
        raise RegistryError(f"{table}: {feed.code} mixes columns with and without exceptions")
    if feed.unit == "percentage" and not feed.value.startswith("pc_") and "_pc" not in feed.value:
        raise RegistryError(f"{table}: {feed.code} is a percentage but {feed.value} is not")
    return feed


@cache
def tables(path: Path = REGISTRY) -> dict[str, Table]:
    """Every table of the registry by key."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    publications = {
        key: Publication(
            key=key,
            title=entry["title"],
            publisher=entry["publisher"],
            download=entry["download"],
        )
        for key, entry in data["publications"].items()
    }
    found: dict[str, Table] = {}
    for entry in data["tables"]:
        measures = tuple(entry["measures"])
        if len(set(measures)) != len(measures) or set(measures) & set(EES_COLUMNS):
            raise RegistryError(f"{entry['key']}: a measure column is repeated")
        found[entry["key"]] = Table(
            key=entry["key"],
            title=entry["title"],
            publication=publications[entry["publication"]],
            file_hint=entry["file_hint"],
            measures=measures,
            optional=frozenset(entry.get("optional", [])),
            feeds=tuple(_feed(f, entry["key"], measures) for f in entry["indicators"]),
        )
    codes = [feed.code for table in found.values() for feed in table.feeds]
    if len(set(codes)) != len(codes):
        raise RegistryError("An indicator is fed by two tables")
    return found


def table_for(headings: list[str], *, source: str | None = None) -> Table | list[str]:
    """The table a file's headings belong to, or what is wrong with them: the missing
    standard columns, the headings the named table expected, or (when no table is named) the
    headings of the tables the portal knows."""
    missing = [c for c in EES_COLUMNS if c not in headings]
    if missing:
        return [
            "This is not an explore-education-statistics file as published: it has no column "
            + ", ".join(missing)
            + ". Upload the CSV exactly as downloaded, with the columns "
            + ", ".join(EES_COLUMNS)
            + " and then the measures."
        ]
    known = tables()
    if source is not None:
        table = known.get(source)
        if table is None:
            return [f'"{source}" is not a table the portal knows: use one of ' + ", ".join(known)]
        problems = table.heading_problems(headings)
        if problems:
            return [
                f"The headings do not match the table {table.key}: "
                + "; ".join(problems)
                + ". It expects the columns "
                + ", ".join(table.measures)
                + " after the standard ones."
            ]
        return table
    matching = [t for t in known.values() if not t.heading_problems(headings)]
    if len(matching) == 1:
        return matching[0]
    return [
        "The headings do not match a table the portal knows. It reads these tables, each "
        "with the standard columns and then: "
        + "; ".join(f"{t.key} ({', '.join(t.measures)})" for t in known.values())
        + ". Upload the file as downloaded from explore-education-statistics, or name the "
        "table it is."
    ]


def is_headline(topic: str, breakdown: str) -> bool:
    """The row that feeds the indicators: the DfE's "All ..." (or "Total") breakdown, whose
    topic is the same words (`All annual reviews`, `All EHC plans`)."""
    name = breakdown.strip().lower()
    return topic.strip().lower() == name and (name.startswith("all ") or name == "total")


_NUMBER = re.compile(r"(\d+)")
_BELOW_EVERY_NUMBER = ("less than", "under")

BreakdownOrder = tuple[bool, tuple[tuple[int, int, str], ...]]


def breakdown_order(breakdown: str) -> BreakdownOrder:
    """Where a breakdown value (or topic) comes in a list: numbers read as numbers ("Aged 2 and
    under", "Aged 3", "Aged 10", not "Aged 10" first), numbers before words ("1" before
    "Unknown"), and a value that starts "Less than" or "Under" first ("Less than a year" before
    "1"). The DfE's files list their breakdowns alphabetically, so their row order would put
    "Aged 10" before "Aged 2 and under"; this sort key is the one order every page uses."""
    text = " ".join(breakdown.lower().split())
    parts = tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in _NUMBER.split(text)
        if part
    )
    return (not text.startswith(_BELOW_EVERY_NUMBER), parts)


def feed_for(code: str) -> tuple[Table, Feed] | None:
    """The table and columns that feed the indicator `code`, if a published table does."""
    for table in tables().values():
        for feed in table.feeds:
            if feed.code == code:
                return table, feed
    return None
