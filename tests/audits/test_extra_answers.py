"""Item 12 of issue 18: extra answers (evidence, points for action, a date) shown again."""

import copy
import io

import pandas as pd
import pytest
from django.urls import reverse

from audits.exports import export_table
from audits.models import Audit, TemplateItem
from audits.template_io import template_import
from send_qa.core.models import Period, ensure_academic_year
from tests.audits.factories import SMALL_TEMPLATE, AuditFactory, PlanFactory

pytestmark = pytest.mark.django_db

EXTRAS = [
    {"key": "evidence", "label": "Evidence", "kind": "text"},
    {"key": "action", "label": "Points for action", "kind": "text"},
    {"key": "by", "label": "Completion date", "kind": "date"},
    {
        "key": "who",
        "label": "Who",
        "kind": "multi_choice",
        "choices": ["Caseworker", {"value": "ep", "label": "Educational psychologist"}],
    },
]


@pytest.fixture
def audit(people):
    data = copy.deepcopy(SMALL_TEMPLATE)
    data["name"] = "Checklist with evidence"
    data["sections"][0]["items"][0]["extra_fields"] = EXTRAS
    template, _ = template_import(data)
    ensure_academic_year(2026)
    audit = AuditFactory(
        template=template,
        auditor=people.auditor,
        plan=PlanFactory(),
        term=Period.objects.terms().first(),
    )
    items = {i.code: i for i in TemplateItem.objects.filter(section__template=template)}
    audit.save_answers(
        values={
            items["A1"].pk: {
                "value": "4",
                "extras": {
                    "evidence": "Child's own words quoted",
                    "action": "Add the child's goals for next year",
                    "by": "2027-03-31",
                    "who": ["Caseworker", "ep"],
                },
            },
            items["A2"].pk: {"value": "yes"},
        },
        version=audit.edit_version(),
    )
    return audit


SHOWN = [
    "Evidence: Child&#x27;s own words quoted",
    "Points for action: Add the child&#x27;s goals for next year",
    "Completion date: 31 March 2027",
    "Who: Caseworker, Educational psychologist",
]


def test_the_audit_page_shows_the_extra_answers(audit, people, client_for):
    url = reverse("audits:audit_detail", kwargs={"audit_uuid": audit.uuid})
    html = client_for(people.auditor).get(url).content.decode()
    recorded = html.split("Also recorded")[1]
    assert "A1. Captures aspirations" in recorded
    for line in SHOWN:
        assert f"<li>{line}</li>" in recorded


def test_the_printed_audit_shows_the_extra_answers_beside_the_answer(audit, people, client_for):
    url = reverse("audits:audit_print", kwargs={"audit_uuid": audit.uuid})
    html = client_for(people.auditor).get(url).content.decode()
    section_a = html.split("Section A - Views")[1].split("</table>")[0]
    assert "Also recorded</th>" in section_a
    row = section_a.split("A1. Captures aspirations")[1].split("</tr>")[0]
    assert "<br>".join(SHOWN) in row
    # A section whose items record nothing more gets no empty column.
    assert "Also recorded" not in html.split("Section B - Needs")[1].split("</table>")[0]


def test_the_export_has_a_column_for_each_extra_answer(audit, people, client_for):
    header, (row,) = export_table(Audit.objects.filter(pk=audit.pk))
    exported = dict(zip(header, row, strict=True))
    question = next(name for name in header if name.startswith("A1. "))
    assert header.index("A1 Evidence") == header.index(question) + 1
    assert {name: exported[name] for name in header[header.index(question) :][:6]} == {
        question: 4,
        "A1 Evidence": "Child's own words quoted",
        "A1 Points for action": "Add the child's goals for next year",
        "A1 Completion date": "2027-03-31",
        "A1 Who": "Caseworker; ep",
        next(name for name in header if name.startswith("A2. ")): "yes",
    }
    client = client_for(people.sendops)
    response = client.get(reverse("audits:export_xlsx"), {"term": audit.term.uuid})
    sheet = pd.read_excel(io.BytesIO(response.content), skiprows=4)  # below what it holds
    assert sheet.loc[0, "A1 Completion date"] == "2027-03-31"
    assert sheet.loc[0, "A1 Who"] == "Caseworker; ep"
