from django.core.management.base import BaseCommand

from audits.template_io import load_shipped_templates


class Command(BaseCommand):
    help = "Import and publish the checklist templates shipped in fixtures/templates/."

    def handle(self, *args: object, **options: object) -> None:
        for template, created in load_shipped_templates():
            self.stdout.write(f"{'Imported' if created else 'Already there:'} {template}")
