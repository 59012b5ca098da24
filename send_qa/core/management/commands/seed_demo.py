import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import import_string

from send_qa.core.demo import DEMO_TOTP_SECRET, seed_core


class Command(BaseCommand):
    help = "Build a believable demo local area with one user per role (debug mode only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", help="Password for every demo user (else generated).")
        parser.add_argument(
            "--force", action="store_true", help="Run even when DJANGO_DEBUG is off."
        )

    def handle(
        self, *args: object, password: str | None = None, force: bool = False, **options: object
    ) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo adds demo users with known passwords, so it runs only in debug mode. "
                "Use --force if you really mean to seed this database."
            )
        generated = password is None
        password = password or secrets.token_urlsafe(12)
        area = seed_core(password=password)
        for path in settings.DEMO_SEEDERS:
            import_string(path)(area)
        self.stdout.write(self.style.SUCCESS("Demo local area ready. Sign in with:"))
        for email, user in area.users.items():
            roles = ", ".join(sorted(user.roles))
            self.stdout.write(f"  {email:<28} ({roles})")
        note = " (generated: it is shown only this once)" if generated else ""
        self.stdout.write(f"Password for every demo user: {password}{note}")
        self.stdout.write(
            "Admin and SENDOPS also enter a security code: add the key "
            f"{DEMO_TOTP_SECRET} to an authenticator app, or run "
            "'DJANGO_DEBUG=1 .venv/bin/python manage.py demo_code'."
        )
