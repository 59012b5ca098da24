from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audits.result_import import results_import_file
from send_qa.core.models import User
from send_qa.core.tables import TableImportError


class Command(BaseCommand):
    help = (
        "Import past audit results from a CSV or XLSX file, one row per audited plan, scored "
        "against the named checklist (docs/imports.md). All or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--template", required=True, help="The checklist's name.")
        parser.add_argument(
            "--by",
            default="",
            help="The email of the portal user the import is recorded against (and the "
            "auditor of rows that name no portal user).",
        )

    def handle(self, *args: object, file: str, template: str, by: str, **options: object) -> None:
        path = Path(file)
        if not path.exists():
            raise CommandError(f"There is no file at {file}.")
        user = User.objects.filter(email__iexact=by).first() if by else None
        if by and user is None:
            raise CommandError(f"No portal user has the email {by}.")
        try:
            checked = results_import_file(path, template=template, by=user)
        except TableImportError as error:
            lines = "\n  ".join(str(p) for p in error.problems)
            raise CommandError(
                f"Nothing was imported. Fix these and try again:\n  {lines}"
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {len(checked.rows)} past results against {checked.template}: "
                f"{checked.added} audits added, {checked.updated} updated, "
                f"{len(checked.new_plans)} plans added to the register."
            )
        )
