from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audits.plan_import import PlanImportError, plans_import_file


class Command(BaseCommand):
    help = "Import the plans register from a CSV or XLSX file (docs/imports.md). All or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: object, file: str, **options: object) -> None:
        path = Path(file)
        if not path.exists():
            raise CommandError(f"There is no file at {file}.")
        try:
            summary = plans_import_file(path)
        except PlanImportError as error:
            lines = "\n  ".join(str(p) for p in error.problems)
            raise CommandError(
                f"Nothing was imported. Fix these and try again:\n  {lines}"
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {summary.created} new plans and updated {summary.updated}."
            )
        )
