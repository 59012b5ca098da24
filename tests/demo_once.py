"""The demo local area, seeded once a test run (issue 22: "seed the demo once").

Two modules build on the demo: the query counts (tests/test_page_queries_grow_not.py) and the
seed command's own tests (tests/core/test_seed_demo.py). The first to ask, on whichever worker,
runs `seed_demo` (about 20 s) in its transaction and keeps the database as the seed left it:
every table's rows as PostgreSQL's COPY writes them, with what the command printed, in the
run's shared folder. The other empties its tables and copies those rows in, in its own
transaction, instead of seeding again. Both see the rows one `seed_demo` run left, rolled back
at the end of their module like any built_once data (tests/conftest.py).

Every table, not only those the seed wrote to: a worker's rows from before (content types and
permissions made again, with new ids, after a browser test emptied the database) need not match
the other worker's, and the copied rows refer to the seeding worker's.
"""

import fcntl
import io
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from tests.conftest import built_once

DEMO_PASSWORD = "demo-password-123"
T = TypeVar("T")


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
        return [name for (name,) in cursor.fetchall()]


def _copied_out(tables: list[str]) -> dict[str, bytes]:
    rows = {}
    with connection.cursor() as cursor:
        for table in tables:
            buffer = io.BytesIO()
            with cursor.cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                for chunk in copy:
                    buffer.write(chunk)
            rows[table] = buffer.getvalue()
    return rows


def _copied_in(rows: dict[str, bytes]) -> None:
    """The tables emptied and the kept rows copied in (Django's foreign keys are checked at
    commit, so the order does not matter), each identity column's sequence moved past them."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(f'"{table}"' for table in rows))
        for table, data in rows.items():
            with cursor.cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                copy.write(data)
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ANY(%s)"
            " AND (is_identity = 'YES' OR column_default LIKE 'nextval(%%')",
            [list(rows)],
        )
        for table, column in cursor.fetchall():
            past = f'coalesce((SELECT max("{column}") FROM "{table}"), 0) + 1'  # noqa: S608
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), {past}, false)",
                [f'"{table}"', column],
            )
    ContentType.objects.clear_cache()  # the copied rows' ids, not this worker's


def _seeded_now() -> tuple[str, dict[str, bytes]]:
    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", "--password", DEMO_PASSWORD, stdout=out)
    return out.getvalue(), _copied_out([t for t in _tables() if t != "django_migrations"])


def demo_seeded(shared_folder: Path) -> str:
    """Seed the demo into the current transaction, or copy in the rows a seed of this run
    wrote; return what `seed_demo` printed. `shared_folder`: the folder every worker of the
    run sees (`shared_run_folder`)."""
    kept = shared_folder / "seeded-demo.pickle"
    with (shared_folder / "seeded-demo.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other worker waits for a seed under way
        if kept.exists():
            out, rows = pickle.loads(kept.read_bytes())  # noqa: S301 - written by this run
            _copied_in(rows)
            return out
        out, rows = _seeded_now()
        partial = kept.with_suffix(".part")
        partial.write_bytes(pickle.dumps((out, rows)))
        partial.replace(kept)
        return out


def shared_run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of this test run that every xdist worker sees: the parent of the workers' own
    temporary folders (the run's own folder when there are no workers)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if base.name.startswith("popen-gw") else base


def built_on_the_demo(
    django_db_blocker, shared_folder: Path, build_more: Callable[[str], T]
) -> Iterator[T]:
    """built_once (tests/conftest.py) of the demo and then `build_more(printed)`; the content
    types Django keeps in memory forgotten again when the module's data is rolled back."""

    def build() -> T:
        return build_more(demo_seeded(shared_folder))

    try:
        yield from built_once(django_db_blocker, build)
    finally:
        ContentType.objects.clear_cache()
