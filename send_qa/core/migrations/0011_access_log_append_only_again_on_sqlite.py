"""The access log's append-only triggers again, on SQLite only.

SQLite cannot add a column in place with every constraint Django needs, so 0006's AddField
rebuilt core_accessevent and dropped the triggers 0002 made: the embedded database of `make run`
let the log be changed. PostgreSQL alters the table in place and kept its trigger.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE TRIGGER IF NOT EXISTS core_accessevent_no_update BEFORE UPDATE ON core_accessevent
    BEGIN SELECT RAISE(ABORT, 'The access log can only be added to'); END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS core_accessevent_no_delete BEFORE DELETE ON core_accessevent
    BEGIN SELECT RAISE(ABORT, 'The access log can only be added to'); END
    """,
]


def append_only_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_access_log_search_indexes"),
    ]

    # Backwards leaves the triggers: 0002's own reversal removes them.
    operations = [migrations.RunPython(append_only_on_sqlite, migrations.RunPython.noop)]
