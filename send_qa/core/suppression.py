"""Small-number suppression with secondary suppression (docs/decisions/0004-suppression.md).

A count from 1 to threshold - 1 could identify a child, so it is withheld wherever numbers leave
SENDOPS; 0 is shown, since it identifies nobody. Withholding one cell is not enough when a total
is shown: the total minus the cells shown gives it back. So in every line (a row or column with
its total) a withheld entry never stands alone: when exactly one is withheld, the smallest
other non-zero entry of the line is withheld too (or the total, when there is none). Nor may the
withheld cells of a line whose total is shown add up to a small number, since the total minus the
cells shown gives their sum (2 and 1 withheld beside a total tell the reader that 3 are there):
another cell is withheld until the sum is safe. This is repeated until no line changes. A
percentage is shown only when its part, its whole and the rest of the whole are not small.

That full rule protects children. A quality judgement about the service's own work across a
whole term (audited plans judged good or better, advice received on time, the grades given) is
about the service, not about a child, so it is shown whenever its base is at least the
threshold, and nothing beside it is withheld to hide its remainder (`Describes.SERVICE_QUALITY`).
A breakdown of such a judgement by a child characteristic (need, age, placement, setting) is
about children again and keeps the full rule. docs/decisions/0004-suppression.md says why.
Pure functions, so tests can try any table.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models

from send_qa.core.figures import percent

WITHHELD = "withheld"


class Describes(models.TextChoices):
    """What a figure is about, which decides how small numbers in it are protected."""

    CHILDREN = "children", "Children and young people: small numbers and what reveals them withheld"
    SERVICE_QUALITY = (
        "service_quality",
        "The service's own work over a whole term: shown unless its base is small",
    )


Count = int | Decimal  # a number of children or of records (KPI counts are stored as Decimal)


def threshold() -> int:
    """Counts from 1 to this less one are withheld (settings.SMALL_NUMBER_THRESHOLD, 5)."""
    limit: int = settings.SMALL_NUMBER_THRESHOLD
    return limit


def is_small(count: Count | None, *, below: int | None = None) -> bool:
    limit = threshold() if below is None else below
    return count is not None and 0 < count < limit


def figure_withheld(
    part: Count | None,
    whole: Count | None,
    *,
    describes: str = Describes.CHILDREN,
    below: int | None = None,
) -> bool:
    """Whether a figure built on `part` of `whole` must be withheld; a count not given (a
    published rate without its counts) is not checked.

    About children: none of the part, the whole and the rest may be small, since beside the
    whole (or a reader's knowledge of it) the figure gives back both the part and the rest: 198
    of 200 says that 2 are not. About the service's own work over a term: only its base, the
    whole, may not be small."""
    if describes == Describes.SERVICE_QUALITY:
        return is_small(whole, below=below)
    rest = whole - part if part is not None and whole is not None else None
    return any(is_small(n, below=below) for n in (part, whole, rest))


def percentage_shown(
    part: Count | None,
    whole: Count | None,
    *,
    describes: str = Describes.CHILDREN,
    below: int | None = None,
) -> bool:
    """Whether a percentage of `part` in `whole` may be published (`figure_withheld`)."""
    if part is None or whole is None or whole <= 0:
        return False
    return not figure_withheld(part, whole, describes=describes, below=below)


def safe_percentage(
    part: Count | None,
    whole: Count | None,
    *,
    describes: str = Describes.CHILDREN,
    below: int | None = None,
) -> Decimal | None:
    """The percentage (`send_qa.core.figures.percent`), or None when it may not be published."""
    if part is None or whole is None:
        return None
    if not percentage_shown(part, whole, describes=describes, below=below):
        return None
    return percent(part, whole)


Entry = tuple[int, int]  # (row, column) in the table with its totals added as a last row/column


@dataclass(frozen=True)
class Suppressed:
    """Which entries of a table are withheld. Row and column indexes are those of the counts;
    the totals are asked for by name."""

    withheld: frozenset[Entry]
    rows: int
    columns: int

    def cell(self, row: int, column: int) -> bool:
        return (row, column) in self.withheld

    def row_total(self, row: int) -> bool:
        return (row, self.columns) in self.withheld

    def column_total(self, column: int) -> bool:
        return (self.rows, column) in self.withheld

    @property
    def grand_total(self) -> bool:
        return (self.rows, self.columns) in self.withheld


def _lines(rows: int, columns: int, row_totals: bool, column_totals: bool) -> list[list[Entry]]:
    """Each line lists its entries with its total last: the cells add up to the total."""
    lines = []
    if row_totals:
        lines += [[(r, c) for c in range(columns + 1)] for r in range(rows)]
    if column_totals:
        lines += [[(r, c) for r in range(rows + 1)] for c in range(columns)]
    if row_totals and column_totals:
        lines.append([(r, columns) for r in range(rows + 1)])  # row totals add up to the grand
        lines.append([(rows, c) for c in range(columns + 1)])  # and so do the column totals
    return lines


def suppress_table(
    counts: Sequence[Sequence[int]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    below: int | None = None,
) -> Suppressed:
    """Which cells and totals of a table of counts to withhold.

    `row_totals` / `column_totals` say which totals are shown (the grand total is shown when
    both are). Primary: every count, total included, from 1 to `below` - 1. Secondary: no line
    has exactly one withheld entry."""
    limit = threshold() if below is None else below
    rows = len(counts)
    columns = len(counts[0]) if rows else 0
    if any(len(row) != columns for row in counts):
        raise ValueError("Every row of the table needs the same number of counts.")
    values: dict[Entry, int] = {(r, c): counts[r][c] for r in range(rows) for c in range(columns)}
    for r in range(rows):
        values[(r, columns)] = sum(counts[r])
    for c in range(columns):
        values[(rows, c)] = sum(counts[r][c] for r in range(rows))
    values[(rows, columns)] = sum(map(sum, counts))
    shown_totals = {
        entry
        for entry in values
        if (entry[1] == columns and entry[0] < rows and row_totals)
        or (entry[0] == rows and entry[1] < columns and column_totals)
        or (entry == (rows, columns) and row_totals and column_totals)
    }
    withheld = {
        entry
        for entry, value in values.items()
        if 0 < value < limit and (entry in shown_totals or (entry[0] < rows and entry[1] < columns))
    }
    lines = _lines(rows, columns, row_totals, column_totals)
    changed = True
    while changed:
        changed = False
        for line in lines:
            if _exposed(line, withheld, values, limit):
                withheld.add(_partner(line, withheld, values))
                changed = True
    return Suppressed(withheld=frozenset(withheld), rows=rows, columns=columns)


def _exposed(line: list[Entry], withheld: set[Entry], values: dict[Entry, int], limit: int) -> bool:
    """Whether a line gives a withheld cell back: one entry alone withheld, or withheld cells
    whose sum (the shown total minus the cells shown) is small. A line with every entry withheld
    gives nothing back."""
    hidden = [entry for entry in line if entry in withheld]
    if len(hidden) == 1:
        return True
    *cells, total = line
    if total in withheld or all(entry in withheld for entry in cells):
        return False
    return 0 < sum(values[entry] for entry in hidden) < limit


def _partner(line: list[Entry], withheld: set[Entry], values: dict[Entry, int]) -> Entry:
    """The entry to withhold beside a lone withheld one: the smallest non-zero cell shown, else
    the total, else the smallest cell (a zero)."""
    *cells, total = line
    open_cells = [entry for entry in cells if entry not in withheld]
    non_zero = [entry for entry in open_cells if values[entry] > 0]
    if non_zero:
        return min(non_zero, key=lambda entry: (values[entry], entry))
    if total not in withheld:
        return total
    return min(open_cells, key=lambda entry: (values[entry], entry))


def shown_count(count: int, withheld: bool) -> int | str:
    """What to print for a count of a suppressed table: the number, or "withheld". Primary and
    secondary suppression read the same, so the reader cannot tell which cells are small."""
    return WITHHELD if withheld else count


@dataclass(frozen=True)
class CountsRow:
    label: str
    counts: list  # each a number or WITHHELD
    total: int | str | None  # None when row totals are not shown


@dataclass(frozen=True)
class CountsTable:
    """A table of counts ready to print, small numbers and what would reveal them withheld."""

    rows: list[CountsRow]
    totals: list | None  # the column totals, None when not shown
    grand_total: int | str | None


def quality_table(counts: Sequence[Sequence[int]], *, below: int | None = None) -> Suppressed:
    """A table of the service's own quality judgements over a term: everything shown when its
    base (all its counts together) is not small, everything withheld when it is."""
    rows = len(counts)
    columns = len(counts[0]) if rows else 0
    if any(len(row) != columns for row in counts):
        raise ValueError("Every row of the table needs the same number of counts.")
    if not is_small(sum(map(sum, counts)), below=below):
        return Suppressed(withheld=frozenset(), rows=rows, columns=columns)
    every = {(r, c) for r in range(rows + 1) for c in range(columns + 1)}
    return Suppressed(withheld=frozenset(every), rows=rows, columns=columns)


def counts_table(
    rows: Sequence[tuple[str, Sequence[int]]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    describes: str = Describes.CHILDREN,
) -> CountsTable:
    """Labelled rows of counts, suppressed for printing: about children, primary and secondary
    suppression; about the service's own work over a term, by its base (`quality_table`)."""
    counts = [list(values) for _, values in rows]
    if not counts:
        return CountsTable(rows=[], totals=None, grand_total=None)
    if describes == Describes.SERVICE_QUALITY:
        result = quality_table(counts)
    else:
        result = suppress_table(counts, row_totals=row_totals, column_totals=column_totals)
    columns = len(counts[0])
    printed = [
        CountsRow(
            label=label,
            counts=[shown_count(n, result.cell(r, c)) for c, n in enumerate(values)],
            total=shown_count(sum(values), result.row_total(r)) if row_totals else None,
        )
        for r, (label, values) in enumerate(rows)
    ]
    totals = (
        [shown_count(sum(row[c] for row in counts), result.column_total(c)) for c in range(columns)]
        if column_totals
        else None
    )
    grand = (
        shown_count(sum(map(sum, counts)), result.grand_total)
        if row_totals and column_totals
        else None
    )
    return CountsTable(rows=printed, totals=totals, grand_total=grand)
