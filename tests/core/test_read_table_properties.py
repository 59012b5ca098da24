"""read_table never fails with anything but TableImportError, whatever bytes it is given."""

import io

import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from send_qa.core.tables import TableImportError, read_table
from tests.strategies import checked, csv_bytes, encodings, nasty_text

CHECKED = checked(80)


def read_or_refuse(data: bytes, name: str) -> pd.DataFrame | None:
    try:
        frame = read_table(io.BytesIO(data), name)
    except TableImportError as error:
        assert error.problems
        for problem in error.problems:
            assert str(problem).strip()
        return None
    assert all(isinstance(c, str) for c in frame.columns)
    for column in frame.columns:
        assert all(isinstance(v, str) for v in frame[column])
    return frame


@CHECKED
@given(data=st.binary(max_size=2000), name=st.sampled_from(["a.csv", "a.xlsx", "a.CSV"]))
def test_any_bytes_are_read_or_refused(data, name):
    read_or_refuse(data, name)


@CHECKED
@given(
    header=st.lists(nasty_text(), min_size=1, max_size=5),
    rows=st.lists(st.lists(nasty_text(), min_size=0, max_size=6), max_size=5),
    encoding=encodings(),
)
def test_any_csv_is_read_or_refused(header, rows, encoding):
    frame = read_or_refuse(csv_bytes(header, rows, encoding=encoding), "values.csv")
    if frame is not None:
        for column in frame.columns:
            for value in frame[column]:
                assert "\x00" not in value


@CHECKED
@given(cells=st.lists(st.lists(nasty_text(), min_size=2, max_size=2), min_size=1, max_size=5))
def test_any_xlsx_cells_are_read_or_refused(cells):
    # Characters XML cannot hold cannot be in a real XLSX, so openpyxl refuses to write them.
    assume(not any(ILLEGAL_CHARACTERS_RE.search(cell) for row in cells for cell in row))
    buffer = io.BytesIO()
    pd.DataFrame(cells, columns=["a", "b"]).to_excel(buffer, index=False)
    read_or_refuse(buffer.getvalue(), "values.xlsx")


def test_a_header_given_twice_is_refused():
    data = b"Case reference,case_reference,value,value\nA,B,1,2\n"
    with pytest.raises(TableImportError) as caught:
        read_table(io.BytesIO(data), "plans.csv")
    assert [str(p) for p in caught.value.problems] == [
        "column 'case_reference': the header 'Case reference' is given more than once. Keep "
        "one column of each name.",
        "column 'value': the header 'value' is given more than once. Keep one column of each name.",
    ]


def test_control_characters_are_refused_naming_row_and_column():
    data = b"name,note\nfine,ok\nbad,esc\x1bape\n"
    with pytest.raises(TableImportError) as caught:
        read_table(io.BytesIO(data), "notes.csv")
    assert [str(p) for p in caught.value.problems] == [
        "Row 3, column 'note': holds a control character (U+001B) that cannot be stored. "
        "Delete it, or retype the cell."
    ]


def test_a_nul_in_a_csv_is_refused_naming_the_line():
    with pytest.raises(TableImportError, match="has a NUL character on line 3"):
        read_table(io.BytesIO(b"name\nfine\nb\x00ad\n"), "notes.csv")
