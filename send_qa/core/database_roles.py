"""The two PostgreSQL roles of a deployment (docs/accountability.md): an owner, which owns
every table and runs the migrations, and the app role the web, the worker and beat connect as,
which owns nothing and has only the rights the portal needs. On the access log and the
change-history tables the app role may only add and read rows: it cannot change, delete,
truncate or alter them, nor switch off the access log's trigger (only an owner can).

The one exception is retention, which deletes the change history of plans past the retention
period (audits.retention): the app role may DELETE (never UPDATE or TRUNCATE) on exactly the
history tables registered here with `history_forgotten`."""

from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import Model
from simple_history.models import HistoricalChanges

from send_qa.core.models import AccessEvent

_forgotten: set[str] = set()


def history_forgotten(*models: type[Model]) -> None:
    """Record that retention deletes the change history of these (tracked) models."""
    _forgotten.update(model.history.model._meta.db_table for model in models)  # type: ignore[attr-defined]


def append_only_tables() -> set[str]:
    """The access log and every change-history table."""
    history = {m._meta.db_table for m in apps.get_models() if issubclass(m, HistoricalChanges)}
    return {AccessEvent._meta.db_table, *history}


def model_tables() -> set[str]:
    return {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def _name(identifier: str) -> str:
    return connection.ops.quote_name(identifier)


def grant_statements(app_role: str, tables: list[str]) -> list[str]:
    """What the app role may do on each table of the schema: read and write the portal's
    tables, only add to and read the append-only ones (with retention's DELETE), only read
    the tables of no model (`django_migrations`), use the sequences. Anything granted before
    is revoked first, so running it again after a migration leaves exactly this."""
    role = _name(app_role)
    append_only = append_only_tables()
    ours = model_tables()
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}",
    ]
    for table in sorted(tables):
        if table in append_only:
            rights = "SELECT, INSERT, DELETE" if table in _forgotten else "SELECT, INSERT"
        elif table in ours:
            rights = "SELECT, INSERT, UPDATE, DELETE"
        else:
            rights = "SELECT"
        statements.append(f"GRANT {rights} ON {_name(table)} TO {role}")
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
    return statements


def role_statements(owner: str, app: str) -> list[str]:
    """The schema's rights and what later migrations' tables give the app role by default
    (add and read only, until the grants after the migration say more)."""
    owner_role, app_role = _name(owner), _name(app)
    default = f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner_role} IN SCHEMA public GRANT"
    return [
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE, CREATE ON SCHEMA public TO {owner_role}",
        f"GRANT USAGE ON SCHEMA public TO {app_role}",
        f"{default} SELECT, INSERT ON TABLES TO {app_role}",
        f"{default} USAGE, SELECT ON SEQUENCES TO {app_role}",
    ]


def _schema_tables(cursor: CursorWrapper) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return [row[0] for row in cursor.fetchall()]


def _role_make(cursor: CursorWrapper, role: str, password: str) -> None:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    verb = "ALTER" if cursor.fetchone() else "CREATE"
    rights = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
    if password:
        cursor.execute(f"{verb} ROLE {_name(role)} WITH {rights} PASSWORD %s", [password])
    else:
        cursor.execute(f"{verb} ROLE {_name(role)} WITH {rights}")


def _ownership_give(cursor: CursorWrapper, owner: str) -> int:
    """Tables, views, sequences and functions of the schema made before the owner existed
    (migrated as a superuser) pass to the owner."""
    cursor.execute(
        """
        SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END,
               quote_ident(c.relname)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'S')
          AND pg_get_userbyid(c.relowner) <> %s
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND (d.deptype = 'e'
              OR (c.relkind = 'S' AND d.deptype IN ('a', 'i'))))
        UNION ALL
        SELECT 'FUNCTION', p.oid::regprocedure::text
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> %s
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
        """,
        [owner, owner],
    )
    found = cursor.fetchall()
    for kind, name in found:
        cursor.execute(f"ALTER {kind} {name} OWNER TO {_name(owner)}")
    return len(found)


@transaction.atomic
def roles_set_up(owner: str, app: str, *, owner_password: str = "", app_password: str = "") -> int:
    """Run by a superuser (or a role with CREATEROLE that owns the schema): creates or updates
    both roles, gives the owner everything in the schema, and grants the app role its rights.
    Returns how many objects changed owner. Safe to run again."""
    with connection.cursor() as cursor:
        _role_make(cursor, owner, owner_password)
        _role_make(cursor, app, app_password)
        moved = _ownership_give(cursor, owner)
        # The access log's search by typed username needs pg_trgm (migration core.0009); the
        # owner may not create extensions in the database, so the superuser does it here.
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for statement in [
            *role_statements(owner, app),
            *grant_statements(app, _schema_tables(cursor)),
        ]:
            cursor.execute(statement)
    return moved


def grants_after_migrate(**kwargs: Any) -> None:
    """Connected to post_migrate: tables a migration added get the app role's exact rights
    (the owner runs the migrations and may grant on what it owns)."""
    app_role = settings.DATABASE_APP_ROLE
    database = kwargs.get("using", "default")
    if not app_role or connection.vendor != "postgresql" or database != "default":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, EXISTS(SELECT 1 FROM pg_roles WHERE rolname = %s)", [app_role]
        )
        current, exists = cursor.fetchone()
        if not exists or current == app_role:
            return
        for statement in grant_statements(app_role, _schema_tables(cursor)):
            cursor.execute(statement)
