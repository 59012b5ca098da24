"""Keeping an uploaded file between checking it and saving it: under MEDIA_ROOT by a random
name (never the user's), named in the session, removed once saved or refused."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from send_qa.core.access import SignedInRequest


def upload_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "benchmark-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stage(request: SignedInRequest, key: str, upload: UploadedFile[bytes], **extra: str) -> Path:
    """Store the upload and remember it in the session under `key`."""
    suffix = Path(upload.name or "file.csv").suffix.lower()
    stored = upload_dir() / f"{uuid.uuid4().hex}{suffix}"
    with stored.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    request.session[key] = {"file": stored.name, "name": upload.name or stored.name, **extra}
    return stored


def staged(request: SignedInRequest, key: str) -> tuple[Path, dict[str, str]] | None:
    """The file remembered under `key`, taken out of the session; None when it has expired."""
    pending = request.session.pop(key, None)
    if not pending:
        return None
    path = upload_dir() / Path(pending["file"]).name
    return (path, pending) if path.exists() else None
