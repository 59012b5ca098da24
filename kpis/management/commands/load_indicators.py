from django.core.management.base import BaseCommand

from kpis.catalogue import catalogue_load, councils_own_in_catalogue


class Command(BaseCommand):
    help = "Add or update the indicator catalogue shipped in fixtures/kpis/indicators.json."

    def handle(self, *args: object, **options: object) -> None:
        created, updated = catalogue_load()
        self.stdout.write(f"Indicators: {created} added, {updated} updated.")
        if kept := councils_own_in_catalogue():
            self.stdout.write(f"Left as the council set them: {', '.join(kept)}.")
