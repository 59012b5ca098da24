"""Item 10 of issue 18: a checklist written by hand with plain choices and no codes."""

import json

import pytest

from audits.models import ChecklistTemplate
from audits.template_io import (
    TemplateFormatError,
    template_export,
    template_export_of_dict,
    template_import,
)

pytestmark = pytest.mark.django_db

SHORTHAND = {
    "name": "Hand-written checklist",
    "version": 1,
    "subject": "ehcp",
    "sections": [
        {
            "title": "Views of the child",
            "items": [
                {"text": "Are the child's own words used?", "kind": "yes_no"},
                {
                    "text": "Overall judgement",
                    "kind": "choice",
                    "choices": ["Outstanding", "Good", "Requires improvement", "Inadequate"],
                },
            ],
        },
        {
            "code": "N",
            "title": "Needs",
            "items": [
                {
                    "code": "N1",
                    "text": "How well are needs described?",
                    "kind": "choice",
                    "choices": ["Fully", {"value": "part", "label": "In part", "score": 1}],
                },
                {"text": "Anything else?", "kind": "text"},
            ],
        },
    ],
}

FULL_CHOICES = [
    {"value": "outstanding", "label": "Outstanding"},
    {"value": "good", "label": "Good"},
    {"value": "requires-improvement", "label": "Requires improvement"},
    {"value": "inadequate", "label": "Inadequate"},
]


def _item(code, text, kind, choices=(), *, required=True):
    return {
        "code": code,
        "group": "",
        "text": text,
        "kind": kind,
        "scale": None,
        "choices": list(choices),
        "allow_na": False,
        "required": required,
        "weight": 0,
        "guidance": "",
        "golden_thread": False,
        "extra_fields": [],
    }


FULL = {
    "name": "Hand-written checklist",
    "version": 1,
    "subject": "ehcp",
    "description": "",
    "source": "",
    "overall_rating": None,
    "final_comments": False,
    "grade_bands": [],
    "grade_item": "",
    "total_label": "",
    "sections": [
        {
            "code": "S1",
            "title": "Views of the child",
            "guidance": "",
            "items": [
                _item("S1Q1", "Are the child's own words used?", "yes_no"),
                _item("S1Q2", "Overall judgement", "choice", FULL_CHOICES),
            ],
        },
        {
            "code": "N",
            "title": "Needs",
            "guidance": "",
            "items": [
                _item(
                    "N1",
                    "How well are needs described?",
                    "choice",
                    [
                        {"value": "fully", "label": "Fully"},
                        {"value": "part", "label": "In part", "score": 1},
                    ],
                ),
                _item("S2Q2", "Anything else?", "text", required=False),
            ],
        },
    ],
}


def test_a_shorthand_file_is_imported_and_exported_in_full():
    template, created = template_import(SHORTHAND, publish=False)
    assert created
    assert template_export(template) == FULL
    assert template_export_of_dict(SHORTHAND) == FULL


def test_a_shorthand_file_round_trips_to_a_stable_full_one():
    first, _ = template_import(SHORTHAND)
    exported = json.loads(json.dumps(template_export(first)))
    # The full form is the same version: importing it again changes nothing.
    assert template_import(exported) == (first, False)
    second, created = template_import({**exported, "name": "Copy"})
    assert created
    assert template_export(second) == {**exported, "name": "Copy"}
    assert template_export(second) == {**FULL, "name": "Copy"}


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        (
            ["Good", "GOOD"],
            "sections[0].items[1].choices[1].value: 'good' is used twice in this item; "
            'give each choice its own value, as {"value": "...", "label": ...}',
        ),
        (
            ["Good", "???"],
            "sections[0].items[1].choices[1].value: '???' makes no value (it has no letters "
            'or digits); give it as {"value": "...", "label": "???"}',
        ),
        (
            ["Good", 3],
            'sections[0].items[1].choices[1]: give a label as text ("Full") or '
            '{"value": "full", "label": "Full"}',
        ),
        (
            [],
            'sections[0].items[1].choices: missing; give a list such as ["Full", "Partial", '
            '"None"]',
        ),
    ],
)
def test_a_bad_plain_choice_is_refused_naming_the_entry_field_and_fix(choices, message):
    data = json.loads(json.dumps(SHORTHAND))
    data["sections"][0]["items"][1]["choices"] = choices
    with pytest.raises(TemplateFormatError) as error:
        template_import(data)
    assert error.value.messages == [message]
    assert not ChecklistTemplate.objects.exists()


def test_a_made_up_code_that_clashes_with_a_given_one_is_refused():
    data = json.loads(json.dumps(SHORTHAND))
    data["sections"][1]["items"][0]["code"] = "S1Q1"
    with pytest.raises(TemplateFormatError) as error:
        template_import(data)
    assert error.value.messages == ["sections[1].items[0].code: 'S1Q1' is used twice"]
