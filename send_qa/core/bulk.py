"""Writing many records at once, with their history, through PostgreSQL's COPY.

An import of 100,000 KPI values through the ORM spends most of its time building INSERT
statements; COPY streams the rows instead (docs/performance.md). Every bulk write in the
portal goes through `_write_with_history`: the rows are copied into a temporary table shaped
like the model's, then one statement inserts (or updates) the records and writes each one's
history entry (django-simple-history: "created" or "changed", with the user) from what it
wrote. Rows come from model objects (`copy_create_with_history`) or from a pandas frame of
text (`frame_create_with_history`, `frame_update_with_history`, for the file imports), or from
a query over rows already in the database (`query_create_with_history`,
`query_update_with_history`: a checked import's staged rows matched with the stored ones in
SQL, written without passing through Python again). `frame_copy` stages rows without
history. Other databases (SQLite for `make run`) fall back to simple-history's bulk functions.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterator, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone
from psycopg import Copy
from simple_history.utils import (
    bulk_create_with_history,
    bulk_update_with_history,
    get_history_model_for_model,
)

from send_qa.core.lazy import lazy_module

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")


BATCH = 2_000
STAGED = "bulk_staged"


def copy_create_with_history(
    objects: Sequence[models.Model], *, by: models.Model | None = None
) -> None:
    """Insert new records of one model, and their "created" history entries. The objects get
    their ids and behave as saved ones afterwards."""
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
        if _is_auto_now(field):
            for record in objects:
                setattr(record, field.attname, now)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk.column, len(objects)],
        )
        for record, (value,) in zip(objects, cursor.fetchall(), strict=True):
            setattr(record, pk.attname, value)
        values = _row_values([pk, *fields])

        def feed(copy: Copy) -> None:
            for record in objects:
                copy.write_row(values(record))

        _write_with_history(cursor, model, [pk, *fields], feed, now=now, by=by)
    for record in objects:
        record._state.adding = False
        record._state.db = connection.alias


def frame_create_with_history(
    model: type[models.Model], frame: pd.DataFrame, *, by: models.Model | None = None
) -> None:
    """Insert new records of one model from a frame of their values as text ready for the
    database (columns named as the fields' attnames, None or "" for NULL in a nullable
    field), and their "created" history entries. Fields the frame leaves out take their
    default (a constant one: the same for every row), auto_now ones the time of writing."""
    if frame.empty:
        return
    fields = _fields(model, frame)
    if connection.vendor != "postgresql":
        bulk_create_with_history(
            [model(**row) for row in _python_rows(fields, frame)],
            model,
            batch_size=BATCH,
            default_user=by,
        )
        return
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        _write_with_history(
            cursor,
            model,
            fields,
            _csv_feed(frame),
            from_csv=True,
            constants=_created_constants(model, fields, now),
            now=now,
            by=by,
        )


def _created_constants(
    model: type[models.Model], fields: list[models.Field], now: datetime.datetime
) -> dict[models.Field, Any]:
    """What a new record's fields not written hold: their default, or the time for auto_now."""
    constants: dict[models.Field, Any] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field in fields:
            continue
        if not _is_auto_now(field) and field.has_default() and callable(field.default):
            raise ValueError(f"{field.name} has a default made per record: give it a column")
        constants[field] = now if _is_auto_now(field) else field.get_default()
    return constants


def query_create_with_history(
    model: type[models.Model],
    names: list[str],
    query: str,
    params: Sequence[Any] = (),
    *,
    by: models.Model | None = None,
) -> int:
    """Insert new records from the rows `query` selects (its columns the fields `names`, in
    order), with their "created" history entries, in one statement: rows staged and matched
    in the database are written without a trip through Python. Fields not named as for
    `frame_create_with_history`. How many records were added."""
    fields = _concrete([model._meta.get_field(name) for name in names])
    if connection.vendor != "postgresql":
        frame = _query_frame(names, query, params)
        frame_create_with_history(model, frame, by=by)
        return len(frame)
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        return _written_with_history(
            cursor,
            model,
            fields,
            query,
            params,
            now=now,
            by=by,
            constants=_created_constants(model, fields, now),
            update=False,
        )


def query_update_with_history(
    model: type[models.Model],
    names: list[str],
    query: str,
    params: Sequence[Any] = (),
    *,
    by: models.Model | None = None,
) -> int:
    """Update stored records from the rows `query` selects: its first column the primary key
    ("id"), then the fields `names[1:]`; each record's "changed" history entry written in the
    same statement. How many records were changed."""
    if names[0] != "id":
        raise ValueError("The query's first column is the primary key, named id")
    fields = _concrete([model._meta.pk, *(model._meta.get_field(n) for n in names[1:])])
    if connection.vendor != "postgresql":
        frame = _query_frame(names, query, params)
        frame_update_with_history(model, frame, by=by)
        return len(frame)
    now = timezone.now()
    constants = {f: now for f in model._meta.concrete_fields if _is_auto_now(f) and f not in fields}
    with transaction.atomic(), connection.cursor() as cursor:
        return _written_with_history(
            cursor,
            model,
            fields,
            query,
            params,
            now=now,
            by=by,
            constants=constants,
            update=True,
        )


