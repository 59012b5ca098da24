"""Reading uploaded spreadsheets (CSV or XLSX) with pandas, and naming what is wrong in them.

Every import in the portal is all or nothing: it collects ImportProblems (row, column, what to
do) for the whole file and raises TableImportError with all of them, saving nothing.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING

from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from send_qa.core.lazy import lazy_module
from send_qa.core.uploads import UploadRefused, check_table_file, csv_text, safe_display_name

if TYPE_CHECKING:
    import numpy as np
    import openpyxl
    import pandas as pd
else:
    np = lazy_module("numpy")
    openpyxl = lazy_module("openpyxl")
    pd = lazy_module("pandas")


logger = logging.getLogger(__name__)


@dataclass
class ImportProblem:
    row: int | None  # the spreadsheet row (headers are row 1); None for the whole file
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"Row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class TableImportError(Exception):
    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def max_length(model: type[models.Model], name: str) -> int:
    """The size of the model's text field `name`: the most a cell kept in it may hold."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or field.max_length is None:
        raise ValueError(f"{model.__name__}.{name} is not a text field of a fixed size")
    return field.max_length


def header(name: str) -> str:
    """Headers match without regard to case, spaces or hyphens."""
    return str(name).strip().lower().replace(" ", "_").replace("-", "_")


def read_table(source: Path | IO[bytes], filename: str) -> pd.DataFrame:
    """Every cell as text (empty cells as ""), headers normalised; the headings as the file
    writes them are kept in `frame.attrs["headings"]` (by normalised header).

    The file is first checked for what it holds (send_qa.core.uploads): a CSV must be UTF-8
    text, an XLSX a real workbook within the zip-bomb limits. Anything that cannot be read is
    a TableImportError naming the file and the fix, never an unhandled error."""
    if isinstance(source, Path):
        with source.open("rb") as handle:
            return read_table(handle, filename)
    name = safe_display_name(Path(str(filename)).name, fallback="The file")
    try:
        if check_table_file(source, name) == "csv":
            text = csv_text(source, name)
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        else:
            frame = pd.read_excel(source, dtype=str, keep_default_na=False, engine="openpyxl")
    except UploadRefused as error:
        raise TableImportError([ImportProblem(None, None, str(error))]) from None
    except pd.errors.EmptyDataError:
        raise TableImportError(
            [ImportProblem(None, None, f"{name} has no header row. Add the column headers.")]
        ) from None
    except Exception as error:  # a parser meeting a broken file: say so, never a server error
        logger.info("Could not read the table %s: %r", name, error)
        raise TableImportError(
            [
                ImportProblem(
                    None,
                    None,
                    f"{name} could not be read ({type(error).__name__}). Check it opens in a "
                    "spreadsheet, then save it again as CSV UTF-8 or as an Excel Workbook.",
                )
            ]
        ) from None
    originals = [str(c) for c in frame.columns]
    frame.columns = [header(c) for c in originals]
    frame.attrs["headings"] = dict(zip(frame.columns, originals, strict=True))  # as written
    problems = duplicate_header_problems(originals) or control_character_problems(frame)
    if problems:
        raise TableImportError(problems)
    return frame


