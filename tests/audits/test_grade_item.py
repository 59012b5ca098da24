"""Item 11 of issue 18: the auditor's judgement of the whole plan as the audit's grade."""

import copy

import pytest
from django.urls import reverse

from audits.models import Audit, TemplateItem
from audits.queries import term_findings
from audits.template_io import TemplateFormatError, template_export, template_import
from tests.audits.factories import SMALL_TEMPLATE, AuditFactory, PlanFactory

pytestmark = pytest.mark.django_db

OFSTED_BANDS = [
    {"label": "Outstanding", "min_percent": 80, "good_or_better": True},
    {"label": "Good", "min_percent": 65, "good_or_better": True},
    {"label": "Requires improvement", "min_percent": 45, "good_or_better": False},
    {"label": "Inadequate", "min_percent": 0, "good_or_better": False},
]


def judged_template(**changes):
    """The small checklist with a judgement item J1 naming the grade."""
    data = copy.deepcopy(SMALL_TEMPLATE)
    data.update(name="Judged checklist", grade_bands=OFSTED_BANDS, grade_item="J1")
    data["sections"].append(
        {
            "code": "J",
            "title": "Judgement",
            "items": [
                {
                    "code": "J1",
                    "text": "Your judgement of the plan as a whole",
                    "kind": "choice",
                    "choices": ["Outstanding", "Good", "Requires improvement", "Inadequate"],
                }
            ],
        }
    )
    data.update(changes)
    return data


def scored(audit, *, a1, judgement=None):
    items = {i.code: i for i in TemplateItem.objects.filter(section__template=audit.template)}
    values = {items["A1"].pk: {"value": str(a1)}, items["B1"].pk: {"value": str(a1)}}
    if judgement is not None:
        values[items["J1"].pk] = {"value": judgement}
    audit.save_answers(values=values, version=audit.edit_version())
    return audit


def test_the_judgement_is_the_grade_whatever_the_percentage():
    template, _ = template_import(judged_template())
    assert template.grade_item == "J1"
    # 1 of 5 on both scored items: 20%, which the bands alone would call Inadequate.
    audit = scored(AuditFactory(template=template), a1=1, judgement="good")
    result = audit.result()
    assert result.total.percent == 20
    assert result.grade == OFSTED_BANDS[1]
    audit.refresh_from_db()
    assert (audit.grade, audit.good_or_better, audit.percent) == ("Good", True, 20)


def test_no_judgement_yet_is_no_grade():
    template, _ = template_import(judged_template())
    audit = scored(AuditFactory(template=template), a1=5)
    assert audit.result().grade is None
    audit.refresh_from_db()
    assert (audit.grade, audit.good_or_better) == ("", None)


def test_a_judged_audit_counts_once_in_good_or_better():
    template, _ = template_import(judged_template())
    for judgement in ("outstanding", "requires-improvement", "inadequate"):
        audit = scored(AuditFactory(template=template), a1=5, judgement=judgement)
        for item in TemplateItem.objects.filter(section__template=template, required=True):
            if item.kind == "yes_no":
                audit.save_answers(values={item.pk: {"value": "yes"}}, version=audit.edit_version())
        audit.save_overall(rating=3, comments="", version=audit.edit_version())
        audit.submit(version=audit.edit_version(), by=audit.auditor)
    findings = term_findings(Audit.objects.all())
    assert (findings.graded, findings.good_or_better) == (3, 1)
    assert findings.by_grade == {
        "Outstanding": 1,
        "Good": 0,
        "Requires improvement": 1,
        "Inadequate": 1,
    }


def test_the_grade_item_round_trips_through_the_export():
    template, _ = template_import(judged_template())
    exported = template_export(template)
    assert exported["grade_item"] == "J1"
    assert template_import(exported) == (template, False)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"grade_item": "Z9"}, "grade_item: 'Z9' is not the code of an item of this template"),
        (
            {"grade_item": "A1"},
            "grade_item: 'A1' (sections[0].items[0]) is a 'score' item; the grade must be a "
            "choice item, one choice per grade band",
        ),
        (
            {"grade_bands": OFSTED_BANDS[1:]},
            "sections[2].items[0].choices[0]: 'Outstanding' names no grade band; label it as "
            "one of the grade_bands, or add a band of that label",
        ),
        (
            {"grade_bands": []},
            "grade_bands: missing; a grade_item needs a band for each of its choices "
            '({"label": "Good", "min_percent": 65, "good_or_better": true})',
        ),
    ],
)
def test_a_grade_item_that_cannot_give_a_grade_is_refused(changes, message):
    with pytest.raises(TemplateFormatError) as error:
        template_import(judged_template(**changes))
    assert error.value.messages == [message]


def test_the_audit_page_and_print_show_the_judgement_and_the_percentage(people, client_for):
    template, _ = template_import(judged_template())
    audit = AuditFactory(template=template, auditor=people.auditor, plan=PlanFactory())
    scored(audit, a1=1, judgement="requires-improvement")
    client = client_for(people.auditor)
    for name in ("audits:audit_detail", "audits:audit_print"):
        html = client.get(reverse(name, kwargs={"audit_uuid": audit.uuid})).content.decode()
        assert "(20.0%)" in html, name
        assert "Requires improvement" in html.split("Grade</dt>")[1].split("</dd>")[0], name
        assert "(20.0%): Inadequate" not in html, name