def frame_copy(table: str, frame: pd.DataFrame, *, nullable: Sequence[str] = ()) -> None:
    """Stage a frame of text in a table (a temporary one, or a table of staged rows) with no
    history: COPY on PostgreSQL, one INSERT of many rows elsewhere. A cell of a column in
    `nullable` that is empty (or None) is NULL; in the others it is an empty text."""
    if frame.empty:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(c)) for c in frame.columns)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            marks = ", ".join(["%s"] * len(frame.columns))
            rows = [
                [None if (c in nullable and v in ("", None)) or v is None else v for c, v in pair]
                for pair in (zip(frame.columns, r, strict=True) for r in frame.itertuples(False))
            ]
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608
            return
        nulls = ", ".join(quote(c) for c in nullable if c in frame.columns)
        options = f"FORMAT csv{f', FORCE_NULL ({nulls})' if nulls else ''}"
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH ({options})") as copy:
            _csv_feed(frame)(copy)


def _concrete(fields: Sequence[Any]) -> list[models.Field]:
    found = [f for f in fields if isinstance(f, models.Field) and f.concrete]
    if len(found) != len(fields):
        raise ValueError("Only a model's own fields can be written")
    return found


def _query_frame(names: list[str], query: str, params: Sequence[Any]) -> pd.DataFrame:
    """The rows of `query` as a frame (for the fallback of other databases)."""
    with connection.cursor() as cursor:
        cursor.execute(query, list(params))
        return pd.DataFrame(cursor.fetchall(), columns=names, dtype=object)


def frame_update_with_history(
    model: type[models.Model], frame: pd.DataFrame, *, by: models.Model | None = None
) -> None:
    """Update stored records from a frame holding their primary key (column "id", or the
    model's pk attname) and the fields to change, as text ready for the database; each
    record's "changed" history entry records what it holds afterwards. auto_now fields the
    frame leaves out take the time of writing."""
    if frame.empty:
        return
    fields = _fields(model, frame)
    pk = model._meta.pk
    if pk not in fields:
        raise ValueError(f"The frame needs the {pk.attname} of each record to update")
    if connection.vendor != "postgresql":
        rows = list(_python_rows(fields, frame))
        stored = model._default_manager.in_bulk([row[pk.attname] for row in rows])
        changed = [f for f in fields if f is not pk]
        records = []
        for row in rows:
            record = stored[row[pk.attname]]
            for field in changed:
                setattr(record, field.attname, row[field.attname])
            records.append(record)
        names = [f.name for f in changed]
        names += [f.name for f in model._meta.concrete_fields if _is_auto_now(f)]
        now = timezone.now()
        for field in model._meta.concrete_fields:
            if _is_auto_now(field) and field not in fields:
                for record in records:
                    setattr(record, field.attname, now)
        bulk_update_with_history(
            records, model, list(dict.fromkeys(names)), batch_size=BATCH, default_user=by
        )
        return
    now = timezone.now()
    constants = {f: now for f in model._meta.concrete_fields if _is_auto_now(f) and f not in fields}
    with transaction.atomic(), connection.cursor() as cursor:
        _write_with_history(
            cursor,
            model,
            fields,
            _csv_feed(frame),
            from_csv=True,
            constants=constants,
            update=True,
            now=now,
            by=by,
        )


def _write_with_history(
    cursor: CursorWrapper,
    model: type[models.Model],
    fields: list[models.Field],
    feed: Callable[[Copy], None],
    *,
    now: datetime.datetime,
    by: models.Model | None,
    from_csv: bool = False,
    constants: dict[models.Field, Any] | None = None,
    update: bool = False,
) -> None:
    """The one way the portal writes in bulk: `feed` writes the rows of `fields` to a COPY
    into a temporary table shaped like the model's; then one statement inserts them (or, with
    `update`, updates the records of the same primary key), sets the `constants` and writes
    each record's history entry from what the statement wrote."""
    constants = constants or {}
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [_column(f) for f in fields]
    cursor.execute(
        f"CREATE TEMPORARY TABLE {STAGED} ON COMMIT DROP AS "  # noqa: S608 - names from the model
        f"SELECT {', '.join(columns)} FROM {table} WITH NO DATA"
    )
    options = ""
    if from_csv:  # every field quoted, so an empty one is NULL only where the field may be NULL
        nulls = ", ".join(_column(f) for f in fields if f.null)
        options = f" WITH (FORMAT csv{f', FORCE_NULL ({nulls})' if nulls else ''})"
    with cursor.cursor.copy(f"COPY {STAGED} ({', '.join(columns)}) FROM STDIN{options}") as copy:
        feed(copy)
    _written_with_history(
        cursor,
        model,
        fields,
        f"SELECT {', '.join(columns)} FROM {STAGED}",  # noqa: S608 - names from the model
        [],
        now=now,
        by=by,
        constants=constants,
        update=update,
    )
    cursor.execute(f"DROP TABLE {STAGED}")