def duplicate_header_problems(originals: list[str]) -> list[ImportProblem]:
    """Two headers that name the same column ("Case reference" and "case_reference"). pandas
    renames a repeated header "name.1", so that is read as "name" when "name" is there too."""
    first: dict[str, str] = {}
    problems = []
    for original in originals:
        key = header(original)
        mangled = re.fullmatch(r"(.*)\.\d+", original)
        if key not in first and mangled and header(mangled.group(1)) in first:
            key = header(mangled.group(1))
        if key in first:
            problems.append(
                ImportProblem(
                    None,
                    key,
                    f"the header {first[key]!r} is given more than once. Keep one column of "
                    "each name.",
                )
            )
        else:
            first[key] = original
    return problems


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_character_problems(frame: pd.DataFrame, *, limit: int = 100) -> list[ImportProblem]:
    """Cells holding control characters (NUL, escape and the like; not tabs or line breaks),
    which no spreadsheet shows and the database cannot always store."""
    problems = []
    for column in frame.columns:
        texts = frame[column].astype(str)
        if not CONTROL.search("".join(texts.tolist())):  # one search of the column, cell by
            continue  # cell only where there is something to name
        found = texts.str.contains(CONTROL, regex=True).to_numpy()
        for position in np.flatnonzero(found)[:limit]:
            char = CONTROL.findall(texts.iloc[position])[0]  # contains() found at least one
            problems.append(
                ImportProblem(
                    int(position) + 2,
                    str(column),
                    f"holds a control character (U+{ord(char):04X}) that cannot be stored. "
                    "Delete it, or retype the cell.",
                )
            )
    return sorted(problems, key=lambda p: (p.row, p.column))[:limit]


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: object) -> object:
    """A cell safe to open in a spreadsheet: text that a spreadsheet would run as a formula
    (starting =, +, -, @, tab or carriage return, as OWASP's CSV injection advice lists) gets a
    leading apostrophe; numbers, dates and booleans stay what they are."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, Decimal)):
        return value
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return value


def without_trailing_zeros(number: Decimal | float) -> int | Decimal:
    """A number as the portal printed it, less the zeros that say nothing (Decimal("75.0") is 75,
    66.70 is 66.7, 1E+2 is 100); never rounded."""
    exact = Decimal(repr(number)) if isinstance(number, float) else number
    if not exact.is_finite():
        return exact
    exact = exact.normalize()
    return int(exact) if exact == exact.to_integral_value() else Decimal(format(exact, "f"))


def exported_at(moment: datetime.datetime) -> str:
    """When an export was made, in UK local time: "Exported 1 December 2026 at 4:40pm"."""
    local = timezone.localtime(moment)
    hour = local.hour % 12 or 12
    return f"Exported {local.day} {local:%B %Y} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


ABOUT_SHEET = "About this export"
NARROWEST, WIDEST = 10, 60  # a column's width in characters


def _cell(value: object) -> object:
    """A cell as written: neutralised text, or a number without trailing zeros."""
    value = neutralised(value)
    if isinstance(value, (Decimal, float)) and not isinstance(value, bool):
        return without_trailing_zeros(value)
    return value


def _width(value: object) -> int:
    """The characters a cell needs: its longest line."""
    return max((len(line) for line in str(value).splitlines()), default=0)


Progress = Callable[[int], object]  # told the rows written so far, now and then

PROGRESS_EVERY = 250  # rows between two progress reports


def _rows_told(cells: list[list[object]], progress: Progress | None) -> Iterator[list[object]]:
    """The rows, telling `progress` how many have gone every PROGRESS_EVERY rows."""
    for done, row in enumerate(cells, start=1):
        yield row
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)


def _csv(
    headings: list[object],
    cells: list[list[object]],
    about: list[str],
    progress: Progress | None = None,
) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    if about:
        writer.writerows([[line] for line in about])
        writer.writerow([])
    writer.writerow(headings)
    writer.writerows(_rows_told(cells, progress))
    return text.getvalue().encode()


def _xlsx(
    headings: list[object],
    cells: list[list[object]],
    *,
    sheet: str,
    above: list[str],
    aside: list[str],
    progress: Progress | None = None,
) -> bytes:
    """The table with its header row bold and frozen, each column as wide as its content
    (10 to 60 characters) and longer text wrapped; `above` the table, or on a sheet of its own
    `aside` (so that an import still reads the first sheet as a table).

    openpyxl's ordinary workbook, not its write-only mode: without lxml (not installed) the
    write-only writer is the slower of the two (1,056 rows of 120 cells: 1.9 s against 1.4 s)."""
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415 - imported when first used
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    workbook = openpyxl.Workbook()
    table = workbook.active
    table.title = sheet
    for line in above:
        table.append([line])
    if above:
        table.append([])
    table.append(headings)
    header_row = table.max_row
    bold = Font(bold=True)
    for cell in table[header_row]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in _rows_told(cells, progress):
        table.append(row)
    table.freeze_panes = f"A{header_row + 1}"
    for index, _ in enumerate(headings):
        column = [headings[index], *(row[index] for row in cells if index < len(row))]
        width = min(max(max(map(_width, column)), NARROWEST), WIDEST)
        table.column_dimensions[get_column_letter(index + 1)].width = width + 2
        if width == WIDEST:
            for (cell,) in table.iter_rows(
                min_row=header_row + 1, min_col=index + 1, max_col=index + 1
            ):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    if aside:
        notes = workbook.create_sheet(ABOUT_SHEET)
        for line in aside:
            notes.append([line])
        notes.column_dimensions["A"].width = WIDEST + 20
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


@dataclass(frozen=True)
class Table:
    """A table to export, with what it holds in words (see `table_download`)."""

    header: list[str]
    rows: Iterable[Iterable[object]]
    filename: str
    sheet: str = "Data"
    about: Sequence[str] = ()
    importable: bool = False


def content_type_of(fmt: str) -> str:
    return "text/csv; charset=utf-8" if fmt == "csv" else XLSX_TYPE


def download_name(filename: str, fmt: str) -> str:
    return f"{safe_display_name(filename, fallback='export')}.{fmt}"


def table_content(table: Table, fmt: str, progress: Progress | None = None) -> bytes:
    """The file of a table as a CSV or XLSX (every export of the portal is made here).

    Every text cell is neutralised, so a value someone typed never runs as a formula; numbers
    stay numbers, without trailing zeros. `about` says in words what the table holds (its
    term or period, its filters); the time of the export is added to it. Above the table,
    unless the file is `importable` (read back by an import): then an XLSX has the lines on
    a second sheet, "About this export", and a CSV leaves them out."""
    headings = [neutralised(str(name)) for name in table.header]
    cells = [[_cell(value) for value in row] for row in table.rows]
    lines = [str(neutralised(line)) for line in table.about]
    if lines:
        lines.append(exported_at(timezone.now()))
    above = [] if table.importable else lines
    if fmt == "csv":
        return _csv(headings, cells, above, progress)
    aside = lines if table.importable else []
    return _xlsx(headings, cells, sheet=table.sheet, above=above, aside=aside, progress=progress)


def table_download(
    header: list[str],
    rows: Iterable[Iterable[object]],
    *,
    filename: str,
    fmt: str,
    sheet: str = "Data",
    about: Sequence[str] = (),
    importable: bool = False,
) -> HttpResponse:
    """A table as a CSV or XLSX download, made in the request (`table_content`); a whole
    term's export is made in the background instead (send_qa.core.exports)."""
    table = Table(header, rows, filename, sheet=sheet, about=about, importable=importable)
    response = HttpResponse(table_content(table, fmt), content_type=content_type_of(fmt))
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=download_name(filename, fmt)
    )
    return response
