import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from benchmarks.queries import authority, own_area
from kpis.comparators import BENCHMARK_HEADER, benchmark_rows
from kpis.models import Indicator
from send_qa.core.tables import neutralised


class Command(BaseCommand):
    help = (
        "Write an indicator's comparators as CSV, one row per period: this area's by default, "
        "or any authority's by its ONS code or DfE number (docs/imports.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("indicator", help="The indicator's code, such as EHCP_20WK.")
        parser.add_argument("--area", help="An authority's ONS code or DfE number.")
        parser.add_argument("--output", type=Path, help="The file to write (else the screen).")

    def handle(
        self,
        *args: object,
        indicator: str,
        area: str | None,
        output: Path | None,
        **options: object,
    ) -> None:
        found = Indicator.objects.filter(code=indicator.strip().upper()).first()
        if found is None:
            raise CommandError(f"There is no indicator {indicator}.")
        place = authority(area) if area else own_area()
        if place is None:
            raise CommandError(
                f"No authority has the code {area}: import a DfE file that names it."
                if area
                else "This area is not set yet: run set_area with its ONS code, or give --area."
            )
        rows = benchmark_rows(found, place)
        cells = [[neutralised(cell) for cell in row] for row in rows]
        if output is None:
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(BENCHMARK_HEADER)
            writer.writerows(cells)
            return
        with output.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(BENCHMARK_HEADER)
            writer.writerows(cells)
        self.stdout.write(f"Wrote {len(rows)} periods of {found.code} for {place} to {output}.")
