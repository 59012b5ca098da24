from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from wsoa.imports import TableImportError, actions_import, rag_key_from_csv, read_table
from wsoa.models import ActionPlan, RagKey


class Command(BaseCommand):
    help = (
        "Import an action table (CSV or XLSX with the seed's headings: Weakness, Reference, "
        "Improvement area, Actions, Success measure(s), Lead, Governance forum, Timescale, RAG, Progress "
        "update) into a plan, created if it does not exist; actions it matches are updated, not "
        "copied. All or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--plan", required=True, help="The plan's name.")
        parser.add_argument(
            "--key",
            type=Path,
            help="For a new plan: a CSV RAG key (name,definition,colour,done), worst first. "
            "Seed 004's key otherwise.",
        )

    def handle(
        self, *args: object, file: Path, plan: str, key: Path | None, **options: object
    ) -> None:
        if not file.exists():
            raise CommandError(f"There is no file at {file}.")
        try:
            with transaction.atomic():
                found = ActionPlan.objects.filter(name=plan).first()
                if found is None:
                    rag_key = (
                        rag_key_from_csv(key.read_text(encoding="utf-8-sig"), name=f"{plan} key")
                        if key
                        else RagKey.seed_default()
                    )
                    found = ActionPlan.objects.create(name=plan, rag_key=rag_key)
                elif key:
                    raise CommandError(f"{plan} already exists with its own key: leave out --key.")
                with file.open("rb") as handle:
                    result = actions_import(read_table(handle, file.name), plan=found, by=None)
        except TableImportError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Nothing was imported: fix the {len(error.problems)} problem(s) above."
            ) from None
        for note in result.notes:
            self.stdout.write(note)
        self.stdout.write(
            f"{found}: {result.weaknesses_added} weaknesses and {result.actions_added} actions "
            f"added; {result.actions_changed} actions changed and {result.actions_unchanged} "
            "unchanged."
        )
