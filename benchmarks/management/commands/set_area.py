from django.core.management.base import BaseCommand, CommandError, CommandParser

from benchmarks.area import AreaProblem, area_find, own_area_save, set_kept


class Command(BaseCommand):
    help = (
        "Say which local authority the portal is: its ONS code (E10000032) or, for an "
        "authority the portal knows, its DfE number (938). The comparator set it reads is "
        'kept when it lists the authority; choose it on the "This area" page.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code")
        parser.add_argument(
            "--name", default="", help="The authority's name, when the portal does not know it."
        )

    def handle(self, *args: object, code: str, name: str, **options: object) -> None:
        try:
            authority = area_find(code, name=name)
            own = own_area_save(authority, set_kept(authority))
        except AreaProblem as problem:
            raise CommandError(str(problem)) from None
        reads = (
            own.neighbour_set.name if own.neighbour_set else "the latest DfE statistical neighbours"
        )
        self.stdout.write(f"This area is now {authority}; it is compared with {reads}.")
