"""Each section's "Save and continue" leads to the next, the last to the plan as a whole and
that to Check your answers; a submitted audit's sections open read-only."""

import pytest
from django.urls import reverse

from audits.models import Audit
from tests.audits.factories import AuditFactory, PlanFactory, seed_template, self_audit
from tests.conflicts import page_version

pytestmark = pytest.mark.django_db


def url(name, audit, **kwargs):
    return reverse(f"audits:{name}", kwargs={"audit_uuid": audit.uuid, **kwargs})


def test_every_ehcp_section_continues_to_the_next_and_k_to_the_plan_as_a_whole(people, client_for):
    audit = AuditFactory(
        auditor=people.auditor,
        plan=PlanFactory(team=people.caseworker.team),
        template=seed_template("ehcp_qa_checklist.json"),
    )
    codes = list(audit.template.sections.values_list("code", flat=True))
    assert codes[-1] == "K"
    client = client_for(people.auditor)
    for code, following in zip(codes, codes[1:], strict=False):
        page = client.get(url("audit_section", audit, code=code))
        response = client.post(
            url("audit_section", audit, code=code), {"version": page_version(page)}
        )
        assert response["Location"] == url("audit_section", audit, code=following), code
    page = client.get(url("audit_section", audit, code="K"))
    assert "Save and return to the sections" not in page.text and "Save and continue" in page.text
    response = client.post(url("audit_section", audit, code="K"), {"version": page_version(page)})
    assert response["Location"] == url("audit_overall", audit)
    overall = client.get(response["Location"])
    assert "The plan as a whole" in overall.text
    response = client.post(
        url("audit_overall", audit), {"version": page_version(overall), "overall_rating": "4"}
    )
    assert response["Location"] == url("audit_check", audit)


def test_save_and_come_back_later_still_returns_to_the_task_list(people, client_for):
    audit = AuditFactory(auditor=people.auditor)
    client = client_for(people.auditor)
    page = client.get(url("audit_section", audit, code="B"))
    response = client.post(
        url("audit_section", audit, code="B"), {"version": page_version(page), "later": "1"}
    )
    assert response["Location"] == url("audit_detail", audit)


def test_a_self_audits_last_section_continues_to_check_your_answers(people, client_for):
    mine = self_audit(people.caseworker)
    last = list(mine.template.sections.values_list("code", flat=True))[-1]
    client = client_for(people.caseworker)
    page = client.get(url("skills_section", mine, code=last))
    response = client.post(url("skills_section", mine, code=last), {"version": page_version(page)})
    assert response["Location"] == url("skills_check", mine)


@pytest.fixture
def submitted(people):
    audit = AuditFactory(auditor=people.auditor, plan=PlanFactory(team=people.caseworker.team))
    items = {i.code: i for i in audit.template.sections.get(code="A").items.all()}
    audit.save_answers(
        values={
            items["A1"].pk: {"value": "4", "comment": "Uses the child's words"},
            items["A2"].pk: {"value": "yes"},
        },
        version=audit.edit_version(),
    )
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.SUBMITTED)
    audit.refresh_from_db()
    return audit


@pytest.mark.parametrize("role", ["auditor", "sendops", "caseworker"])
def test_a_submitted_audits_sections_open_read_only_for_everyone_who_may_see_it(
    submitted, people, client_for, role
):
    client = client_for(people[role])
    task_list = client.get(url("audit_detail", submitted)).content.decode()
    section = url("audit_section", submitted, code="A")
    assert f'href="{section}"' in task_list
    response = client.get(section)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="govuk-summary-list"' in page
    assert "Captures aspirations" in page and "Uses the child&#x27;s words" in page
    assert "Score: 4 out of 5" in page
    assert 'name="version"' not in page and "Save and continue" not in page
    assert "Next section: Section B - Needs" in page


def test_a_post_to_a_submitted_section_changes_nothing_and_does_not_loop(
    submitted, people, client_for
):
    client = client_for(people.auditor)
    a1 = submitted.template.sections.get(code="A").items.get(code="A1")
    section = url("audit_section", submitted, code="A")
    response = client.post(section, {"version": submitted.edit_version(), f"item_{a1.pk}": "1"})
    assert response.status_code == 302 and response["Location"] == section
    assert client.get(section).status_code == 200
    assert submitted.answers.get(item=a1).value_for(a1) == 4


def test_an_unsubmitted_audits_section_is_still_only_its_auditors(people, client_for):
    audit = AuditFactory(auditor=people.auditor, plan=PlanFactory(team=people.caseworker.team))
    assert client_for(people.sendops).get(url("audit_section", audit, code="A")).status_code == 403


def test_a_submitted_self_audits_sections_open_read_only_for_its_respondent(people, client_for):
    mine = self_audit(people.caseworker)
    Audit.objects.filter(pk=mine.pk).update(status=Audit.Status.SUBMITTED)
    first = mine.template.sections.first()
    client = client_for(people.caseworker)
    task_list = client.get(url("skills_detail", mine)).content.decode()
    section = url("skills_section", mine, code=first.code)
    assert f'href="{section}"' in task_list
    page = client.get(section)
    assert page.status_code == 200 and "can be read but not changed" in page.text
    assert 'name="version"' not in page.text
