"""The one write other apps make to published data: how far the comparators worked out after
an import have got, shown on the import's page."""

from benchmarks.models import Import


def import_progress(
    record_id: int | None, progress: str, *, done: int = 0, total: int = 0, note: str = ""
) -> None:
    """Record the comparators' progress for the import `record_id` (nothing when None: a
    change that came with no import, such as setting the own area)."""
    if record_id is None:
        return
    Import.objects.filter(pk=record_id).update(
        progress=Import.Progress(progress),
        steps_done=done,
        steps_total=total,
        progress_note=note[:300],
    )
