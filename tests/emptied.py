"""The database emptied after each test that commits (browser, worker and live-server tests),
as Django's TransactionTestCase does with `flush`, for less.

`flush` truncates every one of the project's 130 tables, then the post_migrate receivers make
the content types and permissions again, with new ids: about 0.7 s a test, 73 times a run.
Here only the tables that hold rows are emptied, with DELETE (a few rows each; the foreign keys
are checked at the commit, so the order does not matter), the access log with TRUNCATE (its
trigger refuses DELETE), and the content types and permissions, which post_migrate would only
make again as they were, are kept; post_migrate still runs, so the role groups and the other
rows its receivers make are there for the next test as before."""

from django.core.management.sql import emit_post_migrate_signal
from django.db import connections, transaction
from django.test import TransactionTestCase

KEPT = {"django_content_type", "auth_permission"}
TRUNCATED = {"core_accessevent"}  # append-only: a trigger refuses DELETE, not TRUNCATE


def tables_with_rows(connection) -> list[str]:
    quote = connection.ops.quote_name
    tables = sorted(
        set(connection.introspection.django_table_names(only_existing=True, include_views=False))
        - KEPT
    )
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(f"(SELECT %s FROM {quote(table)} LIMIT 1)" for table in tables),  # noqa: S608 - the models' own table names
            tables,
        )
        return [table for (table,) in cursor.fetchall()]


def database_emptied(db_name: str) -> None:
    connection = connections[db_name]
    quote = connection.ops.quote_name
    with transaction.atomic(using=db_name), connection.cursor() as cursor:
        for table in tables_with_rows(connection):
            verb = "TRUNCATE" if table in TRUNCATED else "DELETE FROM"
            cursor.execute(f"{verb} {quote(table)}")
    emit_post_migrate_signal(verbosity=0, interactive=False, db=db_name)


def _fixture_teardown(self: TransactionTestCase) -> None:
    if self.available_apps is not None or self.serialized_rollback:
        return _flushed(self)  # Django's own way, for what it alone handles
    for db_name in self._databases_names(include_mirrors=False):
        database_emptied(db_name)
    return None


_flushed = TransactionTestCase._fixture_teardown


def install() -> None:
    TransactionTestCase._fixture_teardown = _fixture_teardown  # type: ignore[method-assign]
