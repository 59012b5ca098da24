import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from wsoa.imports import (
    TableImportError,
    actions_import,
    mapping_guess,
    rag_key_from_csv,
    read_table,
)
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
            "--mapping",
            type=Path,
            help="A JSON file giving the portal's field for each of the file's headings, such "
            'as {"Area for Improvement": "Weakness", "SRO": "Senior responsible officer", '
            '"Notes": ""} (empty: leave the column out). Without it, the plan\'s saved mapping '
            "and the portal's guesses.",
        )
        parser.add_argument(
            "--key",
            type=Path,
            help="For a new plan: a CSV RAG key (name,definition,colour,done), worst first. "
            "The standard RAG rating key otherwise.",
        )

    def handle(
        self,
        *args: object,
        file: Path,
        plan: str,
        key: Path | None,
        mapping: Path | None,
        **options: object,
    ) -> None:
        if not file.exists():
            raise CommandError(f"There is no file at {file}.")
        given = _mapping_read(mapping) if mapping else {}
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
                    frame = read_table(handle, file.name)
                headings = list(frame.attrs["headings"].values())
                guessed = mapping_guess(
                    headings, saved=found.table_mapping, today=timezone.localdate()
                )
                # a heading nothing fits stays in, to be refused, unless the mapping leaves it out
                chosen = {h: field for h, field in guessed.items() if field} | given
                result = actions_import(frame, plan=found, by=None, mapping=chosen)
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


def _mapping_read(path: Path) -> dict[str, str]:
    """The --mapping file: a JSON object of heading to field (or "" to leave it out)."""
    if not path.exists():
        raise CommandError(f"There is no mapping file at {path}.")
    try:
        given = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as error:
        raise CommandError(f"{path} is not a JSON file ({error}).") from None
    if not isinstance(given, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in given.items()
    ):
        raise CommandError(
            f'{path} must be one JSON object of headings and fields, such as {{"SRO": '
            '"Senior responsible officer"}.'
        )
    return given
