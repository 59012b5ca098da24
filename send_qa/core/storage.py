"""Where the portal keeps files (report PDFs, prepared exports, action evidence): Django's
default storage, so that every web server and worker sees the same files (issue 23).

With STORAGE_BUCKET set it is object storage through django-storages' S3 backend (Amazon S3,
MinIO or any S3 API); otherwise MEDIA_ROOT on this machine's disk, the `make run` default,
through `WholeFileStorage`. Files are private either way: the portal streams each one to whoever
may have it, after its own checks; none is ever served by a public address.
"""

import os
import uuid
from pathlib import Path
from typing import Any

from django.core.files.storage import FileSystemStorage


class WholeFileStorage(FileSystemStorage):
    """MEDIA_ROOT, each file written under a hidden temporary name beside it and renamed into
    place once whole: a worker killed while writing leaves no half file under the real name
    (only a hidden `.part`, which the beat tasks remove). S3 writes an object whole already."""

    def _save(self, name: str, content: Any) -> str:
        full = Path(self.path(name))
        full.parent.mkdir(parents=True, exist_ok=True)
        partial = full.with_name(f".{uuid.uuid4().hex}.part")
        try:
            with partial.open("wb") as handle:
                for chunk in content.chunks():
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
            if self.file_permissions_mode is not None:
                os.chmod(partial, self.file_permissions_mode)
            os.replace(partial, full)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return str(name).replace("\\", "/")
