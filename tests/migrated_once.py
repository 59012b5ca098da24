"""The test database migrated once a run, not once a worker (issue 22).

Migrating a new database takes each xdist worker 20 to 24 s of Python (Django renders the
models' states of every migration), both at once at the start of a run. Here the first worker
to get the lock migrates its database as pytest-django would and copies it as a template; the
other waits for it and makes its own database from that template (CREATE DATABASE ...
TEMPLATE, a file copy of well under a second). What each worker's database holds is the same:
the migrations and what their post_migrate receivers made.

Without workers, or with `--reuse-db` and no `--create-db` (a database kept from the last run),
the databases are set up as pytest-django sets them up."""

import fcntl
import os
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection


def _template_name() -> str:
    return f"{connection.settings_dict['NAME']}_migrated"


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _template_made() -> str:
    """A copy of this worker's freshly migrated database, for the other workers."""
    template = _template_name()
    connection.close()  # PostgreSQL copies a database only while nobody is connected to it
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(template)}")
        cursor.execute(
            f"CREATE DATABASE {_quoted(template)} TEMPLATE {_quoted(connection.settings_dict['NAME'])}"
        )
    return template


def _made_from(template: str) -> list:
    """This worker's test database made from the template; the old configuration, as
    setup_databases returns it, for teardown_databases."""
    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    name = creation._get_test_db_name()
    with creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(name)}")
        cursor.execute(f"CREATE DATABASE {_quoted(name)} TEMPLATE {_quoted(template)}")
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name
    connection.ensure_connection()
    return [(connection, old_name, True)]


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
    tmp_path_factory,
) -> Iterator[None]:
    from django.test.utils import setup_databases, teardown_databases

    from tests.demo_once import shared_run_folder  # it imports tests.conftest, which imports this

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    keepdb = django_db_keepdb and not django_db_createdb
    made_template = None
    with django_db_blocker.unblock():
        if worker is None or keepdb:
            db_cfg = setup_databases(
                verbosity=0, interactive=False, keepdb=keepdb, serialized_aliases=set()
            )
        else:
            shared = shared_run_folder(tmp_path_factory)
            with (shared / "migrated-once.lock").open("w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # the other workers wait for the migration
                marker = shared / "migrated-once"
                if marker.exists():
                    db_cfg = _made_from(marker.read_text())
                else:
                    db_cfg = setup_databases(
                        verbosity=0, interactive=False, serialized_aliases=set()
                    )
                    made_template = _template_made()
                    marker.write_text(made_template)
    yield
    if keepdb:
        return
    with django_db_blocker.unblock():
        try:
            teardown_databases(db_cfg, verbosity=0)
            if made_template:
                with connection.creation._nodb_cursor() as cursor:
                    cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(made_template)}")
        except Exception as error:  # noqa: BLE001 - as pytest-django: a thread's connection left open
            request.node.warn(pytest.PytestWarning(f"The test database was not removed: {error!r}"))
