"""Reading a record's change history (django-simple-history) in the users' words: who changed
what, when, from what to what. Each app's history page names its sources (the record and the
records that belong to it, such as an audit's answers); this module turns them into one list.

Queries: one per source and one per kind of linked record named in the changes, whatever the
length of the history.
"""

import datetime
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Paginator
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

# A historical record: simple-history builds its models at run time, so they have no static type.
Historical = Any

HIDDEN = {
    "id",
    "uuid",
    "created_at",
    "updated_at",
    "computed_at",
    "written_at",
    "revision",
    "password",
}
ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
LONGEST = 300


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class Entry:
    when: datetime.datetime
    who: str
    what: str
    action: str
    changes: list[Change] = field(default_factory=list)


@dataclass
class Source:
    """Historical records of one model, how to name one of them, and fields not to show
    (such as the link back to the record whose history this is)."""

    history: QuerySet[Historical]
    describe: Callable[[Historical], str]
    hide: Iterable[str] = ()


def _fields(model: type[models.Model], hide: Iterable[str]) -> list[models.Field]:
    hidden = HIDDEN | set(hide)
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in hidden and f.attname not in hidden and not f.name.startswith("history_")
    ]


def _related_names(
    records: list[Historical], fields: list[models.Field]
) -> dict[tuple[str, object], str]:
    """Names of the linked records the changes mention: one query per kind of record."""
    names: dict[tuple[str, object], str] = {}
    for f in fields:
        if not f.is_relation or f.related_model is None:
            continue
        ids = {getattr(r, f.attname) for r in records} - {None}
        linked_records = f.related_model._base_manager.select_related().in_bulk(ids)
        for pk, linked in linked_records.items():
            names[(f.name, pk)] = str(linked)
    return names


def _shown(f: models.Field, value: object, names: dict[tuple[str, object], str]) -> str:
    if value is None or value == "":
        return "(empty)"
    if f.is_relation:
        return names.get((f.name, value), "(deleted record)")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%-d %B %Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%-d %B %Y")
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"


def _who(record: Historical) -> str:
    user = record.history_user
    if user is None:
        return "The portal (an import or a scheduled job)"
    return str(user.full_name or user.email)


def history_entries(*sources: Source) -> list[Entry]:
    """Every change to the sources' records, newest first."""
    entries: list[Entry] = []
    for source in sources:
        records = list(
            source.history.select_related("history_user").order_by(
                "id", "history_date", "history_id"
            )
        )
        fields = _fields(source.history.model, source.hide)
        names = _related_names(records, fields)
        previous: dict[object, Historical] = {}
        for record in records:
            before = previous.get(record.id)
            changes = []
            for f in fields:
                new = getattr(record, f.attname)
                old = getattr(before, f.attname) if before is not None else None
                if before is None and new in (None, "", [], {}):
                    continue
                if before is not None and new == old:
                    continue
                changes.append(
                    Change(
                        f.verbose_name[:1].upper() + f.verbose_name[1:],
                        _shown(f, old, names) if before is not None else "(new)",
                        _shown(f, new, names),
                    )
                )
            previous[record.id] = record
            if record.history_type == "~" and not changes:
                continue  # saved with nothing shown changed (only a timestamp)
            entries.append(
                Entry(
                    when=record.history_date,
                    who=_who(record),
                    what=source.describe(record),
                    action=ACTIONS.get(record.history_type, record.history_type),
                    changes=changes if record.history_type != "-" else [],
                )
            )
    return sorted(entries, key=lambda e: e.when, reverse=True)


ENTRIES_PER_PAGE = 50


def history_page(
    request: HttpRequest,
    *,
    record_name: str,
    back_url: str,
    back_text: str,
    sources: Iterable[Source],
) -> HttpResponse:
    """The shared history page: a thin view names the record and its sources."""
    page = Paginator(history_entries(*sources), ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/history.html",
        {
            "record_name": record_name,
            "back_url": back_url,
            "back_text": back_text,
            "page": page,
            "filter_querystring": {},
        },
    )
