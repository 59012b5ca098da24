"""Keeping an uploaded file between checking it and saving it (the import pages' two steps):
under MEDIA_ROOT/<folder> by a random name (never the user's), named in the session under a
key of the page's own, removed once saved or refused."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from send_qa.core.access import SignedInRequest
from send_qa.core.tables import TableImportError

Checked = TypeVar("Checked")


def upload_dir(folder: str) -> Path:
    path = Path(settings.MEDIA_ROOT) / folder
    path.mkdir(parents=True, exist_ok=True)
    return path


def stage(
    request: SignedInRequest, key: str, upload: UploadedFile[bytes], *, folder: str, **extra: str
) -> Path:
    """Store the upload and remember it in the session under `key`."""
    suffix = Path(upload.name or "file.csv").suffix.lower()
    stored = upload_dir(folder) / f"{uuid.uuid4().hex}{suffix}"
    with stored.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    request.session[key] = {"file": stored.name, "name": upload.name or stored.name, **extra}
    return stored


def staged(
    request: SignedInRequest, key: str, *, folder: str
) -> tuple[Path, dict[str, str]] | None:
    """The file remembered under `key`, taken out of the session; None when it has expired."""
    pending = request.session.pop(key, None)
    if not pending:
        return None
    path = upload_dir(folder) / Path(pending["file"]).name
    return (path, pending) if path.exists() else None


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
    stored = stage(request, key, upload, folder=folder, **extra)
    try:
        return check(stored, upload.name or stored.name), []
    except TableImportError as error:
        request.session.pop(key, None)
        stored.unlink(missing_ok=True)
        return None, [str(p) for p in error.problems]
