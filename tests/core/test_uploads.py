"""Uploaded files are checked by what they hold: a file that is not what its name says, a zip
bomb or text in the wrong encoding is refused with a message naming the file and the fix."""

import io
import zipfile

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from send_qa.core.forms import SpreadsheetUploadForm
from send_qa.core.tables import TableImportError, read_table
from send_qa.core.uploads import (
    UploadRefused,
    check_evidence_file,
    check_table_file,
    safe_display_name,
    sniff,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def xlsx_bytes(frame: pd.DataFrame | None = None) -> bytes:
    buffer = io.BytesIO()
    (frame if frame is not None else pd.DataFrame({"a": ["1"]})).to_excel(buffer, index=False)
    return buffer.getvalue()


def office_bytes(*members: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for member in members:
            archive.writestr(member, "<x/>")
    return buffer.getvalue()


def refusal(check, data: bytes, name: str) -> str:
    with pytest.raises(UploadRefused) as caught:
        check(io.BytesIO(data), name)
    return str(caught.value)


@pytest.mark.parametrize(
    ("data", "kind"),
    [(PNG, "png"), (JPEG, "jpeg"), (PDF, "pdf"), (HTML, "html"), (b"MZ\x90", "exe")],
)
def test_sniff_knows_the_signatures(data, kind):
    assert sniff(data) == kind


def test_a_real_csv_and_xlsx_pass():
    assert check_table_file(io.BytesIO(b"a,b\n1,2\n"), "values.csv") == "csv"
    assert check_table_file(io.BytesIO("\ufeffa,b\n1,é\n".encode()), "values.csv") == "csv"
    assert check_table_file(io.BytesIO(xlsx_bytes()), "values.xlsx") == "xlsx"


def test_html_renamed_xlsx_is_refused_naming_the_file_and_the_fix():
    message = refusal(check_table_file, HTML, "values.xlsx")
    assert message.startswith("values.xlsx is named as an Excel workbook (.xlsx)")
    assert "it is a web page (HTML)" in message
    assert "save it as an Excel Workbook (.xlsx)" in message


def test_a_plain_zip_renamed_xlsx_is_refused():
    message = refusal(check_table_file, office_bytes("word/document.xml"), "values.xlsx")
    assert "is a zip file, not a real Office file" in message


def test_an_xlsx_renamed_csv_is_refused():
    message = refusal(check_table_file, xlsx_bytes(), "values.csv")
    assert "Excel or zip file named as CSV. Rename it .xlsx" in message


def test_a_utf16_csv_is_refused_with_how_to_save_as_utf8():
    message = refusal(check_table_file, "a,b\n1,2\n".encode("utf-16"), "values.csv")
    assert "saved as UTF-16 text, not UTF-8" in message
    assert "CSV UTF-8 (Comma delimited)" in message


def test_a_latin1_csv_is_refused_naming_the_line():
    data = "indicator_code,value\nEHCP_20WK,5\nCafé,6\n".encode("latin-1")
    with pytest.raises(TableImportError) as caught:
        read_table(io.BytesIO(data), "values.csv")
    (problem,) = caught.value.problems
    assert str(problem) == (
        "values.csv is not saved as UTF-8 text (line 3 has a character that is not). "
        "In Excel use Save As and choose CSV UTF-8 (Comma delimited)."
    )


def test_a_zip_bomb_is_refused_before_it_is_opened(settings):
    settings.XLSX_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<x/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (2 * 1024 * 1024))
    assert len(buffer.getvalue()) < 20_000  # small on the wire, 2 MB unpacked
    message = refusal(check_table_file, buffer.getvalue(), "bomb.xlsx")
    assert message == (
        "bomb.xlsx unpacks to 2 MB, more than the 1 MB allowed. Split it into smaller files, "
        "or save it as CSV."
    )


def test_a_zip_of_too_many_parts_is_refused(settings):
    members = [f"xl/part{n}.xml" for n in range(settings.XLSX_MAX_MEMBERS)]
    message = refusal(check_table_file, office_bytes("xl/workbook.xml", *members), "many.xlsx")
    assert "more than the 1,000 an ordinary Office file has" in message


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    message = refusal(check_table_file, b"a\n" + b"1\n" * 600, "big.csv")
    assert message == "big.csv is 2 KB; the limit is 1 KB. Split it up."


def test_an_empty_file_is_refused():
    assert refusal(check_table_file, b"", "values.csv") == (
        "values.csv is empty. Check you chose the right file."
    )


def test_the_upload_form_refuses_a_file_that_is_not_what_it_says():
    form = SpreadsheetUploadForm(data={}, files={"file": SimpleUploadedFile("values.xlsx", HTML)})
    assert not form.is_valid()
    assert (
        "values.xlsx is named as an Excel workbook (.xlsx) but it is a web page"
        in (form.errors["file"][0])
    )
    good = SpreadsheetUploadForm(data={}, files={"file": SimpleUploadedFile("v.csv", b"a\n1\n")})
    assert good.is_valid()


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (PDF, "minutes.pdf"),
        (PNG, "chart.png"),
        (JPEG, "photo.JPG"),
        (JPEG, "photo.jpeg"),
        (office_bytes("word/document.xml"), "minutes.docx"),
        (office_bytes("xl/workbook.xml"), "tracker.xlsx"),
        (office_bytes("ppt/presentation.xml"), "slides.pptx"),
        (b"Minutes of the meeting\n", "notes.txt"),
        ("name,count\nCafé,3\n".encode(), "table.csv"),
    ],
)
def test_evidence_of_every_allowed_kind_passes(data, name):
    assert check_evidence_file(io.BytesIO(data), name)


