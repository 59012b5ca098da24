import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from benchmarks.ees import dfe_file_import
from kpis.comparators import comparators_after_import
from send_qa.core.models import User
from send_qa.core.tables import TableImportError


class Command(BaseCommand):
    help = (
        "Import a DfE explore-education-statistics CSV exactly as downloaded, then work out "
        "this area's comparators (docs/imports.md). All or nothing: any bad row is listed and "
        "nothing is saved."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--source",
            help="The table's key (such as timeliness_20_week); by default it is recognised "
            "from the file's headings.",
        )
        parser.add_argument("--by", help="The email of the person importing, for the record.")

    def handle(
        self, *args: object, file: Path, source: str | None, by: str | None, **options: object
    ) -> None:
        if not file.exists():
            raise CommandError(f"There is no file at {file}.")
        person = User.objects.filter(email__iexact=by).first() if by else None
        if by and person is None:
            raise CommandError(f"No one has the email {by}.")
        started = time.perf_counter()
        try:
            plan, record = dfe_file_import(file, source=source, by=person)
        except TableImportError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Nothing was imported: fix the {len(error.problems)} problem(s) above."
            ) from None
        saved = time.perf_counter()
        self.stdout.write(
            f"Imported {file.name} (table {plan.table.key}, {', '.join(plan.periods)}): "
            f"{record.rows_added} rows added, {record.rows_changed} changed, "
            f"{record.rows_unchanged} unchanged, in {saved - started:.1f} s. "
            f"SHA-256 {record.sha256}."
        )
        if record.changed_nothing:
            self.stdout.write("Nothing changed, so the comparators stand as they were.")
            return
        stored = comparators_after_import(record.pk)
        self.stdout.write(
            f"Worked out {stored} comparators for this area in {time.perf_counter() - saved:.1f} s."
        )
