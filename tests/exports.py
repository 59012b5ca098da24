"""Reading an export back as a person's file: the lines that say what it holds, then its table."""

import csv
import io

import openpyxl
from django.http import HttpResponse


def csv_parts(response: HttpResponse) -> tuple[list[str], list[list[str]]]:
    """A CSV export's lines above its table (empty if it has none) and its table, header first."""
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    if [] in lines:
        blank = lines.index([])
        return [line[0] for line in lines[:blank]], lines[blank + 1 :]
    return [], lines


def csv_table(response: HttpResponse) -> list[list[str]]:
    return csv_parts(response)[1]


def csv_records(response: HttpResponse) -> list[dict[str, str]]:
    header, *rows = csv_table(response)
    return [dict(zip(header, row, strict=True)) for row in rows]


def xlsx_sheet(response: HttpResponse) -> openpyxl.worksheet.worksheet.Worksheet:
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return workbook.worksheets[0]


def xlsx_parts(response: HttpResponse) -> tuple[list[str], list[list[object]]]:
    """An XLSX export's lines above its table and its table (header first); the frozen
    header row is the row above the first one that scrolls."""
    sheet = xlsx_sheet(response)
    header_row = int(str(sheet.freeze_panes)[1:]) - 1
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    above = [str(row[0]) for row in rows[: header_row - 1] if row and row[0] is not None]
    return above, rows[header_row - 1 :]
