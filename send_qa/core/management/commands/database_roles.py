"""`manage.py database_roles`: create the database's owner and app roles (docs/accountability.md)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from send_qa.core.database_roles import roles_set_up


class Command(BaseCommand):
    help = (
        "Run once as a PostgreSQL superuser (and again at will): creates or updates the owner "
        "role (DATABASE_OWNER_ROLE, which runs the migrations) and the app role "
        "(DATABASE_APP_ROLE, which the portal connects as), with their passwords "
        "(DATABASE_OWNER_PASSWORD, DATABASE_APP_PASSWORD); gives the owner every table, and the "
        "app role only adding to and reading the access log and the change history."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--owner", default=settings.DATABASE_OWNER_ROLE)
        parser.add_argument("--app", default=settings.DATABASE_APP_ROLE)

    def handle(self, *args: Any, owner: str, app: str, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The database roles are for PostgreSQL.")
        if not owner or not app or owner == app:
            raise CommandError(
                "Name two different roles: set DATABASE_OWNER_ROLE and DATABASE_APP_ROLE "
                "(or give --owner and --app)."
            )
        moved = roles_set_up(
            owner,
            app,
            owner_password=settings.DATABASE_OWNER_PASSWORD,
            app_password=settings.DATABASE_APP_PASSWORD,
        )
        self.stdout.write(
            f"Roles ready: {owner} owns the tables ({moved} passed to it), {app} connects "
            "the portal. Run the migrations as the owner."
        )
