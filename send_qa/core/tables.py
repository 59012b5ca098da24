"""Reading uploaded spreadsheets (CSV or XLSX) with pandas, and naming what is wrong in them.

Every import in the portal is all or nothing: it collects ImportProblems (row, column, what to
do) for the whole file and raises TableImportError with all of them, saving nothing.
"""

import csv
import io
import logging
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

import pandas as pd
from django.http import HttpResponse

from send_qa.core.uploads import UploadRefused, check_table_file, csv_text, safe_display_name

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
    def __init__(self, problems: list[ImportProblem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def header(name: str) -> str:
    """Headers match without regard to case, spaces or hyphens."""
    return str(name).strip().lower().replace(" ", "_").replace("-", "_")


def read_table(source: Path | BinaryIO, filename: str) -> pd.DataFrame:
    """Every cell as text (empty cells as ""), headers normalised.

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
    frame.columns = [header(c) for c in frame.columns]
    return frame


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value):
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


def table_download(header: list[str], rows, *, filename: str, fmt: str, sheet: str = "Data"):
    """A table as a CSV or XLSX download (every export of the portal goes through here).
    Every text cell is neutralised, so a value someone typed never runs as a formula."""
    from django.utils.http import content_disposition_header

    header = [neutralised(str(name)) for name in header]
    rows = [[neutralised(value) for value in row] for row in rows]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        buffer = io.BytesIO()
        pd.DataFrame(rows, columns=header).to_excel(buffer, index=False, sheet_name=sheet)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{safe_display_name(filename, fallback='export')}.{fmt}"
    )
    return response
