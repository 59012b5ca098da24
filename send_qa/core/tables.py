"""Reading uploaded spreadsheets (CSV or XLSX) with pandas, and naming what is wrong in them.

Every import in the portal is all or nothing: it collects ImportProblems (row, column, what to
do) for the whole file and raises TableImportError with all of them, saving nothing.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pandas as pd


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
    """Every cell as text (empty cells as ""), headers normalised."""
    suffix = Path(filename).suffix.lower()
    try:
        if suffix == ".csv":
            frame = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        elif suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(source, dtype=str, keep_default_na=False, engine="openpyxl")
        else:
            raise TableImportError(
                [
                    ImportProblem(
                        None, None, f"{filename} is not a CSV or XLSX file. Save it as one."
                    )
                ]
            )
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise TableImportError(
            [
                ImportProblem(
                    None,
                    None,
                    f"{filename} could not be read ({error}). Check it opens in a spreadsheet.",
                )
            ]
        ) from None
    frame.columns = [header(c) for c in frame.columns]
    return frame


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_download(header: list[str], rows, *, filename: str, fmt: str, sheet: str = "Data"):
    """A table as a CSV or XLSX download (every export of the portal goes through here)."""
    import csv
    import io

    from django.http import HttpResponse

    rows = [["" if value is None else value for value in row] for row in rows]
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
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
