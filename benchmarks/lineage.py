"""The reorganisations of English local authorities the portal ships
(`fixtures/benchmarks/lineage.json`), loaded after every migrate so that a fresh database knows
them: a new code for the same area continues the series; a merger or a split does not (its
predecessor's figures stay its own), and the lineage says where it went."""

import datetime
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from benchmarks.models import Authority, Level, Lineage

LINEAGE = Path(settings.BASE_DIR) / "fixtures" / "benchmarks" / "lineage.json"


@transaction.atomic
def lineage_load(path: Path = LINEAGE) -> int:
    """Add the shipped lineage the database does not hold yet; returns how many were added.
    Never changes an authority the portal already knows (its names come from the DfE's files).
    In the same few queries however much it adds: it runs after every migrate (and, in the
    tests, after every test that commits)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    _authorities_added(
        Authority(code=code, name=name, level=Level.REGIONAL)
        for code, name in data["regions"].items()
    )
    regions = _by_code(data["regions"])
    _authorities_added(
        Authority(
            code=code,
            old_code=old_code,
            name=name,
            level=Level.LOCAL_AUTHORITY,
            region=regions[region],
        )
        for code, old_code, name, region in (change["successor"] for change in data["changes"])
    )
    successors = _by_code(change["successor"][0] for change in data["changes"])
    held = set(
        Lineage.objects.filter(successor__in=successors.values()).values_list(
            "predecessor_code", "successor_id"
        )
    )
    added: dict[tuple[str, int], Lineage] = {}
    for change in data["changes"]:
        successor = successors[change["successor"][0]]
        key = (change["predecessor"][0], successor.pk)
        if key not in held and key not in added:
            added[key] = Lineage(predecessor_code=key[0], successor=successor, **_lineage(change))
    bulk_create_with_history(list(added.values()), Lineage)
    return len(added)


def _authorities_added(authorities: Iterable[Authority]) -> None:
    """The authorities whose code the portal does not know yet, added (the first of a code)."""
    new: dict[str, Authority] = {}
    for authority in authorities:
        new.setdefault(authority.code, authority)
    held = set(Authority.objects.filter(code__in=new).values_list("code", flat=True))
    bulk_create_with_history([a for code, a in new.items() if code not in held], Authority)


def _by_code(codes: Iterable[str]) -> dict[str, Authority]:
    return {a.code: a for a in Authority.objects.filter(code__in=list(codes))}


def _lineage(change: dict[str, Any]) -> dict[str, Any]:
    _, old_code, name = change["predecessor"]
    return {
        "predecessor_old_code": old_code,
        "predecessor_name": name,
        "effective_from": datetime.date.fromisoformat(change["effective_from"]),
        "continues_series": change["continues_series"],
        "note": change["note"],
    }
