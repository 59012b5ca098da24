#!/usr/bin/env python
"""Django's command-line utility for the SEND QA portal."""

import os
import secrets
import sys

from django.core.management import execute_from_command_line

# Commands that read the code and sign nothing. Without a SECRET_KEY they run with a key of
# their own, thrown away when they end, so that `manage.py check` and the migrations check
# work on a fresh clone. Everything else (serving, migrating, `check --deploy`) still needs
# the real key from the environment.
KEYLESS_COMMANDS = {"check", "makemigrations", "showmigrations", "sqlmigrate"}


def needs_no_secret_key(argv: list[str]) -> bool:
    return len(argv) > 1 and argv[1] in KEYLESS_COMMANDS and "--deploy" not in argv


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_qa.settings")
    if needs_no_secret_key(sys.argv) and not os.environ.get("SECRET_KEY"):
        os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
