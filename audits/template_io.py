"""Checklist templates to and from the JSON shape of docs/templates.md."""

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TypeGuard, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from audits.models import ChecklistTemplate, TemplateItem, TemplateSection
from send_qa.core.models import User

TEMPLATE_FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "templates"
KINDS = [k.value for k in TemplateItem.Kind]
SUBJECTS = [s.value for s in ChecklistTemplate.Subject]
EXTRA_KINDS = ["text", "date", "multi_choice"]


class TemplateFormatError(ValidationError):
    """Every problem found in a template file, each naming where it is."""


LARGEST_INT = 2_147_483_647  # what an IntegerField holds
TEXT_LIMITS = {
    "name": 200,
    "source": 300,
    "total_label": 100,
    "code": 20,
    "title": 500,
    "group": 300,
}


def _number(value: object) -> Decimal | None:
    """A finite number from a JSON number or text, else None (never NaN or infinity)."""
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _whole(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= LARGEST_INT


def _check_text(
    holder: dict, key: str, where: str, problems: list[str], *, needed: bool = False
) -> None:
    """A text field: text (not a list or a number), at most its limit, present when needed."""
    if key not in holder or holder[key] in (None, ""):
        if needed:
            problems.append(f"{where}.{key}: missing" if where else f"{key}: missing")
        return
    spot = f"{where}.{key}" if where else key
    value = holder[key]
    if not isinstance(value, str):
        problems.append(f"{spot}: must be text, in quotes")
    elif needed and not value.strip():
        problems.append(f"{spot}: missing")
    elif key in TEXT_LIMITS and len(value) > TEXT_LIMITS[key]:
        problems.append(f"{spot}: at most {TEXT_LIMITS[key]} characters (it has {len(value)})")


def _list_of_objects(value: object, where: str, problems: list[str]) -> list[dict]:
    """The objects of a JSON list, naming anything else in it; [] for what is not a list."""
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(f"{where}: must be a list [...]")
        return []
    found = []
    for n, entry in enumerate(value):
        if isinstance(entry, dict):
            found.append(entry)
        else:
            problems.append(f"{where}[{n}]: must be an object {{...}}")
    return found


def _check_scale(scale: object, where: str, problems: list[str]) -> None:
    if not isinstance(scale, dict):
        problems.append(f'{where}.scale: give a scale as {{"min": 1, "max": 5, "labels": {{}}}}')
        return
    low, high = scale.get("min"), scale.get("max")
    if not _whole(low) or not _whole(high) or low >= high:
        problems.append(f"{where}.scale: min and max must be whole numbers with min below max")
        return
    labels = scale.get("labels", {})
    if not isinstance(labels, dict):
        problems.append(f'{where}.scale.labels: give labels as {{"1": "Poor", "5": "Good"}}')
        return
    for key, label in labels.items():
        if not str(key).lstrip("-").isdigit() or not low <= int(key) <= high:
            problems.append(
                f"{where}.scale.labels: {key!r} is not a point between {low} and {high}"
            )
        elif not isinstance(label, str):
            problems.append(f"{where}.scale.labels.{key}: must be text, in quotes")


def _holds_nul(data: object) -> bool:
    """Whether any text or key in the JSON holds a NUL character, which PostgreSQL stores in
    neither text nor JSON columns. Walked without recursion: the JSON may be nested deeply."""
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, str) and "\x00" in value:
            return True
        if isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False


CHOICE_VALUE_LIMIT = 50  # what Answer.choice holds


def choice_value(label: str) -> str:
    """The value made for a choice written as a plain label: its slug ("Requires improvement"
    -> "requires-improvement"), cut to what an answer holds."""
    return slugify(label)[:CHOICE_VALUE_LIMIT].strip("-")


def full_form(data: object) -> object:
    """The template with its shorthand written out (docs/templates.md, "Shorthand"): a choice
    given as a plain label gets a value made from it, and a section or item without a code
    gets one from its place (`S1`, `S1Q2`). What is not shorthand is left for `validate`."""
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        return data
    sections = []
    for s, section in enumerate(data["sections"], start=1):
        if not isinstance(section, dict):
            sections.append(section)
            continue
        section = {**section}
        if section.get("code") in (None, ""):
            section["code"] = f"S{s}"
        if isinstance(section.get("items"), list):
            section["items"] = [
                _item_full_form(item, f"S{s}Q{i}")
                for i, item in enumerate(section["items"], start=1)
            ]
        sections.append(section)
    return {**data, "sections": sections}


