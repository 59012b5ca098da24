"""The demo's own area is a real authority, West Sussex (E10000032, DfE number 938, in the South
East), so that the demo scorecard shows real national comparators once a DfE file is imported.
No neighbours are made up: import the DfE's statistical neighbour list to see them."""

from django.db import transaction

from benchmarks.area import own_area_save, set_kept
from benchmarks.models import Authority, Level
from send_qa.core.demo import DemoArea

SOUTH_EAST = ("E12000008", "South East")
WEST_SUSSEX = ("E10000032", "938", "West Sussex")


@transaction.atomic
def seed(area: DemoArea) -> None:
    region, _ = Authority.objects.get_or_create(
        code=SOUTH_EAST[0], defaults={"name": SOUTH_EAST[1], "level": Level.REGIONAL}
    )
    code, old_code, name = WEST_SUSSEX
    west_sussex, _ = Authority.objects.get_or_create(
        code=code,
        defaults={
            "old_code": old_code,
            "name": name,
            "level": Level.LOCAL_AUTHORITY,
            "region": region,
        },
    )
    own_area_save(west_sussex, set_kept(west_sussex))
