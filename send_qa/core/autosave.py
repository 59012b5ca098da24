"""Long forms that save themselves as people write (docs/decisions/0011-autosave.md).

A form with `AutosaveFormMixin` names its autosave URL on its <form> tag
(`data-autosave-url`), which static/js/autosave.mjs reads. The endpoint answers with
`autosave_answer`: the same form, the same guarded save as the page's own Save
(send_qa.core.concurrency), and JSON the script understands. Without JavaScript nothing
changes: the page's Save still works.
"""

from typing import Any

from django.http import JsonResponse
from django.utils import timezone

from send_qa.core.concurrency import VERSION_FIELD, EditConflict, VersionedFormMixin, rows_version


class AutosaveFormMixin(VersionedFormMixin):
    """A guarded form whose page saves it as the person writes. Put it before GDSFormMixin,
    whose helper carries the form tag's attributes; subclasses give `autosave_url()`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        helper = getattr(self, "helper", None)
        instance = getattr(self, "instance", None)
        if helper is not None and instance is not None and instance.pk is not None:
            helper.attrs["data-autosave-url"] = self.autosave_url()

    def autosave_url(self) -> str:
        raise NotImplementedError("Say where this form saves itself in autosave_url().")


def autosave_answer(form: VersionedFormMixin, *, url: str) -> JsonResponse:
    """Save a posted form under the guard and answer the script: 200 with the new version
    (written into the page so its own Save is not refused as a conflict with this one),
    400 with the field errors, 409 when a colleague saved after the page was built.

    Nothing is written, and so no history row made, when the fields hold what is stored."""
    if not form.is_valid():
        errors = {name: [str(message) for message in found] for name, found in form.errors.items()}
        return JsonResponse(
            {
                "message": "Not saved: there is a problem with what you entered. "
                "Press the Save button to see it.",
                "errors": errors,
            },
            status=400,
        )
    changed = [name for name in form.changed_data if name != VERSION_FIELD]
    save = getattr(form, "save", None)
    if save is None:
        raise NotImplementedError("Only a ModelForm saves itself.")
    try:
        with form.guard(url=url):
            if changed:
                save()
            # Inside the lock: a colleague's save after this one must not pass as ours.
            version = rows_version(form.guarded_rows())
    except EditConflict as conflict:
        return JsonResponse(
            {
                "message": f"Not saved: a colleague saved a change to this {conflict.thing} "
                "after you opened this page.",
                "url": url,
            },
            status=409,
        )
    now = timezone.localtime()
    return JsonResponse(
        {
            "saved_at": now.isoformat(),
            "message": f"Saved at {now:%H:%M}",
            "version": version,
            "changed": bool(changed),
        }
    )
