"""Weakness headings as councils write them: the number and title kept as written, and a
heading with no number numbered in order of first appearance (the preview says so)."""

import io

import pytest

from tests.wsoa.factories import ActionPlanFactory, WeaknessFactory
from wsoa.imports import WeaknessHeading, actions_import, read_table, weakness_heading

HEADINGS = [
    ("Significant weakness 1", 1, "Significant weakness 1", ""),
    (
        "Significant weakness 1: Inaccurate records",
        1,
        "Significant weakness 1",
        "Inaccurate records",
    ),
    (
        "Area for Improvement 2 - Joint commissioning: health and care",
        2,
        "Area for Improvement 2",
        "Joint commissioning: health and care",
    ),
    ("Area of improvement 3 – Transitions", 3, "Area of improvement 3", "Transitions"),
    ("Priority 3:", 3, "Priority 3", ""),
    ("Priority action 2: Co-production", 2, "Priority action 2", "Co-production"),
    ("SW4", 4, "SW4", ""),
    ("SW 4 - Timeliness", 4, "SW 4", "Timeliness"),
    ("Weakness 5.", 5, "Weakness 5", ""),
    ("1)", 1, "", ""),
    ("1) Oversight", 1, "", "Oversight"),
    ("6", 6, "", ""),
    ("10. Quality of plans", 10, "", "Quality of plans"),
    ("  7   Records  ", 7, "", "Records"),
    ("Inaccurate and incomplete records", None, "", "Inaccurate and incomplete records"),
    ("Over 20 weeks for new plans", None, "", "Over 20 weeks for new plans"),
    ("1.1 is an action's number", None, "", "1.1 is an action's number"),
]


@pytest.mark.parametrize(("cell", "number", "label", "title"), HEADINGS)
def test_a_heading_is_read_as_written(cell, number, label, title):
    assert weakness_heading(cell) == WeaknessHeading(number, label, title)


def frame(text: str):
    return read_table(io.BytesIO(text.encode()), "actions.csv")


@pytest.mark.django_db
def test_headings_keep_their_words_and_unnumbered_ones_are_numbered_in_order():
    plan = ActionPlanFactory()
    table = (
        "Weakness,Actions\n"
        '"Area for Improvement 2 - Joint working: health and care",Meet monthly\n'
        "Inaccurate records,Audit records\n"
        "Ineffective oversight,Set up a board\n"
        "inaccurate  records,Train staff\n"
        "SW4,Publish the offer\n"
    )
    result = actions_import(frame(table), plan=plan, by=None)
    weaknesses = {w.number: (str(w), w.text, w.actions.count()) for w in plan.weaknesses.all()}
    assert weaknesses == {
        1: ("Significant weakness 1", "Inaccurate records", 2),
        2: ("Area for Improvement 2", "Joint working: health and care", 1),
        3: ("Significant weakness 3", "Ineffective oversight", 1),
        4: ("SW4", "Weakness 4", 1),
    }
    assert result.notes == [
        "Row 3: the weakness 'Inaccurate records' has no number; it is numbered 1, in order "
        "of first appearance.",
        "Row 4: the weakness 'Ineffective oversight' has no number; it is numbered 3, in order "
        "of first appearance.",
    ]


@pytest.mark.django_db
def test_an_unnumbered_heading_joins_the_plans_weakness_of_that_title():
    plan = ActionPlanFactory()
    WeaknessFactory(plan=plan, number=1, text="Inaccurate records")
    result = actions_import(
        frame("Weakness,Actions\nInaccurate Records,Audit\n"), plan=plan, by=None
    )
    assert (result.weaknesses_added, result.notes) == (0, [])
    assert plan.weaknesses.get().actions.count() == 1
