"""The reorganisations of English local authorities the portal ships
(`fixtures/benchmarks/lineage.json`), loaded after every migrate so that a fresh database knows
them: a new code for the same area continues the series; a merger or a split does not (its
predecessor's figures stay its own), and the lineage says where it went."""

import datetime
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from benchmarks.models import Authority, Level, Lineage

LINEAGE = Path(settings.BASE_DIR) / "fixtures" / "benchmarks" / "lineage.json"


@transaction.atomic
def lineage_load(path: Path = LINEAGE) -> int:
    """Add the shipped lineage the database does not hold yet; returns how many were added.
    Never changes an authority the portal already knows (its names come from the DfE's files)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    regions = {
        code: Authority.objects.get_or_create(
            code=code, defaults={"name": name, "level": Level.REGIONAL}
        )[0]
        for code, name in data["regions"].items()
    }
    added = 0
    for change in data["changes"]:
        code, old_code, name, region = change["successor"]
        successor, _ = Authority.objects.get_or_create(
            code=code,
            defaults={
                "old_code": old_code,
                "name": name,
                "level": Level.LOCAL_AUTHORITY,
                "region": regions[region],
            },
        )
        _, created = Lineage.objects.get_or_create(
            predecessor_code=change["predecessor"][0],
            successor=successor,
            defaults=_lineage(change),
        )
        added += created
    return added


def _lineage(change: dict[str, Any]) -> dict[str, Any]:
    _, old_code, name = change["predecessor"]
    return {
        "predecessor_old_code": old_code,
        "predecessor_name": name,
        "effective_from": datetime.date.fromisoformat(change["effective_from"]),
        "continues_series": change["continues_series"],
        "note": change["note"],
    }