def _item_full_form(item: object, code: str) -> object:
    if not isinstance(item, dict):
        return item
    item = {**item}
    if item.get("code") in (None, ""):
        item["code"] = code
    if isinstance(item.get("choices"), list):
        item["choices"] = [
            {"value": choice_value(c), "label": c} if isinstance(c, str) else c
            for c in item["choices"]
        ]
    return item


def validate(data: object) -> list[str]:
    """All the problems in a template's JSON, each naming its place; empty when it is fine.
    Every value is checked for its type and size too, so that nothing in a file can fail
    later, when it is saved. Shorthand is read as its full form (`full_form`)."""
    problems: list[str] = []
    data = full_form(data)
    if not isinstance(data, dict):
        return ["The file must hold one JSON object (a template)."]
    if _holds_nul(data):
        problems.append(
            "The file holds a NUL character (\\u0000), which cannot be stored: remove it"
        )
    for key in ("name", "version", "subject", "sections"):
        if key not in data:
            problems.append(f"{key}: missing; every template needs it")
    if "name" in data:
        if isinstance(data["name"], str) and not data["name"].strip():
            problems.append("name: give the template a name")
        else:
            _check_text(data, "name", "", problems, needed=True)
    for key in ("description", "source", "total_label"):
        _check_text(data, key, "", problems)
    if "version" in data and (not _whole(data["version"]) or data["version"] < 1):
        problems.append("version: must be a whole number from 1")
    if "subject" in data and data["subject"] not in SUBJECTS:
        problems.append(f"subject: {data['subject']!r} is not one of {', '.join(SUBJECTS)}")
    rating = data.get("overall_rating")
    if rating and not isinstance(rating, dict):
        problems.append('overall_rating: give it as {"text": "...", "scale": {...}}')
    elif rating:
        _check_text(rating, "text", "overall_rating", problems)
        _check_scale(rating.get("scale"), "overall_rating", problems)
    for n, band in enumerate(_list_of_objects(data.get("grade_bands"), "grade_bands", problems)):
        percent = _number(band.get("min_percent"))
        if not isinstance(band.get("label"), str) or percent is None:
            problems.append(f"grade_bands[{n}]: needs a label and a min_percent")
        elif not 0 <= percent <= 100:
            problems.append(f"grade_bands[{n}].min_percent: must be from 0 to 100")
    sections = data.get("sections", [])
    if "sections" in data and (not isinstance(sections, list) or not sections):
        problems.append("sections: give at least one section")
        sections = []
    section_codes: set[str | None] = set()
    item_codes: set[str | None] = set()
    for s, section in enumerate(_list_of_objects(sections, "sections", problems)):
        where = f"sections[{s}]"
        for key in ("code", "title"):
            _check_text(section, key, where, problems, needed=True)
        _check_text(section, "guidance", where, problems)
        if not section.get("items"):
            problems.append(f"{where}.items: missing")
        code = section.get("code")
        if isinstance(code, str) and code in section_codes:
            problems.append(f"{where}.code: {code!r} is used twice")
        section_codes.add(code if isinstance(code, str) else None)
        for i, item in enumerate(
            _list_of_objects(section.get("items"), f"{where}.items", problems)
        ):
            _check_item(item, f"{where}.items[{i}]", item_codes, problems)
    _check_grade_item(data, problems)
    return problems


def _check_grade_item(data: dict, problems: list[str]) -> None:
    """A grade item names a choice item of the file, and each of its choices a grade band."""
    code = data.get("grade_item")
    if code in (None, ""):
        return
    if not isinstance(code, str):
        problems.append('grade_item: give the code of a choice item, in quotes ("S1Q2")')
        return
    found = [
        (f"sections[{s}].items[{i}]", item)
        for s, section in enumerate(data.get("sections") or [])
        if isinstance(section, dict) and isinstance(section.get("items"), list)
        for i, item in enumerate(section["items"])
        if isinstance(item, dict) and item.get("code") == code
    ]
    if not found:
        problems.append(f"grade_item: {code!r} is not the code of an item of this template")
        return
    spot, item = found[0]
    if item.get("kind") != "choice":
        problems.append(
            f"grade_item: {code!r} ({spot}) is a {item.get('kind')!r} item; the grade must be a "
            "choice item, one choice per grade band"
        )
        return
    bands = data.get("grade_bands")
    labels = {
        b["label"].casefold()
        for b in (bands if isinstance(bands, list) else [])
        if isinstance(b, dict) and isinstance(b.get("label"), str)
    }
    if not labels:
        problems.append(
            "grade_bands: missing; a grade_item needs a band for each of its choices "
            '({"label": "Good", "min_percent": 65, "good_or_better": true})'
        )
        return
    for c, choice in enumerate(item.get("choices") or []):
        label = choice.get("label") if isinstance(choice, dict) else None
        if isinstance(label, str) and label.casefold() not in labels:
            problems.append(
                f"{spot}.choices[{c}]: {label!r} names no grade band; label it as one of the "
                "grade_bands, or add a band of that label"
            )


