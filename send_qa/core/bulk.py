"""Adding many new records at once, with their history, through PostgreSQL's COPY.

An import of 100,000 KPI values through the ORM spends most of its time building INSERT
statements; COPY streams the rows instead (docs/performance.md). The history rows
(django-simple-history) are written the same way, so every new record still has its
"created" entry with the importing user. Other databases (SQLite for `make run`) fall back to
simple-history's bulk_create_with_history.
"""

import json
from operator import attrgetter

from django.db import connection, models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

BATCH = 2_000


def _row_values(fields: list[models.Field]):
    """A function giving a record's values for `fields`, in order, ready for COPY."""
    getter = attrgetter(*(f.attname for f in fields))
    json_at = [n for n, f in enumerate(fields) if isinstance(f, models.JSONField)]
    if len(fields) == 1:
        return lambda record: _as_json([getter(record)], json_at)
    return lambda record: _as_json(list(getter(record)), json_at)


def _as_json(values: list, positions: list[int]) -> list:
    for n in positions:
        if values[n] is not None:
            values[n] = json.dumps(values[n])
    return values


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with cursor.cursor.copy(
        f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
    ) as copy:
        for row in rows:
            copy.write_row(row)


def copy_create_with_history(objects: list[models.Model], *, by=None) -> None:
    """Insert new records of one model, and their "created" history entries."""
    if not objects:
        return
    model = type(objects[0])
    if connection.vendor != "postgresql":
        bulk_create_with_history(objects, model, batch_size=BATCH, default_user=by)
        return
    now = timezone.now()
    pk = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for field in fields:  # what Field.pre_save does on an ordinary save
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for record in objects:
                setattr(record, field.attname, now)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk.column, len(objects)],
        )
        for record, (value,) in zip(objects, cursor.fetchall(), strict=True):
            setattr(record, pk.attname, value)
        values = _row_values([pk, *fields])
        _copy(cursor, table, [pk.column, *(f.column for f in fields)], map(values, objects))
        history = model.history.model
        tracked = [
            f
            for f in history._meta.concrete_fields
            if f.attname != "history_id" and not f.attname.startswith("history_")
        ]
        user_id = getattr(by, "pk", None)
        values = _row_values(tracked)
        _copy(
            cursor,
            history._meta.db_table,
            [
                *(f.column for f in tracked),
                "history_date",
                "history_change_reason",
                "history_type",
                "history_user_id",
            ],
            ([*values(r), now, None, "+", user_id] for r in objects),
        )
    for record in objects:
        record._state.adding = False
        record._state.db = connection.alias
