import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audits.models import ChecklistTemplate
from audits.template_io import template_export


class Command(BaseCommand):
    help = "Print a checklist template as JSON (the latest version unless --version is given)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # Our --version (of the template) replaces Django's own --version (of Django).
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--version", type=int, dest="template_version")

    def handle(
        self, *args: object, name: str, template_version: int | None, **options: object
    ) -> None:
        templates = ChecklistTemplate.objects.filter(name=name).order_by("-version")
        if template_version is not None:
            templates = templates.filter(version=template_version)
        template = templates.first()
        if template is None:
            known = ", ".join(sorted(set(ChecklistTemplate.objects.values_list("name", flat=True))))
            raise CommandError(
                f"No template named {name!r}{' at that version' if template_version else ''}. Known: {known}"
            )
        self.stdout.write(json.dumps(template_export(template), indent=2, ensure_ascii=False))
