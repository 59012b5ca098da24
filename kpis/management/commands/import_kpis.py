from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpis.imports import TableImportError, measurements_import, read_table


class Command(BaseCommand):
    help = (
        "Import KPI values from a CSV or XLSX file (docs/imports.md). All or nothing: any bad "
        "row is listed and nothing is saved."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: object, file: Path, **options: object) -> None:
        if not file.exists():
            raise CommandError(f"There is no file at {file}.")
        try:
            with file.open("rb") as handle:
                plan = measurements_import(read_table(handle, file.name))
        except TableImportError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Nothing was imported: fix the {len(error.problems)} problem(s) above."
            ) from None
        self.stdout.write(
            f"Imported {file.name}: {plan.added} added, {plan.updated} updated, "
            f"{plan.unchanged} unchanged."
        )
