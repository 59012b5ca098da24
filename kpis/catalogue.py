"""The indicator catalogue shipped in fixtures/kpis/indicators.json, transcribed from the seeds.

Loading it adds new indicators and updates the wording, unit, polarity and targets of those
already there by code; it never removes an indicator, nor changes one's owner, baseline or
milestones. An indicator the council added itself (`Origin.COUNCIL`) is left exactly as it is,
even if the catalogue one day ships the same code.
"""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from kpis.models import Indicator, Origin, Target

CATALOGUE = Path(settings.BASE_DIR) / "fixtures" / "kpis" / "indicators.json"
FIELDS = [
    "name",
    "definition",
    "unit",
    "polarity",
    "oba_category",
    "priority",
    "source",
    "frequency",
    "owner_title",
    "computed",
    "tolerance",
    "describes",
]


def catalogue_codes(path: Path = CATALOGUE) -> set[str]:
    """The codes the shipped catalogue uses, which a council's own indicator may not take."""
    return {entry["code"] for entry in json.loads(Path(path).read_text(encoding="utf-8"))}


def councils_own_in_catalogue(path: Path = CATALOGUE) -> list[str]:
    """The council's own indicators whose code the catalogue also ships: loading leaves them."""
    return sorted(
        Indicator.objects.councils_own()
        .filter(code__in=catalogue_codes(path))
        .values_list("code", flat=True)
    )


@transaction.atomic
def catalogue_load(path: Path = CATALOGUE) -> tuple[int, int]:
    """Returns (created, updated)."""
    entries = json.loads(Path(path).read_text(encoding="utf-8"))
    existing = {i.code: i for i in Indicator.objects.all()}
    created = updated = 0
    for entry in entries:
        if (mine := existing.get(entry["code"])) is not None and mine.origin == Origin.COUNCIL:
            continue
        values = {field: entry[field] for field in FIELDS}
        values["tolerance"] = Decimal(str(values["tolerance"]))
        indicator = existing.get(entry["code"])
        if indicator is None:
            indicator = Indicator.objects.create(code=entry["code"], **values)
            created += 1
        elif any(getattr(indicator, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(indicator, key, value)
            indicator.save()
            updated += 1
        for target in entry.get("targets", []):
            Target.objects.update_or_create(
                indicator=indicator,
                period_start=datetime.date.fromisoformat(target["period_start"]),
                period_end=datetime.date.fromisoformat(target["period_end"]),
                defaults={"value": Decimal(str(target["value"])), "label": target.get("label", "")},
            )
    return created, updated
