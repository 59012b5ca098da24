"""Checking uploaded files by what they hold, not what they are called.

A file's name is only its claim: a CSV must decode as UTF-8 text, an XLSX must be a real zip with
the members of an Excel workbook (and no zip bomb), and evidence must start with the signature of
one of the kinds we accept. Every refusal is a plain sentence naming the file and the fix.
The names people give files are never used as paths (see safe_display_name).
"""

import unicodedata
import zipfile
from pathlib import PurePosixPath, PureWindowsPath
from typing import IO

from django.conf import settings

MB = 1024 * 1024
HEAD = 8192  # how much of a file is read to tell what it is

OOXML_PARTS = {
    "xlsx": "xl/workbook.xml",
    "docx": "word/document.xml",
    "pptx": "ppt/presentation.xml",
}
ODF_TYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}
SIGNATURES = {
    "pdf": [b"%PDF-"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "jpeg": [b"\xff\xd8\xff"],
}
EVIDENCE_KINDS = {
    "pdf": "pdf",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "docx": "docx",
    "xlsx": "xlsx",
    "pptx": "pptx",
    "odt": "odt",
    "ods": "ods",
    "csv": "text",
    "txt": "text",
}
KIND_NAMES = {
    "pdf": "a PDF",
    "png": "a PNG image",
    "jpeg": "a JPEG image",
    "docx": "a Word document (.docx)",
    "xlsx": "an Excel workbook (.xlsx)",
    "pptx": "a PowerPoint presentation (.pptx)",
    "odt": "an OpenDocument text file",
    "ods": "an OpenDocument spreadsheet",
    "text": "a text or CSV file",
    "zip": "a zip file",
    "html": "a web page (HTML)",
    "exe": "a program",
    "gif": "a GIF image",
    "utf16": "text saved as UTF-16",
}


class UploadRefused(ValueError):
    """A file that is not what it claims, too big, or unsafe to open; the message says why."""


def _mb(size: int) -> str:
    """A size people read: "2 MB", "1.5 MB", "12 KB"."""
    if size >= MB:
        return f"{size / MB:.1f}".removesuffix(".0") + " MB"
    return f"{-(-size // 1024)} KB"


def suffix_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _size(handle: IO[bytes]) -> int:
    position = handle.tell()
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(position)
    return size


def _head(handle: IO[bytes]) -> bytes:
    handle.seek(0)
    head = handle.read(HEAD)
    handle.seek(0)
    return head


def sniff(head: bytes) -> str | None:
    """What the first bytes of a file say it is, as far as the portal cares; None if unsure."""
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(s) for s in signatures):
            return kind
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf16"
    if head.startswith(b"MZ") or head.startswith(b"\x7fELF"):
        return "exe"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")):
        return "html"
    return None


def zip_check(handle: IO[bytes], name: str, *, needs: str | None = None) -> zipfile.ZipFile:
    """A zip that is safe to open: at most XLSX_MAX_MEMBERS members and XLSX_MAX_UNCOMPRESSED_BYTES
    in all (as its directory declares; zipfile never inflates a member past its declared size,
    so these caps hold while pandas or openpyxl reads it), holding the member `needs`."""
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UploadRefused(
            f"{name} is damaged or is not really an Office file. Open it and save it again."
        ) from None
    members = archive.infolist()
    if len(members) > settings.XLSX_MAX_MEMBERS:
        raise UploadRefused(
            f"{name} holds {len(members):,} parts, more than the {settings.XLSX_MAX_MEMBERS:,} "
            "an ordinary Office file has. Copy the data into a new file and upload that."
        )
    total = sum(member.file_size for member in members)
    if total > settings.XLSX_MAX_UNCOMPRESSED_BYTES:
        raise UploadRefused(
            f"{name} unpacks to {_mb(total)}, more than the "
            f"{_mb(settings.XLSX_MAX_UNCOMPRESSED_BYTES)} allowed. Split it into smaller files, "
            "or save it as CSV."
        )
    names = {member.filename for member in members}
    if needs and ("[Content_Types].xml" not in names or needs not in names):
        raise UploadRefused(
            f"{name} is a zip file, not a real Office file. Open it in its program and save it "
            "again in that program's own format."
        )
    handle.seek(0)
    return archive


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The head may end part-way through a character.
        return error.start >= len(head) - 3 and error.reason == "unexpected end of data"
    return True


def _claims(name: str, found: str | None, wanted: str) -> str:
    said = KIND_NAMES.get(found or "", "something else")
    return f"{name} is named as {KIND_NAMES[wanted]} but it is {said}."


def check_size(handle: IO[bytes], name: str, limit: int) -> None:
    size = _size(handle)
    if size > limit:
        raise UploadRefused(f"{name} is {_mb(size)}; the limit is {_mb(limit)}. Split it up.")
    if size == 0:
        raise UploadRefused(f"{name} is empty. Check you chose the right file.")


