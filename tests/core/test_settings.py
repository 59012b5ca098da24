"""Production settings: check --deploy is clean, and bad settings fail loudly."""

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "send-qa.example.org",
    "DATABASE_URL": "postgres://send_qa@db.example.org/send_qa",
    "CELERY_BROKER_URL": "redis://redis.example.org:6379/0",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_"))}
    for name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "STATIC_MANIFEST", "ALLOWED_HOSTS"):
        clean.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production_mode():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    for command in (["check", "--deploy"], ["migrate", "--plan"]):
        result = manage(*command, env={**PRODUCTION, "SECRET_KEY": ""})
        assert result.returncode != 0
        assert "Set SECRET_KEY" in result.stderr


def test_the_code_checks_run_on_a_fresh_clone_without_a_secret_key():
    """check and the migrations check sign nothing: they run with a throwaway key."""
    env = {**PRODUCTION, "SECRET_KEY": ""}
    result = manage("check", env=env)
    assert result.returncode == 0, result.stderr
    result = manage("makemigrations", "--check", "--dry-run", env=env)
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_a_bad_boolean_fails_loudly():
    result = manage("check", env={**PRODUCTION, "DJANGO_DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_notify_without_its_key_stops_the_portal_at_start_up():
    result = manage("check", env={**PRODUCTION, "EMAIL_SERVICE": "notify"})
    assert result.returncode != 0
    assert "Set the environment variable NOTIFY_API_KEY" in result.stderr


def test_debug_mode_runs_on_embedded_defaults(tmp_path):
    env = {"DJANGO_DEBUG": "1", "SEND_QA_VAR_DIR": str(tmp_path)}
    for name in ("SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL"):
        env[name] = ""
    show = "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'])"
    show += "; print(s.CELERY_BROKER_URL)"
    result = manage("shell", "-v", "0", "-c", show, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "filesystem://"]


def test_production_defaults_are_https_only_and_trust_no_forwarded_address():
    show = (
        "from django.conf import settings as s; print("
        + ", ".join(
            f"s.{name}"
            for name in (
                "SESSION_COOKIE_SECURE",
                "CSRF_COOKIE_SECURE",
                "SECURE_SSL_REDIRECT",
                "SECURE_HSTS_SECONDS >= 365 * 24 * 60 * 60",
                "SECURE_PROXY_SSL_HEADER == ('HTTP_X_FORWARDED_PROTO', 'https')",
                "TRUSTED_PROXY_COUNT",
            )
        )
        + ")"
    )
    result = manage("shell", "-v", "0", "-c", show, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "True", "True", "0"]


def test_the_proxy_count_comes_from_the_environment():
    show = "from django.conf import settings as s; print(s.TRUSTED_PROXY_COUNT)"
    result = manage("shell", "-v", "0", "-c", show, env={**PRODUCTION, "TRUSTED_PROXY_COUNT": "2"})
    assert result.stdout.split() == ["2"], result.stderr


def test_every_environment_variable_the_settings_read_is_documented():
    settings_text = "".join(
        (ROOT / name).read_text()
        for name in ("send_qa/settings.py", "send_qa/web_workers.py", "gunicorn.conf.py")
    )
    read = set(re.findall(r"env_(?:str|int|bool|list)\(\s*\"([A-Z_]+)\"", settings_text))
    documented = set(re.findall(r"`([A-Z_]+)`", (ROOT / "docs" / "configuration.md").read_text()))
    assert read, "the settings read no variables: the pattern above is out of date"
    assert read - documented == set()


def test_a_command_prints_only_its_own_output():
    """Library chatter (django-axes announcing its version) stays out of a command's output."""
    result = manage("check", env={"DJANGO_DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr == ""


def test_library_chatter_can_be_asked_for():
    result = manage("check", env={"DJANGO_DEBUG": "1", "LIBRARY_LOG_LEVEL": "INFO"})
    assert "AXES: BEGIN" in result.stderr


def test_the_portal_s_own_loggers_keep_their_level():
    import logging

    assert logging.getLogger("kpis.signals").getEffectiveLevel() == logging.INFO
    assert logging.getLogger("axes.apps").getEffectiveLevel() == logging.WARNING


def test_the_embedded_database_keeps_the_access_log_append_only_after_every_migration(tmp_path):
    """A column added to the log on SQLite rebuilds its table: its triggers must come back.

    Only core's migrations (and what they stand on) are run, a fifth of the time of them all:
    no other app's migration touches the log's table, which the next test keeps true."""
    database = tmp_path / "embedded.sqlite3"
    env = {"DJANGO_DEBUG": "1", "SEND_QA_VAR_DIR": str(tmp_path)}
    env |= {"DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "", "CELERY_BROKER_URL": ""}
    result = manage("migrate", "core", "-v", "0", env=env)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(database) as connection:
        connection.execute(
            "INSERT INTO core_accessevent (at, kind, record, reference, username, details)"
            " VALUES ('2026-12-01 12:00:00', 'sign_in', '', '', '', '')"
        )
        for change in (
            "UPDATE core_accessevent SET record = 'plan'",
            "DELETE FROM core_accessevent",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="can only be added to"):
                connection.execute(change)


def test_only_core_migrations_change_the_access_log_table():
    """What lets the test above run core's migrations only: a migration of another app that
    altered the log (an operation on the model, or SQL naming its table) would go unchecked."""
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.base import Operation

    def touches_the_log(operation: Operation) -> bool:
        named = {getattr(operation, "model_name", ""), getattr(operation, "name", "")}
        sql = str(getattr(operation, "sql", "")) + str(getattr(operation, "reverse_sql", ""))
        return "accessevent" in {str(name).lower() for name in named} or (
            "core_accessevent" in sql.lower()
        )

    loader = MigrationLoader(None, ignore_no_migrations=True)
    touching = [
        (app, name)
        for (app, name), migration in loader.disk_migrations.items()
        if any(touches_the_log(op) for op in migration.operations)
    ]
    assert any(app == "core" for app, _ in touching), (
        "the check finds no migration of the log at all: it has stopped working"
    )
    assert all(app == "core" for app, _ in touching), touching