def _written_with_history(
    cursor: CursorWrapper,
    model: type[models.Model],
    fields: list[models.Field],
    query: str,
    params: Sequence[Any],
    *,
    now: datetime.datetime,
    by: models.Model | None,
    constants: dict[models.Field, Any],
    update: bool,
) -> int:
    """One statement: insert the rows `query` selects (its columns those of `fields`, in
    order), or update the records of their primary key, with the `constants`, and write each
    written record's history entry. How many records it wrote."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [_column(f) for f in fields]
    source = f"({query}) AS s ({', '.join(columns)})"
    fixed = [_column(f) for f in constants]
    casts = [f"CAST(%s AS {f.cast_db_type(connection)})" for f in constants]
    if update:
        pk = _column(model._meta.pk)
        assignments = [f"{c} = s.{c}" for c in columns if c != pk]
        assignments += [f"{c} = {cast}" for c, cast in zip(fixed, casts, strict=True)]
        written = (
            f"UPDATE {table} AS t SET {', '.join(assignments)} "  # noqa: S608 - names from the model
            f"FROM {source} WHERE t.{pk} = s.{pk} RETURNING t.*"
        )
    else:
        written = (
            f"INSERT INTO {table} ({', '.join([*columns, *fixed])}) "  # noqa: S608 - names from the model
            f"SELECT {', '.join([*(f's.{c}' for c in columns), *casts])} FROM {source} RETURNING *"
        )
    history: type[models.Model] = get_history_model_for_model(model)
    tracked = [
        _column(f)
        for f in history._meta.concrete_fields
        if f.attname != "history_id" and not f.attname.startswith("history_")
    ]
    cursor.execute(
        f"WITH written AS ({written}) "  # noqa: S608 - names from the models
        f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(tracked)}, history_date, "
        "history_change_reason, history_type, history_user_id) "
        f"SELECT {', '.join(tracked)}, %s, NULL, %s, %s FROM written",
        [
            *constants.values(),  # in the SET or SELECT list, before the query's own
            *params,
            now,
            "~" if update else "+",
            getattr(by, "pk", None),
        ],
    )
    return int(cursor.rowcount)


def _column(field: models.Field) -> str:
    """The field's column, quoted for SQL (every concrete field has one)."""
    if field.column is None:
        raise ValueError(f"{field.name} has no column of its own")
    return connection.ops.quote_name(field.column)


def _is_auto_now(field: models.Field) -> bool:
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


def _fields(model: type[models.Model], frame: pd.DataFrame) -> list[models.Field]:
    """The concrete fields the frame's columns name ("id" is the primary key)."""
    pk = model._meta.pk
    fields = []
    for name in frame.columns:
        field = pk if name == "id" else model._meta.get_field(str(name))
        if not isinstance(field, models.Field):  # a reverse relation has no column to write
            raise ValueError(f"{model.__name__}.{name} is not a field of its own")
        fields.append(field)
    return fields


def _csv_feed(frame: pd.DataFrame) -> Callable[[Copy], None]:
    buffer = io.StringIO()
    frame.to_csv(buffer, header=False, index=False, quoting=csv.QUOTE_ALL, lineterminator="\n")
    return lambda copy: copy.write(buffer.getvalue())


def _python_rows(fields: list[models.Field], frame: pd.DataFrame) -> Iterator[dict[str, Any]]:
    """The frame's rows as attname -> Python value, for the ORM (a missing cell is None)."""
    for record in frame.itertuples(index=False):
        yield {
            field.attname: (
                None
                if value is None or (field.null and value == "") or pd.isna(value)
                else field.to_python(value)
            )
            for field, value in zip(fields, record, strict=True)
        }


def _row_values(fields: list[models.Field]) -> Callable[[models.Model], list[Any]]:
    """A function giving a record's values for `fields`, in order, ready for COPY."""
    getter = attrgetter(*(f.attname for f in fields))
    json_at = [n for n, f in enumerate(fields) if isinstance(f, models.JSONField)]
    if len(fields) == 1:
        return lambda record: _as_json([getter(record)], json_at)
    return lambda record: _as_json(list(getter(record)), json_at)


def _as_json(values: list[Any], positions: list[int]) -> list[Any]:
    for n in positions:
        if values[n] is not None:
            values[n] = json.dumps(values[n])
    return values
