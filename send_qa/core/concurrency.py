"""One guard against saving over a colleague's change (docs/decisions/0006-edit-conflicts.md).

A page that edits a shared record carries the version of the stored rows it was built from:
a token over their field values, in a hidden ``version`` field. The save reads the rows again,
locked, and refuses with ``EditConflict`` when the token no longer matches. A token over the
rows, not a counter, so that a group of rows (one period's KPI values) is covered and so that
every writer counts, imports and bulk COPY writes included.
"""

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import models, transaction
from django.utils.crypto import constant_time_compare, salted_hmac

VERSION_FIELD = "version"
_SALT = "send_qa.core.concurrency.version"

Rows = Sequence[models.QuerySet[Any]]


def rows_version(groups: Rows) -> str:
    """The token of the stored rows of each group: it changes when any row's field changes,
    or when a row joins or leaves a group."""
    parts = []
    for queryset in groups:
        names = [field.attname for field in queryset.model._meta.concrete_fields]
        rows = list(queryset.order_by("pk").values_list(*names))
        parts.append([queryset.model._meta.label, rows])
    # str, not DjangoJSONEncoder, which cuts datetimes to milliseconds.
    text = json.dumps(parts, default=str, sort_keys=True)
    return salted_hmac(_SALT, text, algorithm="sha256").hexdigest()


class EditConflict(Exception):
    """The rows changed after the page was built, so the save was refused."""

    def __init__(self, thing: str = "record", url: str = ""):
        super().__init__(thing)
        self.thing, self.url = thing, url

    @property
    def message(self) -> str:
        return (
            f"Someone else saved a change to this {self.thing} after you opened this page, "
            "so your changes have not been saved."
        )


def version_check(groups: Rows, version: str | None, *, thing: str = "record") -> None:
    """Lock the rows and refuse when they are not as `version` says. Call it inside the
    transaction that writes them, so no one can save between the check and the write."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("version_check needs a transaction.")
    if not groups:
        return  # a new record: there is nothing yet to save over
    locked = [queryset.select_for_update(of=("self",)) for queryset in groups]
    if not version or not constant_time_compare(rows_version(locked), version):
        raise EditConflict(thing)


if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class VersionedFormMixin(_FormBase):
    """A form of a shared record: a hidden version of the rows it edits, and a guarded save.

    Subclasses name the record in `edit_thing` and, when the rows are not the ModelForm's own
    instance, say which in `guarded_rows()`. A refused form keeps the posted (old) version, so
    pressing Save again is refused again; only the "Open the current version" link reloads it.
    """

    edit_thing = "record"
    edit_conflict: EditConflict | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[VERSION_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:
            self.initial[VERSION_FIELD] = rows_version(self.guarded_rows())

    def guarded_rows(self) -> list[models.QuerySet[Any]]:
        """The rows the form edits: by default its instance, none when it adds a record."""
        instance = getattr(self, "instance", None)
        if instance is None:
            raise NotImplementedError("Say which rows this form edits in guarded_rows().")
        if instance.pk is None:
            return []
        return [type(instance)._default_manager.filter(pk=instance.pk)]

    def posted_version(self) -> str:
        return self.cleaned_data.get(VERSION_FIELD) or ""

    def save_guarded(self, *, url: str) -> bool:
        """Save the form under the guard; False when refused as out of date (the refusal is
        then kept on the form, for its page to show with `status_code`)."""
        try:
            with self.guard(url=url):
                save = getattr(self, "save", None)
                if save is None:
                    raise NotImplementedError("Only a ModelForm saves itself: use guard().")
                save()
        except EditConflict:
            return False
        return True

    @property
    def status_code(self) -> int:
        """What the form's page answers: 409 when a save was refused as out of date."""
        return 409 if self.edit_conflict else 200

    @contextmanager
    def guard(self, *, url: str = "") -> Iterator[None]:
        """A transaction in which to save; refused (EditConflict, also kept on the form as
        `edit_conflict`) when the rows changed since the page was built."""
        with transaction.atomic():
            try:
                version_check(self.guarded_rows(), self.posted_version(), thing=self.edit_thing)
            except EditConflict as conflict:
                conflict.url = url
                self.edit_conflict = conflict
                raise
            yield
