from argparse import ArgumentParser

from django.core.management.base import BaseCommand, CommandError

from audits.template_io import TemplateFormatError, read_template_file, template_import


class Command(BaseCommand):
    help = "Import a checklist template from JSON (docs/templates.md) and publish it."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--draft", action="store_true", help="Keep it as a draft.")

    def handle(self, *args: object, file: str, draft: bool, **options: object) -> None:
        try:
            template, created = template_import(read_template_file(file), publish=not draft)
        except FileNotFoundError:
            raise CommandError(f"There is no file at {file}.") from None
        except TemplateFormatError as error:
            raise CommandError(
                "The template was not imported:\n  " + "\n  ".join(error.messages)
            ) from None
        if created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported {template} as {template.get_status_display().lower()}."
                )
            )
        else:
            self.stdout.write(f"{template} is already there, unchanged.")
