import copy
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from audits.models import ChecklistTemplate, PublishedTemplateError, TemplateItem
from audits.template_io import (
    TEMPLATE_FIXTURES,
    TemplateFormatError,
    load_shipped_templates,
    read_template_file,
    template_export,
    template_export_of_dict,
    template_import,
    template_new_version,
)
from tests.audits.factories import SMALL_TEMPLATE, small_template

pytestmark = pytest.mark.django_db

SHIPPED = sorted(TEMPLATE_FIXTURES.glob("*.json"))


def test_four_templates_ship_with_the_portal():
    names = {read_template_file(p)["name"] for p in SHIPPED}
    assert names == {
        "EHCP QA checklist",
        "Advice writing QA tool",
        "Local Offer compliance check",
        "Workforce skills self-audit",
    }


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_templates_export_and_reimport_unchanged(path: Path):
    data = read_template_file(path)
    template, created = template_import(data)
    assert created and template.is_published
    exported = template_export(template)
    assert exported == template_export_of_dict(data)
    # Re-importing the export is recognised as the same version, unchanged.
    again, created_again = template_import(json.loads(json.dumps(exported)))
    assert (again.pk, created_again) == (template.pk, False)


def test_the_ehcp_checklist_follows_the_seed():
    template, _ = template_import(read_template_file(TEMPLATE_FIXTURES / "ehcp_qa_checklist.json"))
    codes = list(template.sections.values_list("code", flat=True))
    assert codes == ["A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K"]
    assert template.overall_rating_scale["min"] == 1 and template.overall_rating_scale["max"] == 5
    assert template.final_comments
    first = TemplateItem.objects.filter(section__template=template).first()
    assert first.text == "Captures what the CYP wants for the future short term"
    assert first.group == "(i) Aspirations"
    kinds = set(
        TemplateItem.objects.filter(section__template=template).values_list("kind", flat=True)
    )
    assert kinds == {"score", "yes_no"}
    per_section = dict(
        template.sections.annotate(n=Count("items")).values_list("code", "n").order_by("order")
    )
    # Counted from seed 002, Appendix C: every "Select a score" and "Select Yes or No" cell.
    assert per_section == {
        "A": 10, "B": 3, "C": 5, "D": 6, "E": 13, "F": 5,
        "G": 4, "H1": 4, "H2": 3, "I": 2, "J": 4, "K": 4,
    }  # fmt: skip
    golden = TemplateItem.objects.filter(section__template=template, golden_thread=True)
    assert set(golden.values_list("code", flat=True)) == {"B3", "C5", "D6", "F4", "F5", "G4"}
    scores = TemplateItem.objects.filter(section__template=template, kind="score")
    assert set(scores.values_list("scale_min", "scale_max")) == {(1, 5)}


def test_the_local_offer_check_and_the_skills_self_audit_follow_the_seed():
    offer, _ = template_import(
        read_template_file(TEMPLATE_FIXTURES / "local_offer_compliance_check.json")
    )
    items = TemplateItem.objects.filter(section__template=offer)
    assert items.count() == 30 and set(items.values_list("kind", flat=True)) == {"choice"}
    first = items.first()
    assert [c["label"] for c in first.choices] == ["Full", "Partial", "Not compliant"]
    assert [e["label"] for e in first.extra_fields] == [
        "Must or should",
        "Action",
        "Who",
        "By when",
    ]
    skills, _ = template_import(
        read_template_file(TEMPLATE_FIXTURES / "workforce_skills_self_audit.json")
    )
    lines = TemplateItem.objects.filter(section__template=skills)
    assert lines.count() == 38
    assert set(lines.values_list("scale_min", "scale_max")) == {(1, 6)}
    assert list(skills.sections.values_list("title", flat=True)) == [
        "SEND Reforms in General",
        "Local Offer",
        "Personal Budgets",
        "EHC Plans",
        "Keyworking",
        "Participation and Coproduction",
        "Training and facilitation skills",
    ]


def test_the_advice_tool_has_19_lines_scored_0_to_5():
    template, _ = template_import(
        read_template_file(TEMPLATE_FIXTURES / "advice_writing_qa_tool.json")
    )
    items = TemplateItem.objects.filter(section__template=template)
    assert items.count() == 19
    assert set(items.values_list("scale_min", "scale_max")) == {(0, 5)}
    assert items.first().scale_labels["0"] == "No evidence"
    assert items.first().scale_labels["5"] == "Excellent evidence"
    assert sum(i.max_points for i in items) == 95


