"""Keeping an uploaded file between checking it and saving it (the import pages' two steps).

The file is kept in the portal's file storage (send_qa.core.storage: the S3 bucket when there
is one, so that the confirmation may reach another web server than the check did) under
`staged/<folder>/` by a random name (never the user's), named in the session under a key of
the page's own, and removed once saved or refused. Each step reads a working copy on this
machine's temporary disk (pandas and the checksum read a path), removed when the step ends.
"""

from __future__ import annotations

import datetime
import shutil
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from send_qa.core.access import SignedInRequest
from send_qa.core.tables import TableImportError

Checked = TypeVar("Checked")
STAGED = "staged"
# A kept upload whose import was never confirmed (the person went away) is removed after this.
KEPT_FOR = datetime.timedelta(days=2)


def _working_copy(suffix: str) -> Path:
    folder = Path(tempfile.gettempdir()) / "send-qa-staged"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{uuid.uuid4().hex}{suffix}"


def stage(
    request: SignedInRequest, key: str, upload: UploadedFile[bytes], *, folder: str, **extra: str
) -> Path:
    """Keep the upload in the storage and remember it in the session under `key`; returns a
    working copy on this machine for the check (the caller removes it)."""
    suffix = Path(upload.name or "file.csv").suffix.lower()
    copy = _working_copy(suffix)
    with copy.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    with copy.open("rb") as handle:
        kept = default_storage.save(f"{STAGED}/{folder}/{uuid.uuid4().hex}{suffix}", handle)
    request.session[key] = {"file": kept, "name": upload.name or copy.name, **extra}
    return copy


def staged_copy(kept: str) -> Path | None:
    """A working copy of the kept file `kept` (its name in the storage), or None when it is
    gone. The kept file stays, for a page that reads it again (a preview, then the import)."""
    if not kept.startswith(f"{STAGED}/") or not default_storage.exists(kept):
        return None
    copy = _working_copy(Path(kept).suffix)
    with default_storage.open(kept, "rb") as source, copy.open("wb") as handle:
        shutil.copyfileobj(source, handle)
    return copy


def unstage(kept: str) -> None:
    """Remove the kept file (saved or refused)."""
    if kept.startswith(f"{STAGED}/"):
        default_storage.delete(kept)


def staged(
    request: SignedInRequest, key: str, *, folder: str
) -> tuple[Path, dict[str, str]] | None:
    """A working copy of the file remembered under `key`, taken out of the session and the
    storage (the caller removes the copy); None when it has expired."""
    pending = request.session.pop(key, None)
    if not pending:
        return None
    copy = staged_copy(pending["file"])
    unstage(pending["file"])
    return (copy, pending) if copy is not None else None


def stage_and_check(
    request: SignedInRequest,
    key: str,
    upload: UploadedFile[bytes],
    check: Callable[[Path, str], Checked],
    *,
    folder: str,
    **extra: str,
) -> tuple[Checked | None, list[str]]:
    """Step 1 of an import: keep the upload and check it with `check(path, name)`. Returns what
    the check found, or the problems that refuse the file (which is then not kept)."""
    copy = stage(request, key, upload, folder=folder, **extra)
    try:
        return check(copy, upload.name or copy.name), []
    except TableImportError as error:
        pending = request.session.pop(key, None)
        if pending:
            unstage(pending["file"])
        return None, [str(p) for p in error.problems]
    finally:
        copy.unlink(missing_ok=True)


def staged_forget(*, now: datetime.datetime | None = None) -> int:
    """Remove the kept uploads older than KEPT_FOR (run nightly by beat); returns how many."""
    before = (now or timezone.now()) - KEPT_FOR
    removed = 0
    try:
        folders, _ = default_storage.listdir(STAGED)
    except FileNotFoundError:
        return 0
    for folder in folders:
        for name in default_storage.listdir(f"{STAGED}/{folder}")[1]:
            kept = f"{STAGED}/{folder}/{name}"
            if default_storage.get_modified_time(kept) < before:
                default_storage.delete(kept)
                removed += 1
    return removed
