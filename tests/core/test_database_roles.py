"""The app role (send_qa.core.database_roles), tried on the real PostgreSQL: it cannot wipe,
change or switch off the access log or the change history, and the portal's own tables work."""

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from psycopg import sql

from audits.models import Plan
from kpis.models import Measurement
from send_qa.core.database_roles import grants_after_migrate
from send_qa.core.models import AccessEvent

pytestmark = pytest.mark.django_db(transaction=True)

LOG = AccessEvent._meta.db_table
HISTORY = Measurement.history.model._meta.db_table
RETAINED_HISTORY = Plan.history.model._meta.db_table


@pytest.fixture
def roles() -> Iterator[tuple[str, str]]:
    suffix = uuid.uuid4().hex[:8]
    owner, app = f"test_owner_{suffix}", f"test_app_{suffix}"
    call_command("database_roles", owner=owner, app=app)
    yield owner, app
    with connection.cursor() as cursor:
        cursor.execute(f"REASSIGN OWNED BY {owner} TO current_user")
        for role in (app, owner):
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")


def connect_as(role: str) -> psycopg.Connection:
    database = connection.settings_dict
    return psycopg.connect(
        host=database["HOST"],
        port=database["PORT"],
        dbname=database["NAME"],
        user=role,
        autocommit=True,
    )


def run(
    conn: psycopg.Connection, statement: str, table: str = "", params: list | None = None
) -> psycopg.Cursor:
    """The statement with {table} quoted as an identifier."""
    return conn.execute(sql.SQL(statement).format(table=sql.Identifier(table)), params)


def refused(conn: psycopg.Connection, statement: str, table: str = "") -> bool:
    try:
        run(conn, statement, table)
    except psycopg.errors.InsufficientPrivilege:
        return True
    return False


def access_event_insert(conn: psycopg.Connection) -> None:
    event = AccessEvent(kind=AccessEvent.Kind.SIGN_IN, username="someone", at=timezone.now())
    fields = [f for f in AccessEvent._meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(f.pre_save(event, add=True), connection) for f in fields]
    statement = sql.SQL("INSERT INTO {table} ({columns}) VALUES ({values})").format(
        table=sql.Identifier(LOG),
        columns=sql.SQL(", ").join(sql.Identifier(f.column) for f in fields),
        values=sql.SQL(", ").join(sql.Placeholder() * len(fields)),
    )
    conn.execute(statement, values)


def test_the_app_role_cannot_wipe_change_or_switch_off_the_access_log(roles):
    _, app = roles
    with connect_as(app) as conn:
        access_event_insert(conn)
        assert run(conn, "SELECT count(*) FROM {table}", LOG).fetchone() == (1,)
        assert refused(conn, "TRUNCATE {table}", LOG)
        assert refused(conn, "DELETE FROM {table}", LOG)
        assert refused(conn, "UPDATE {table} SET username = 'nobody'", LOG)
        assert refused(
            conn, "ALTER TABLE {table} DISABLE TRIGGER core_accessevent_append_only", LOG
        )
        assert refused(conn, "ALTER TABLE {table} DISABLE TRIGGER ALL", LOG)
        assert refused(conn, "DROP TABLE {table}", LOG)
        assert refused(conn, "DROP FUNCTION core_accessevent_append_only()")
    assert AccessEvent.objects.count() == 1


def test_the_app_role_can_only_add_to_and_read_the_change_history(roles):
    _, app = roles
    with connect_as(app) as conn:
        for table in (HISTORY, RETAINED_HISTORY):
            assert conn.execute(
                "SELECT has_table_privilege(current_user, %s, 'INSERT')", [table]
            ).fetchone() == (True,)
            run(conn, "SELECT count(*) FROM {table}", table)
            assert refused(conn, "TRUNCATE {table}", table)
            assert refused(conn, "UPDATE {table} SET history_change_reason = 'rewritten'", table)
            assert refused(conn, "ALTER TABLE {table} DISABLE TRIGGER ALL", table)
        assert refused(conn, "DELETE FROM {table}", HISTORY)
        # Retention deletes the change history of plans past the retention period.
        run(conn, "DELETE FROM {table} WHERE history_id < 0", RETAINED_HISTORY)


def test_the_app_role_works_the_portals_own_tables_and_makes_none(roles):
    _, app = roles
    with connect_as(app) as conn:
        conn.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date) "
            "VALUES ('probe', 'x', now())"
        )
        conn.execute("UPDATE django_session SET session_data = 'y' WHERE session_key = 'probe'")
        conn.execute("DELETE FROM django_session WHERE session_key = 'probe'")
        assert refused(conn, "CREATE TABLE probe (id int)")
        assert refused(conn, "ALTER TABLE django_session ADD COLUMN probe int")
        assert refused(conn, "DELETE FROM django_migrations")
        owned = conn.execute(
            "SELECT count(*) FROM pg_class WHERE relowner = "
            "(SELECT oid FROM pg_roles WHERE rolname = current_user)"
        ).fetchone()
    assert owned == (0,)


def test_a_later_migrations_tables_get_the_app_roles_rights(roles, settings):
    owner, app = roles
    with connect_as(owner) as conn:
        conn.execute("CREATE TABLE core_historicalprobe (id int)")
    with connect_as(app) as conn:
        conn.execute("INSERT INTO core_historicalprobe VALUES (1)")
        assert refused(conn, "DELETE FROM core_historicalprobe")
    with connection.cursor() as cursor:
        cursor.execute(f"REVOKE UPDATE ON django_session FROM {app}")
    settings.DATABASE_APP_ROLE = app
    grants_after_migrate(using="default")
    with connect_as(app) as conn:
        conn.execute("UPDATE django_session SET session_data = session_data")
        # A table of no model is read only.
        assert refused(conn, "INSERT INTO core_historicalprobe VALUES (2)")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE core_historicalprobe")
