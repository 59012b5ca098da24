import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audits.retention import retention_apply


class Command(BaseCommand):
    help = (
        "Delete or anonymise the case-level details of plans that ceased more than "
        "RETENTION_YEARS ago, keeping the aggregates, and say what was done."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be done; change nothing."
        )
        parser.add_argument("--on", help="Apply as on this day (YYYY-MM-DD); today otherwise.")

    def handle(self, *args: object, dry_run: bool, on: str | None, **options: object) -> None:
        try:
            day = datetime.date.fromisoformat(on) if on else None
        except ValueError:
            raise CommandError(f"{on!r} is not a date. Write it as YYYY-MM-DD.") from None
        report = retention_apply(on=day, dry_run=dry_run)
        for line in report.lines():
            self.stdout.write(line)
