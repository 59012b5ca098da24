import shutil
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser

from send_qa.core.models import Period
from send_qa.reports.compile import report_compile
from send_qa.reports.models import Report, Version
from send_qa.reports.services import version_request


class Command(BaseCommand):
    help = (
        "Compile a version of a term's How are we doing? report to PDF, through the worker or "
        "here with --sync; --output copies the PDF to a file."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # Our --version (of the report) replaces Django's --version (of Django).
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--term", required=True, help="A term's name or id.")
        parser.add_argument("--version", type=int, default=1, choices=Version.Number.values)
        parser.add_argument("--sync", action="store_true", help="Compile here and wait.")
        parser.add_argument("--output", type=Path, help="Copy the PDF here (with --sync).")

    def handle(
        self,
        *args: object,
        term: str,
        version: int,
        sync: bool,
        output: Path | None,
        **options: object,
    ) -> None:
        terms = Period.objects.terms()
        found = terms.filter(pk=int(term)).first() if term.isdigit() else None
        found = found or terms.filter(name__iexact=term).first()
        if found is None:
            raise CommandError(f"No term called {term!r}.")
        report = Report.objects.for_term(found)
        if output and not sync:
            raise CommandError("--output needs --sync: the PDF exists only once it is compiled.")
        if not sync:
            queued = version_request(report=report, number=version, by=None)
            self.stdout.write(f"Queued {queued}. The worker compiles it.")
            return
        compiled = report_compile(
            version_id=Version.objects.create(report=report, number=version).pk
        )
        if compiled.status != Version.Status.DONE:
            raise CommandError(f"The report failed: {compiled.error}")
        if output:
            with default_storage.open(compiled.file, "rb") as source, open(output, "wb") as copy:
                shutil.copyfileobj(source, copy)
        self.stdout.write(
            f"{compiled.report}, version {version}: {output or compiled.file} "
            f"({compiled.size:,} bytes, SHA-256 {compiled.checksum})"
        )