def check_table_file(handle: IO[bytes], name: str) -> str:
    """'csv' or 'xlsx' when the file really is one, else UploadRefused saying what to do."""
    kind = suffix_of(name)
    if kind not in ("csv", "xlsx"):
        raise UploadRefused(f"{name} is not a CSV or XLSX file. Save it as one.")
    check_size(handle, name, settings.UPLOAD_MAX_BYTES)
    head = _head(handle)
    found = sniff(head)
    if kind == "xlsx":
        if found != "zip":
            raise UploadRefused(
                _claims(name, found, "xlsx")
                + " Open it in Excel and save it as an Excel Workbook (.xlsx), or as CSV UTF-8."
            )
        zip_check(handle, name, needs=OOXML_PARTS["xlsx"])
        return kind
    if found == "zip":
        raise UploadRefused(
            f"{name} is an Excel or zip file named as CSV. Rename it .xlsx, or save it from "
            "Excel as CSV UTF-8."
        )
    if found not in (None, "utf16"):
        raise UploadRefused(_claims(name, found, "text") + " Upload the table as CSV or XLSX.")
    if found == "utf16" or head.count(b"\x00") > len(head) // 4:
        raise UploadRefused(
            f"{name} is saved as UTF-16 text, not UTF-8. In Excel use Save As and choose "
            "CSV UTF-8 (Comma delimited)."
        )
    return kind


def csv_text(handle: IO[bytes], name: str) -> str:
    """The whole CSV as text: UTF-8, with or without a byte order mark, or a clear refusal."""
    data = handle.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise UploadRefused(
            f"{name} is not saved as UTF-8 text (line {line} has a character that is not). "
            "In Excel use Save As and choose CSV UTF-8 (Comma delimited)."
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise UploadRefused(
            f"{name} has a NUL character on line {line}, which a CSV file cannot hold. Open it "
            "in a spreadsheet and save it again as CSV UTF-8 (Comma delimited)."
        )
    return text


def check_evidence_file(handle: IO[bytes], name: str) -> str:
    """The kind of an evidence file when its content matches its name and an allowed kind."""
    suffix = suffix_of(name)
    kind = EVIDENCE_KINDS.get(suffix)
    if kind is None:
        raise UploadRefused(
            f"{name} is not a kind of file the portal keeps. The selected file must be a PDF, "
            "Word, Excel, PowerPoint, OpenDocument, CSV, text or image (PNG or JPEG) file."
        )
    check_size(handle, name, settings.EVIDENCE_MAX_BYTES)
    head = _head(handle)
    found = sniff(head)
    if kind in OOXML_PARTS or kind in ODF_TYPES:
        if found != "zip":
            raise UploadRefused(
                _claims(name, found, kind) + " Open it and save it again in its own format."
            )
        archive = zip_check(handle, name, needs=OOXML_PARTS.get(kind))
        if kind in ODF_TYPES:
            try:
                mimetype = archive.read("mimetype") if "mimetype" in archive.namelist() else b""
            except (zipfile.BadZipFile, OSError, ValueError, EOFError):
                mimetype = b""
            handle.seek(0)
            if mimetype.strip() != ODF_TYPES[kind]:
                raise UploadRefused(
                    _claims(name, "zip", kind) + " Open it and save it again in its own format."
                )
        return kind
    if kind == "text":
        if found is not None or not _is_text(head):
            raise UploadRefused(
                _claims(name, found, "text")
                + " Save text as UTF-8 (.txt or CSV UTF-8), or upload the document as PDF."
            )
        return kind
    if found != kind:
        raise UploadRefused(
            _claims(name, found, kind) + " Upload the file itself, or save it as a PDF."
        )
    return kind


def safe_display_name(name: str | None, *, limit: int = 200, fallback: str = "file") -> str:
    """An uploader's file name safe to show and to offer as a download name: only the last part
    of any path, no control or format characters, no quotes, at most `limit` characters (the
    suffix kept). Never used as a path on the server."""
    name = str(name or "")
    name = PureWindowsPath(PurePosixPath(name.replace("\x00", "")).name).name
    cleaned = "".join(
        " " if unicodedata.category(char).startswith(("C", "Z")) else char
        for char in unicodedata.normalize("NFC", name)
        if char not in '"\\/<>:|?*'
    )
    cleaned = " ".join(cleaned.split()).strip(". ")
    if not cleaned:
        return fallback
    if len(cleaned) > limit:
        stem, dot, suffix = cleaned.rpartition(".")
        if dot and 0 < len(suffix) <= 5:
            cleaned = stem[: limit - len(suffix) - 1] + "." + suffix
        else:
            cleaned = cleaned[:limit]
    return cleaned
