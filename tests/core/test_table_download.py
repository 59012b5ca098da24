"""Every export neutralises text a spreadsheet would run as a formula; numbers stay numbers."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from send_qa.core.tables import neutralised, table_download

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
