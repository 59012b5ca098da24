"""Checklist templates to and from the JSON shape of docs/templates.md."""

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from audits.models import ChecklistTemplate, TemplateItem, TemplateSection

TEMPLATE_FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "templates"
KINDS = [k.value for k in TemplateItem.Kind]
SUBJECTS = [s.value for s in ChecklistTemplate.Subject]
EXTRA_KINDS = ["text", "date", "multi_choice"]


class TemplateFormatError(ValidationError):
    """Every problem found in a template file, each naming where it is."""


def _number(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _check_scale(scale, where: str, problems: list[str]) -> None:
    if not isinstance(scale, dict):
        problems.append(f'{where}.scale: give a scale as {{"min": 1, "max": 5, "labels": {{}}}}')
        return
    low, high = scale.get("min"), scale.get("max")
    if not isinstance(low, int) or not isinstance(high, int) or low >= high:
        problems.append(f"{where}.scale: min and max must be whole numbers with min below max")
        return
    for key in scale.get("labels", {}):
        if not str(key).lstrip("-").isdigit() or not low <= int(key) <= high:
            problems.append(
                f"{where}.scale.labels: {key!r} is not a point between {low} and {high}"
            )


def validate(data) -> list[str]:
    """All the problems in a template's JSON, each naming its place; empty when it is fine."""
    problems: list[str] = []
    if not isinstance(data, dict):
        return ["The file must hold one JSON object (a template)."]
    for key in ("name", "version", "subject", "sections"):
        if key not in data:
            problems.append(f"{key}: missing; every template needs it")
    if "name" in data and not str(data["name"]).strip():
        problems.append("name: give the template a name")
    if "version" in data and (not isinstance(data["version"], int) or data["version"] < 1):
        problems.append("version: must be a whole number from 1")
    if "subject" in data and data["subject"] not in SUBJECTS:
        problems.append(f"subject: {data['subject']!r} is not one of {', '.join(SUBJECTS)}")
    if data.get("overall_rating"):
        _check_scale(data["overall_rating"].get("scale"), "overall_rating", problems)
    for n, band in enumerate(data.get("grade_bands", [])):
        if "label" not in band or _number(band.get("min_percent")) is None:
            problems.append(f"grade_bands[{n}]: needs a label and a min_percent")
    sections = data.get("sections", [])
    if "sections" in data and (not isinstance(sections, list) or not sections):
        problems.append("sections: give at least one section")
        sections = []
    section_codes, item_codes = set(), set()
    for s, section in enumerate(sections):
        where = f"sections[{s}]"
        for key in ("code", "title", "items"):
            if not section.get(key):
                problems.append(f"{where}.{key}: missing")
        if section.get("code") in section_codes:
            problems.append(f"{where}.code: {section['code']!r} is used twice")
        section_codes.add(section.get("code"))
        for i, item in enumerate(section.get("items") or []):
            spot = f"{where}.items[{i}]"
            for key in ("code", "text", "kind"):
                if not item.get(key):
                    problems.append(f"{spot}.{key}: missing")
            if item.get("code") in item_codes:
                problems.append(f"{spot}.code: {item['code']!r} is used twice")
            item_codes.add(item.get("code"))
            kind = item.get("kind")
            if kind and kind not in KINDS:
                problems.append(f"{spot}.kind: {kind!r} is not one of {', '.join(KINDS)}")
            if kind == "score":
                _check_scale(item.get("scale"), spot, problems)
            if kind == "choice":
                choices = item.get("choices")
                if not choices or not all("value" in c and "label" in c for c in choices):
                    problems.append(f"{spot}.choices: give choices, each with a value and a label")
            if "weight" in item and (
                _number(item["weight"]) is None or _number(item["weight"]) < 0
            ):
                problems.append(f"{spot}.weight: must be a number, 0 or more")
            for e, extra in enumerate(item.get("extra_fields", [])):
                if not extra.get("key") or extra.get("kind") not in EXTRA_KINDS:
                    problems.append(
                        f"{spot}.extra_fields[{e}]: needs a key and a kind ({', '.join(EXTRA_KINDS)})"
                    )
    return problems


def _default_weight(kind: str) -> Decimal:
    return Decimal(1) if kind == "score" else Decimal(0)


@transaction.atomic
def template_import(data: dict, *, publish: bool = True, by=None) -> tuple[ChecklistTemplate, bool]:
    """Create the template version in `data`; returns (template, created).

    Re-importing an identical version returns the stored one. A different one with the same
    name and version replaces a draft that no audit uses (this is how a draft is edited), and
    is refused for a published version, because a published version never changes.
    """
    problems = validate(data)
    if problems:
        raise TemplateFormatError(problems)
    existing = ChecklistTemplate.objects.filter(name=data["name"], version=data["version"]).first()
    if existing and not existing.is_published and not existing.audits.exists():
        if template_export(existing) == template_export_of_dict(data):
            if publish:
                existing.publish(by=by)
            return existing, False
        existing.delete()
        existing = None
    if existing:
        if template_export(existing) == template_export_of_dict(data):
            return existing, False
        raise TemplateFormatError(
            [
                f"{existing} already exists with different content. "
                "A published version never changes: give this one a new version number."
            ]
        )
    rating = data.get("overall_rating") or {}
    template = ChecklistTemplate.objects.create(
        name=data["name"],
        version=data["version"],
        subject=data["subject"],
        description=data.get("description", ""),
        source=data.get("source", ""),
        overall_rating_text=rating.get("text", ""),
        overall_rating_scale=_normal_scale(rating["scale"]) if rating else None,
        final_comments=bool(data.get("final_comments", False)),
        grade_bands=[_normal_band(b) for b in data.get("grade_bands", [])],
        total_label=data.get("total_label", ""),
    )
    items = []
    for s, section_data in enumerate(data["sections"], start=1):
        section = TemplateSection.objects.create(
            template=template,
            order=s,
            code=section_data["code"],
            title=section_data["title"],
            guidance=section_data.get("guidance", ""),
        )
        for i, item in enumerate(section_data["items"], start=1):
            kind = item["kind"]
            scale = _normal_scale(item["scale"]) if kind == "score" else None
            items.append(
                TemplateItem(
                    section=section,
                    order=i,
                    code=item["code"],
                    group=item.get("group", ""),
                    text=item["text"],
                    kind=kind,
                    scale_min=scale["min"] if scale else None,
                    scale_max=scale["max"] if scale else None,
                    scale_labels=scale["labels"] if scale else {},
                    choices=item.get("choices", []) if kind == "choice" else [],
                    allow_na=bool(item.get("allow_na", False)),
                    required=bool(item.get("required", kind != "text")),
                    weight=_number(item.get("weight", _default_weight(kind))),
                    guidance=item.get("guidance", ""),
                    golden_thread=bool(item.get("golden_thread", False)),
                    extra_fields=item.get("extra_fields", []),
                )
            )
    TemplateItem.objects.bulk_create(items)
    if publish:
        template.publish(by=by)
    return template, True


def _normal_scale(scale: dict) -> dict:
    return {
        "min": scale["min"],
        "max": scale["max"],
        "labels": {
            str(k): v for k, v in sorted(scale.get("labels", {}).items(), key=lambda kv: int(kv[0]))
        },
    }


def _normal_band(band: dict) -> dict:
    return {
        "label": band["label"],
        "min_percent": float(band["min_percent"]),
        "good_or_better": bool(band.get("good_or_better", False)),
    }


def _weight_out(weight: Decimal) -> int | float:
    return int(weight) if weight == weight.to_integral_value() else float(weight)


def template_export(template: ChecklistTemplate) -> dict:
    """The template in the documented JSON shape, every key written out."""
    sections = template.sections.prefetch_related("items")
    data = {
        "name": template.name,
        "version": template.version,
        "subject": template.subject,
        "description": template.description,
        "source": template.source,
        "overall_rating": (
            {"text": template.overall_rating_text, "scale": template.overall_rating_scale}
            if template.overall_rating_scale
            else None
        ),
        "final_comments": template.final_comments,
        "grade_bands": template.grade_bands,
        "total_label": template.total_label,
        "sections": [],
    }
    for section in sections:
        items = []
        for item in section.items.all():
            entry = {
                "code": item.code,
                "group": item.group,
                "text": item.text,
                "kind": item.kind,
                "scale": (
                    {"min": item.scale_min, "max": item.scale_max, "labels": item.scale_labels}
                    if item.kind == "score"
                    else None
                ),
                "choices": item.choices,
                "allow_na": item.allow_na,
                "required": item.required,
                "weight": _weight_out(item.weight),
                "guidance": item.guidance,
                "golden_thread": item.golden_thread,
                "extra_fields": item.extra_fields,
            }
            items.append(entry)
        data["sections"].append(
            {
                "code": section.code,
                "title": section.title,
                "guidance": section.guidance,
                "items": items,
            }
        )
    return data


def template_export_of_dict(data: dict) -> dict:
    """What template_export would give for this JSON once imported (defaults filled in)."""
    rating = data.get("overall_rating") or None
    return {
        "name": data["name"],
        "version": data["version"],
        "subject": data["subject"],
        "description": data.get("description", ""),
        "source": data.get("source", ""),
        "overall_rating": (
            {"text": rating.get("text", ""), "scale": _normal_scale(rating["scale"])}
            if rating
            else None
        ),
        "final_comments": bool(data.get("final_comments", False)),
        "grade_bands": [_normal_band(b) for b in data.get("grade_bands", [])],
        "total_label": data.get("total_label", ""),
        "sections": [
            {
                "code": section["code"],
                "title": section["title"],
                "guidance": section.get("guidance", ""),
                "items": [
                    {
                        "code": item["code"],
                        "group": item.get("group", ""),
                        "text": item["text"],
                        "kind": item["kind"],
                        "scale": _normal_scale(item["scale"]) if item["kind"] == "score" else None,
                        "choices": item.get("choices", []) if item["kind"] == "choice" else [],
                        "allow_na": bool(item.get("allow_na", False)),
                        "required": bool(item.get("required", item["kind"] != "text")),
                        "weight": _weight_out(
                            _number(item.get("weight", _default_weight(item["kind"])))
                        ),
                        "guidance": item.get("guidance", ""),
                        "golden_thread": bool(item.get("golden_thread", False)),
                        "extra_fields": item.get("extra_fields", []),
                    }
                    for item in section["items"]
                ],
            }
            for section in data["sections"]
        ],
    }


def read_template_file(path: Path) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise TemplateFormatError(
            [
                f"{Path(path).name}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
            ]
        ) from None


def load_shipped_templates() -> list[tuple[ChecklistTemplate, bool]]:
    """Import (publish) every template in fixtures/templates/, skipping those already there."""
    return [
        template_import(read_template_file(p)) for p in sorted(TEMPLATE_FIXTURES.glob("*.json"))
    ]


@transaction.atomic
def template_new_version(template: ChecklistTemplate) -> ChecklistTemplate:
    """A draft copy of `template` numbered after the highest version of its name."""
    data = template_export(template)
    latest = ChecklistTemplate.objects.filter(name=template.name).order_by("-version").first()
    data["version"] = latest.version + 1
    if data["overall_rating"] is None:
        data.pop("overall_rating")
    for section in data["sections"]:
        for item in section["items"]:
            if item["scale"] is None:
                item.pop("scale")
    new, _ = template_import(data, publish=False)
    return new