def test_an_open_document_needs_its_mimetype():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<x/>")
    assert check_evidence_file(io.BytesIO(buffer.getvalue()), "notes.odt") == "odt"
    assert "but it is a zip file" in refusal(check_evidence_file, buffer.getvalue(), "t.ods")


@pytest.mark.parametrize(
    ("data", "name", "said"),
    [
        (PNG, "minutes.pdf", "minutes.pdf is named as a PDF but it is a PNG image."),
        (HTML, "minutes.docx", "minutes.docx is named as a Word document (.docx) but it is a web"),
        (PDF, "photo.png", "photo.png is named as a PNG image but it is a PDF."),
        (
            b"MZ\x90\x00",
            "notes.txt",
            "notes.txt is named as a text or CSV file but it is a program",
        ),
        (HTML, "notes.txt", "notes.txt is named as a text or CSV file but it is a web page"),
        (b"\x00\x01\x02binary", "table.csv", "is named as a text or CSV file but it is something"),
        (office_bytes("xl/workbook.xml"), "minutes.docx", "is a zip file, not a real Office file"),
        (b"MZ", "run.exe", "run.exe is not a kind of file the portal keeps."),
        (b"GIF89a", "anim.gif", "anim.gif is not a kind of file the portal keeps."),
    ],
)
def test_evidence_that_is_not_what_it_claims_is_refused(data, name, said):
    assert said in refusal(check_evidence_file, data, name)


def test_evidence_over_the_size_limit_is_refused(settings):
    settings.EVIDENCE_MAX_BYTES = 100
    assert "the limit is" in refusal(check_evidence_file, PDF + b"x" * 200, "big.pdf")


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system.ini", "system.ini"),
        ("minutes\x00.pdf.exe", "minutes.pdf.exe"),
        ("bad\r\nContent-Type: text/html.pdf", "html.pdf"),
        ("bad\r\nname\t.pdf", "bad name .pdf"),
        ('say "hi".pdf', "say hi.pdf"),
        ("\u202etxt.exe", "txt.exe"),
        ("..", "file"),
        ("", "file"),
        ("   ", "file"),
        ("Café notes.pdf", "Café notes.pdf"),
    ],
)
def test_display_names_are_never_paths_nor_headers(given, safe):
    assert safe_display_name(given) == safe


def test_very_long_names_are_cut_keeping_their_suffix():
    name = safe_display_name("a" * 5000 + ".pdf")
    assert len(name) == 200 and name.endswith("aaa.pdf")