def _check_item(item: dict, spot: str, item_codes: set, problems: list[str]) -> None:
    for key in ("code", "text", "kind"):
        _check_text(item, key, spot, problems, needed=True)
    for key in ("group", "guidance"):
        _check_text(item, key, spot, problems)
    code = item.get("code")
    if isinstance(code, str) and code in item_codes:
        problems.append(f"{spot}.code: {code!r} is used twice")
    item_codes.add(code if isinstance(code, str) else None)
    kind = item.get("kind")
    if isinstance(kind, str) and kind and kind not in KINDS:
        problems.append(f"{spot}.kind: {kind!r} is not one of {', '.join(KINDS)}")
    if kind == "score":
        _check_scale(item.get("scale"), spot, problems)
    if kind == "choice":
        _check_choices(item.get("choices"), spot, problems)
    if "weight" in item:
        weight = _number(item["weight"])
        if weight is None or weight < 0:
            problems.append(f"{spot}.weight: must be a number, 0 or more")
        elif weight >= 10_000 or weight != weight.quantize(Decimal("0.01")):
            problems.append(f"{spot}.weight: must be below 10,000, with at most 2 decimal places")
    for e, extra in enumerate(
        _list_of_objects(item.get("extra_fields"), f"{spot}.extra_fields", problems)
    ):
        if (
            not isinstance(extra.get("key"), str)
            or not extra["key"]
            or extra.get("kind") not in EXTRA_KINDS
        ):
            problems.append(
                f"{spot}.extra_fields[{e}]: needs a key and a kind ({', '.join(EXTRA_KINDS)})"
            )


def _check_choices(choices: object, spot: str, problems: list[str]) -> None:
    """A choice item's choices: each a label (plain text) or {"value", "label"}, values unique."""
    if not isinstance(choices, list) or not choices:
        problems.append(f'{spot}.choices: missing; give a list such as ["Full", "Partial", "None"]')
        return
    seen: set[str] = set()
    for c, choice in enumerate(choices):
        where = f"{spot}.choices[{c}]"
        if not isinstance(choice, dict) or "value" not in choice or "label" not in choice:
            problems.append(
                f'{where}: give a label as text ("Full") or {{"value": "full", "label": "Full"}}'
            )
            continue
        value, label = choice["value"], choice["label"]
        if not isinstance(label, str) or not label.strip():
            problems.append(f"{where}.label: must be text, in quotes")
        if not isinstance(value, str) or not value:
            problems.append(
                f"{where}.value: {label!r} makes no value (it has no letters or digits); "
                f'give it as {{"value": "...", "label": {json.dumps(label)}}}'
            )
        elif len(value) > CHOICE_VALUE_LIMIT:
            problems.append(
                f"{where}.value: at most {CHOICE_VALUE_LIMIT} characters (it has {len(value)}); "
                "shorten it"
            )
        elif value in seen:
            problems.append(
                f"{where}.value: {value!r} is used twice in this item; give each choice its "
                f'own value, as {{"value": "...", "label": ...}}'
            )
        else:
            seen.add(value)


def _default_weight(kind: str) -> Decimal:
    return Decimal(1) if kind == "score" else Decimal(0)


