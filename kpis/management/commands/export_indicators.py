from argparse import ArgumentParser
from pathlib import Path

from django.core.management.base import BaseCommand

from kpis.indicator_io import export_text


class Command(BaseCommand):
    help = "Write the council's own indicators as JSON (docs/imports.md), to a file or stdout."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--output", help="The file to write; the screen when left out.")

    def handle(self, *args: object, output: str | None, **options: object) -> None:
        text = export_text()
        if output is None:
            self.stdout.write(text, ending="")
            return
        Path(output).write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote the council's own indicators to {output}."))