def test_loading_the_shipped_templates_twice_adds_nothing():
    load_shipped_templates()
    count = ChecklistTemplate.objects.count()
    assert [created for _, created in load_shipped_templates()] == [False] * len(SHIPPED)
    assert ChecklistTemplate.objects.count() == count


def test_a_published_version_cannot_change():
    template = small_template()
    template.description = "Changed"
    with pytest.raises(PublishedTemplateError):
        template.save()
    section = template.sections.first()
    section.title = "Changed"
    with pytest.raises(PublishedTemplateError):
        section.save()
    item = TemplateItem.objects.filter(section__template=template).first()
    item.text = "Changed"
    with pytest.raises(PublishedTemplateError):
        item.save()
    with pytest.raises(PublishedTemplateError):
        item.delete()
    with pytest.raises(PublishedTemplateError):
        template.delete()


def test_the_same_version_with_other_content_is_refused():
    small_template()
    changed = copy.deepcopy(SMALL_TEMPLATE)
    changed["sections"][0]["items"][0]["text"] = "Something else"
    with pytest.raises(TemplateFormatError, match="give this one a new version number"):
        template_import(changed)


def test_editing_makes_a_new_draft_version():
    template = small_template()
    draft = template_new_version(template)
    assert (draft.version, draft.status) == (2, ChecklistTemplate.Status.DRAFT)
    item = TemplateItem.objects.filter(section__template=draft).first()
    item.text = "Edited in the draft"
    item.save()
    draft.publish()
    assert ChecklistTemplate.objects.latest_published("Small checklist") == draft
    original = TemplateItem.objects.filter(section__template=template).first()
    assert original.text == "Captures aspirations"


def test_every_problem_in_a_template_file_is_named():
    bad = copy.deepcopy(SMALL_TEMPLATE)
    del bad["version"]
    bad["sections"][0]["items"][0]["kind"] = "stars"
    bad["sections"][1]["items"][0]["scale"] = {"min": 5, "max": 1}
    bad["sections"][1]["items"][1]["code"] = "A1"
    with pytest.raises(TemplateFormatError) as error:
        template_import(bad)
    messages = error.value.messages
    assert "version: missing; every template needs it" in messages
    assert (
        "sections[0].items[0].kind: 'stars' is not one of score, yes_no, choice, text" in messages
    )
    assert any(m.startswith("sections[1].items[0].scale: min and max") for m in messages)
    assert "sections[1].items[1].code: 'A1' is used twice" in messages
    assert ChecklistTemplate.objects.count() == 0


def test_import_and_export_commands(tmp_path):
    path = tmp_path / "small.json"
    path.write_text(json.dumps(SMALL_TEMPLATE))
    out = StringIO()
    call_command("import_template", str(path), stdout=out)
    assert "Imported Small checklist (version 1) as published" in out.getvalue()
    out = StringIO()
    call_command("export_template", "Small checklist", "--version", "1", stdout=out)
    assert json.loads(out.getvalue()) == template_export_of_dict(SMALL_TEMPLATE)
    with pytest.raises(CommandError, match="No template named 'Nope'"):
        call_command("export_template", "Nope")


def test_import_command_reports_bad_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_template", str(path))


def test_text_given_as_null_is_read_as_empty():
    """JSON null for an optional text (a file written by another tool) is no text, not an error."""
    data = {
        **SMALL_TEMPLATE,
        "name": "Null texts",
        "description": None,
        "source": None,
        "total_label": None,
        "overall_rating": {**SMALL_TEMPLATE["overall_rating"], "text": None},
    }
    template = template_import(data)[0]
    assert (template.description, template.overall_rating_text, template.total_label) == (
        "",
        "",
        "",
    )


def test_a_nul_character_anywhere_in_a_template_file_is_refused_not_a_database_error():
    """PostgreSQL stores no NUL in text or JSON; the import used to fail on it (found by the
    template import property test)."""
    for place in ("name", "label"):
        bad = copy.deepcopy(SMALL_TEMPLATE)
        if place == "name":
            bad["name"] = "Small\x00checklist"
        else:
            bad["sections"][0]["items"][0]["extra_fields"] = [
                {"key": "k", "label": "a\x00b", "kind": "text"}
            ]
        with pytest.raises(TemplateFormatError) as error:
            template_import(bad)
        assert any("NUL character" in m for m in error.value.messages), place
    assert ChecklistTemplate.objects.count() == 0
