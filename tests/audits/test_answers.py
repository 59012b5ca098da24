"""One answer model: an answer reads, stores and shows itself for each kind of item, and the
"answered" and "not applicable" rules in SQL are the same as in Python."""

import copy

import pytest
from django.db import IntegrityError, transaction

from audits.exports import export_table
from audits.forms import SectionAnswersForm
from audits.models import Answer, Audit, TemplateItem
from tests.audits.factories import SMALL_TEMPLATE, AuditFactory, small_template

pytestmark = pytest.mark.django_db

# Each kind's answers as the form writes them, with how they read back and in words.
CASES = [
    ("A1", "4", 4, "4"),
    ("A1", "5", 5, "5 (Excellent)"),
    ("A1", "", None, "Not answered"),
    ("A2", "yes", "yes", "Yes"),
    ("A2", "no", "no", "No"),
    ("A2", "", "", "Not answered"),
    ("B1", "na", "na", "Not applicable"),
    ("B2", "na", "na", "Not applicable"),
    ("B3", "Good use of the child's words", "Good use of the child's words", None),
    ("B3", "   ", "   ", "Not answered"),
    ("B4", "partial", "partial", "Partly met"),
    ("B4", "na", "na", "Not applicable"),
    ("B4", "", "", "Not answered"),
]


def with_choice_item():
    """The small checklist with B4, a scored choice that may be not applicable."""
    data = copy.deepcopy(SMALL_TEMPLATE)
    data["sections"][1]["items"].append(
        {
            "code": "B4",
            "text": "Outcomes are SMART",
            "kind": "choice",
            "choices": [
                {"value": "met", "label": "Met", "score": 2},
                {"value": "partial", "label": "Partly met", "score": 1},
                {"value": "unmet", "label": "Not met", "score": 0},
            ],
            "weight": 1,
            "allow_na": True,
        }
    )
    return small_template(**data)


@pytest.fixture
def items():
    template = with_choice_item()
    return {i.code: i for i in TemplateItem.objects.filter(section__template=template)}


@pytest.mark.parametrize(("code", "raw", "value", "words"), CASES)
def test_an_answer_set_from_the_form_value_reads_back_and_shows_in_words(
    items, code, raw, value, words
):
    item = items[code]
    answer = Answer()
    answer.set_from(item, raw)
    assert answer.value_for(item) == value
    assert answer.display(item) == (words or raw)
    assert answer.is_answered(item) == (words != "Not answered")
    assert answer.not_applicable == (raw == "na")
    assert answer.yes_no in ("", "yes", "no")


def test_na_is_a_plain_answer_where_the_item_does_not_allow_not_applicable(items):
    answer = Answer()
    answer.set_from(items["B3"], "na")  # free text, no "not applicable"
    assert not answer.not_applicable and answer.text == "na"


def test_setting_a_new_value_clears_the_old_one_and_the_not_applicable_flag(items):
    answer = Answer()
    answer.set_from(items["B2"], "na")
    answer.set_from(items["B2"], "yes")
    assert (answer.not_applicable, answer.yes_no) == (False, "yes")
    answer.set_from(items["B1"], "na")
    assert (answer.not_applicable, answer.score, answer.yes_no) == (True, None, "")


def test_points_follow_each_kind_and_not_applicable_counts_for_nothing(items):
    def points(code, raw):
        answer = Answer()
        answer.set_from(items[code], raw)
        return answer.points_for(items[code])

    assert points("A1", "4") == (4, 5)
    assert points("A2", "yes") is None  # weight 0: not in the total
    assert points("B2", "yes") == (1, 1) and points("B2", "no") == (0, 1)
    assert points("B4", "partial") == (1, 2)
    assert points("B1", "na") is None and points("B4", "na") is None and points("B3", "x") is None


def test_the_answered_and_applicable_querysets_agree_with_the_answers_own_rules(items):
    stored = []
    for code, raw, _, _ in CASES:
        audit = AuditFactory(template=items[code].section.template)
        audit.save_answers(values={items[code].pk: {"value": raw}}, version=audit.edit_version())
        stored.append(Answer.objects.get(audit=audit))
    answered = {a.pk for a in stored if a.is_answered(items_by_pk(items)[a.item_id])}
    applicable = {a.pk for a in stored if not a.not_applicable}
    with_value = answered - {a.pk for a in stored if a.not_applicable}
    assert set(Answer.objects.answered().values_list("pk", flat=True)) == answered
    assert set(Answer.objects.applicable().values_list("pk", flat=True)) == applicable
    assert set(Answer.objects.with_value().values_list("pk", flat=True)) == with_value
    for kind in TemplateItem.Kind.values:
        of_kind = {a.pk for a in stored if items_by_pk(items)[a.item_id].kind == kind}
        assert set(Answer.objects.with_value(kind).values_list("pk", flat=True)) == (
            with_value & of_kind
        )


def items_by_pk(items):
    return {item.pk: item for item in items.values()}


def test_the_form_shows_a_stored_answer_as_it_was_given(items):
    section = [items[c] for c in ("B1", "B2", "B3", "B4")]
    audit = AuditFactory(template=items["B1"].section.template)
    given = {"B1": "na", "B2": "yes", "B3": "Clear", "B4": "partial"}
    form = SectionAnswersForm(
        {**{f"item_{items[c].pk}": v for c, v in given.items()}},
        audit=audit,
        items=section,
        answers={},
    )
    assert form.is_valid(), form.errors
    audit.save_answers(values=form.answer_values(), version=audit.edit_version())
    again = SectionAnswersForm(None, audit=audit, items=section, answers=audit.answers_by_item())
    assert {c: again.initial[f"item_{items[c].pk}"] for c in given} == given


def test_the_database_refuses_na_as_a_yes_no_value(items):
    audit = AuditFactory(template=items["B2"].section.template)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(audit=audit, item=items["B2"], yes_no="na")


def test_the_export_writes_each_answer_as_the_form_gives_it(items):
    audit = AuditFactory(template=items["B1"].section.template)
    given = {"A1": "4", "A2": "no", "B1": "na", "B2": "na", "B3": "Clear", "B4": "partial"}
    audit.save_answers(
        values={items[c].pk: {"value": v} for c, v in given.items()}, version=audit.edit_version()
    )
    header, (row,) = export_table(Audit.objects.filter(pk=audit.pk))
    # Each question's column is headed by its code and its first words ("A1. Captures ...").
    by_code = {heading.split(". ")[0]: value for heading, value in zip(header, row, strict=True)}
    assert {code: by_code[code] for code in given} == given | {"A1": 4}  # a score is a number
