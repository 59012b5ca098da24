"""Every export neutralises text a spreadsheet would run as a formula; numbers stay numbers."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from send_qa.core.tables import (
    exported_at,
    neutralised,
    read_table,
    table_download,
    without_trailing_zeros,
)

ATTACKS = ['=HYPERLINK("http://x","y")', "@SUM(1)", "-2+3", "+cmd|' /C calc'!A0", "\t=1", "\r=1"]
NUMBERS = [-2, 3, Decimal("-1.5"), -0.25, 0]


def test_neutralised_quotes_formula_text_and_keeps_numbers():
    for attack in ATTACKS:
        assert neutralised(attack) == "'" + attack
    for number in NUMBERS:
        assert neutralised(number) == number
    assert neutralised("Plain words - with a dash") == "Plain words - with a dash"
    assert neutralised(None) == ""


def test_csv_export_neutralises_formulas():
    response = table_download(
        ["Name", "=Header"], [[attack, -2] for attack in ATTACKS], filename="x", fmt="csv"
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Name", "'=Header"]
    assert [row[0] for row in rows[1:]] == ["'" + attack for attack in ATTACKS]
    assert {row[1] for row in rows[1:]} == {"-2"}  # a negative number is written as itself


def test_xlsx_export_holds_strings_not_formulas():
    rows = [[attack, number] for attack, number in zip(ATTACKS, NUMBERS + [7], strict=True)]
    response = table_download(["Name", "Value"], rows, filename="x", fmt="xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = list(sheet.iter_rows(min_row=2, values_only=False))
    for (text_cell, number_cell), attack, number in zip(cells, ATTACKS, NUMBERS + [7], strict=True):
        # XML reads a carriage return back as a line feed; the quote is what matters.
        assert text_cell.data_type == "s" and text_cell.value == "'" + attack.replace("\r", "\n")
        assert number_cell.data_type == "n" and number_cell.value == pytest.approx(float(number))


@pytest.mark.parametrize("name", ['a"b\r\nX-Evil: 1', "../../etc/passwd"])
def test_the_download_name_is_a_safe_header(name):
    response = table_download(["a"], [["1"]], filename=name, fmt="csv")
    disposition = response["Content-Disposition"]
    assert "\n" not in disposition and "/" not in disposition.split("filename=")[1]
    assert disposition.startswith('attachment; filename="') and disposition.count('"') == 2


def test_numbers_lose_only_their_trailing_zeros():
    assert without_trailing_zeros(Decimal("75.0")) == 75
    assert isinstance(without_trailing_zeros(Decimal("75.0")), int)
    assert str(without_trailing_zeros(Decimal("66.70"))) == "66.7"
    assert str(without_trailing_zeros(Decimal("1E+2"))) == "100"
    assert str(without_trailing_zeros(12.5)) == "12.5"
    assert str(without_trailing_zeros(Decimal("0.125"))) == "0.125"  # never rounded


def test_the_export_time_is_uk_local_time():
    summer = datetime.datetime(2026, 7, 1, 15, 40, tzinfo=datetime.UTC)
    assert exported_at(summer) == "Exported 1 July 2026 at 4:40pm"
    winter = datetime.datetime(2026, 12, 1, 0, 5, tzinfo=datetime.UTC)
    assert exported_at(winter) == "Exported 1 December 2026 at 12:05am"


TABLE = (["Case reference", "Percent", "Notes"], [["A-1", Decimal("75.0"), "x" * 200]])


def test_an_xlsx_export_is_laid_out_for_people():
    header, rows = TABLE
    about = ["EHCP audits", "Term: Autumn term 2026/27"]
    response = table_download(header, rows, filename="x", fmt="xlsx", about=about)
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Data"]
    sheet = workbook.active
    assert [sheet.cell(row, 1).value for row in (1, 2)] == about
    assert sheet["A3"].value.startswith("Exported ")
    assert [cell.value for cell in sheet[5]] == header
    assert all(cell.font.bold for cell in sheet[5])
    assert sheet.freeze_panes == "A6"
    reference, percent, notes = sheet[6]
    assert percent.data_type == "n" and percent.value == 75 and isinstance(percent.value, int)
    widths = [sheet.column_dimensions[letter].width for letter in "ABC"]
    assert widths == [len("Case reference") + 2, 12, 62]  # at least 10, at most 60, plus room
    assert notes.alignment.wrap_text


def test_an_importable_xlsx_keeps_its_table_first_and_says_the_rest_on_a_second_sheet():
    header, rows = TABLE
    response = table_download(
        header, rows, filename="x", fmt="xlsx", about=["Plan: Ours"], importable=True
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Data", "About this export"]
    assert workbook["Data"].freeze_panes == "A2"
    lines = [row[0] for row in workbook["About this export"].iter_rows(values_only=True)]
    assert lines[0] == "Plan: Ours" and lines[1].startswith("Exported ")
    frame = read_table(io.BytesIO(response.content), "x.xlsx")
    assert list(frame.columns) == ["case_reference", "percent", "notes"]
    assert frame.loc[0, "percent"] == "75"


def test_a_csv_export_says_what_it_holds_above_its_table_unless_it_is_importable():
    header, rows = TABLE
    response = table_download(header, rows, filename="x", fmt="csv", about=["Term: Autumn"])
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == ["Term: Autumn"] and lines[1][0].startswith("Exported ")
    assert lines[2] == [] and lines[3] == header
    assert lines[4][:2] == ["A-1", "75"]
    kept = table_download(header, rows, filename="x", fmt="csv", about=["x"], importable=True)
    assert next(csv.reader(io.StringIO(kept.content.decode()))) == header