@transaction.atomic
def template_import(
    data: dict, *, publish: bool = True, by: User | None = None
) -> tuple[ChecklistTemplate, bool]:
    """Create the template version in `data`; returns (template, created).

    Re-importing an identical version returns the stored one. A different one with the same
    name and version replaces a draft that no audit uses (this is how a draft is edited), and
    is refused for a published version, because a published version never changes.
    """
    problems = validate(data)
    if problems:
        raise TemplateFormatError(problems)
    data = cast(dict, full_form(data))
    existing = ChecklistTemplate.objects.filter(name=data["name"], version=data["version"]).first()
    keep = {}
    if existing and not existing.is_published and not existing.audits.exists():
        if template_export(existing) == template_export_of_dict(data):
            if publish:
                existing.publish(by=by)
            return existing, False
        keep = {"uuid": existing.uuid}  # the replaced draft keeps its address
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
        **keep,
        name=data["name"],
        version=data["version"],
        subject=data["subject"],
        description=data.get("description") or "",
        source=data.get("source") or "",
        overall_rating_text=rating.get("text") or "",
        overall_rating_scale=_normal_scale(rating["scale"]) if rating else None,
        final_comments=bool(data.get("final_comments", False)),
        grade_bands=[_normal_band(b) for b in data.get("grade_bands") or []],
        grade_item=data.get("grade_item") or "",
        total_label=data.get("total_label") or "",
    )
    items = []
    for s, section_data in enumerate(data["sections"], start=1):
        section = TemplateSection.objects.create(
            template=template,
            order=s,
            code=section_data["code"],
            title=section_data["title"],
            guidance=section_data.get("guidance") or "",
        )
        for i, item in enumerate(section_data["items"], start=1):
            kind = item["kind"]
            scale = _normal_scale(item["scale"]) if kind == "score" else None
            items.append(
                TemplateItem(
                    section=section,
                    order=i,
                    code=item["code"],
                    group=item.get("group") or "",
                    text=item["text"],
                    kind=kind,
                    scale_min=scale["min"] if scale else None,
                    scale_max=scale["max"] if scale else None,
                    scale_labels=scale["labels"] if scale else {},
                    choices=item.get("choices", []) if kind == "choice" else [],
                    allow_na=bool(item.get("allow_na", False)),
                    required=bool(item.get("required", kind != "text")),
                    weight=_item_weight(item),
                    guidance=item.get("guidance") or "",
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


def _item_weight(item: dict) -> Decimal:
    """An item's weight as given, or its kind's default (`validate` has checked it)."""
    weight = _number(item.get("weight", _default_weight(item["kind"])))
    if weight is None:
        raise TemplateFormatError([f"{item['code']}.weight: must be a number, 0 or more"])
    return weight


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
        "grade_item": template.grade_item,
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
    data = cast(dict, full_form(data))
    rating = data.get("overall_rating") or None
    return {
        "name": data["name"],
        "version": data["version"],
        "subject": data["subject"],
        "description": data.get("description") or "",
        "source": data.get("source") or "",
        "overall_rating": (
            {"text": rating.get("text") or "", "scale": _normal_scale(rating["scale"])}
            if rating
            else None
        ),
        "final_comments": bool(data.get("final_comments", False)),
        "grade_bands": [_normal_band(b) for b in data.get("grade_bands") or []],
        "grade_item": data.get("grade_item") or "",
        "total_label": data.get("total_label") or "",
        "sections": [
            {
                "code": section["code"],
                "title": section["title"],
                "guidance": section.get("guidance") or "",
                "items": [
                    {
                        "code": item["code"],
                        "group": item.get("group") or "",
                        "text": item["text"],
                        "kind": item["kind"],
                        "scale": _normal_scale(item["scale"]) if item["kind"] == "score" else None,
                        "choices": item.get("choices", []) if item["kind"] == "choice" else [],
                        "allow_na": bool(item.get("allow_na", False)),
                        "required": bool(item.get("required", item["kind"] != "text")),
                        "weight": _weight_out(_item_weight(item)),
                        "guidance": item.get("guidance") or "",
                        "golden_thread": bool(item.get("golden_thread", False)),
                        "extra_fields": item.get("extra_fields", []),
                    }
                    for item in section["items"]
                ],
            }
            for section in data["sections"]
        ],
    }


def read_template_file(path: Path | str) -> dict:
    try:
        # Whatever the JSON holds: template_import's validate() refuses what is not an object.
        return cast(dict, json.loads(Path(path).read_text(encoding="utf-8")))
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
    latest = (
        ChecklistTemplate.objects.filter(name=template.name).order_by("-version").first()
        or template  # one of them
    )
    data["version"] = latest.version + 1
    if data["overall_rating"] is None:
        data.pop("overall_rating")
    for section in data["sections"]:
        for item in section["items"]:
            if item["scale"] is None:
                item.pop("scale")
    new, _ = template_import(data, publish=False)
    return new
