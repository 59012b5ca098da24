from argparse import ArgumentParser
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kpis.indicator_io import IndicatorFileError, councils_indicators_import, read_indicator_text


class Command(BaseCommand):
    help = "Add or update the council's own indicators from JSON (docs/imports.md): all or none."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: object, file: str, **options: object) -> None:
        try:
            text = Path(file).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"There is no file at {file}.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file} is not a JSON file in UTF-8.") from None
        try:
            done = councils_indicators_import(read_indicator_text(text))
        except IndicatorFileError as error:
            raise CommandError("Nothing was imported:\n  " + "\n  ".join(error.problems)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Indicators: {done.added} added, {done.updated} updated, "
                f"{done.unchanged} unchanged."
            )
        )
