import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from benchmarks.neighbours import neighbours_import
from send_qa.core.tables import TableImportError


def iso_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f'"{text}" is not a date: write it as YYYY-MM-DD.') from None


class Command(BaseCommand):
    help = (
        "Import the DfE's statistical neighbours (the Children's Services Statistical Neighbour "
        "Benchmarking Tool's list, long or wide layout: docs/imports.md) as a new version of "
        "the set. All or nothing: any bad row is listed and nothing is saved."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--release", default="", help="The DfE's release, such as 2025.")
        parser.add_argument(
            "--effective-from",
            type=iso_date,
            default=None,
            help="The day the set is used from (YYYY-MM-DD); today when not given.",
        )

    def handle(
        self,
        *args: object,
        file: Path,
        release: str,
        effective_from: datetime.date | None,
        **options: object,
    ) -> None:
        if not file.exists():
            raise CommandError(f"There is no file at {file}.")
        try:
            plan, saved = neighbours_import(
                file, release=release.strip(), effective_from=effective_from
            )
        except TableImportError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Nothing was imported: fix the {len(error.problems)} problem(s) above."
            ) from None
        found = saved.neighbour_set
        if not saved.created:
            self.stdout.write(
                f"{file.name} changed nothing: it was imported already as {found.name}"
                f"{f' {found.release}' if found.release else ''}, in use from "
                f"{found.effective_from:%-d %B %Y}."
            )
            return
        self.stdout.write(
            f"Imported {file.name} as {found.name}{f' {found.release}' if found.release else ''}"
            f", in use from {found.effective_from:%-d %B %Y}: {len(plan.listed)} authorities, "
            f"{plan.neighbour_count} neighbours; {saved.authorities_added} authorities new to "
            "the portal."
        )
