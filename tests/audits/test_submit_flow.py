"""A failed submit lists what is missing by section, each linked to the question; a section
saved with a blank question says so; "Check your answers" comes before the final submit."""

import html
import re

import pytest
from django.urls import reverse

from audits.models import Audit, TemplateItem
from tests.audits.factories import AuditFactory, PlanFactory, local_offer_check, self_audit
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(people):
    return AuditFactory(auditor=people.auditor, plan=PlanFactory(team=people.caseworker.team))


def items(audit):
    return {i.code: i for i in TemplateItem.objects.filter(section__template=audit.template)}


def url(name, audit, **kwargs):
    return reverse(f"audits:{name}", kwargs={"audit_uuid": audit.uuid, **kwargs})


def answer(audit, **by_code):
    found = items(audit)
    audit.save_answers(
        values={found[c].pk: v for c, v in by_code.items()}, version=audit.edit_version()
    )


def error_summary(page: str) -> str:
    found = re.search(r'<div class="govuk-error-summary".*?</ul>\s*</div>\s*</div>', page, re.S)
    assert found, "no error summary"
    return html.unescape(found.group(0))


def test_a_failed_submit_links_each_missing_question_grouped_by_section(audit, people, client_for):
    client = client_for(people.auditor)
    answer(audit, A1={"score": 4})
    response = client.post(url("audit_submit", audit), {"version": audit.edit_version()})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    summary = error_summary(page)
    assert "Answer 4 more questions before you submit" in summary
    assert "Section A - Views: 1 question not answered" in summary
    assert "Section B - Needs: 2 questions not answered" in summary
    assert "The plan as a whole: 1 question not answered" in summary
    a_section, b_section = (
        url("audit_section", audit, code="A"),
        url("audit_section", audit, code="B"),
    )
    assert f'href="{a_section}#item-A2">A2. Is there a one page profile?</a>' in summary
    assert f'href="{b_section}#item-B1">B1. Sets out needs clearly</a>' in summary
    assert f'href="{b_section}#item-B2">' in summary
    assert "#task-list" not in summary
    # Each link's anchor is the question's own id on its section page.
    section_page = client.get(b_section).content.decode()
    assert 'id="item-B1"' in section_page and 'id="item-B2"' in section_page
    assert Audit.objects.get(pk=audit.pk).status == Audit.Status.IN_PROGRESS


def test_the_task_list_lists_nothing_missing_until_a_submit_fails(audit, people, client_for):
    client = client_for(people.auditor)
    assert "govuk-error-summary" not in client.get(url("audit_detail", audit)).content.decode()
    # SENDOPS reading someone's audit never see a list meant for its auditor.
    sendops = client_for(people.sendops).get(url("audit_detail", audit) + "?missing=1")
    assert "govuk-error-summary" not in sendops.content.decode()


def test_a_section_saved_with_a_blank_question_says_so(audit, people, client_for):
    client = client_for(people.auditor)
    found = items(audit)
    response = client.post(
        url("audit_section", audit, code="A"),
        {"version": audit.edit_version(), f"item_{found['A1'].pk}": "4", "later": "1"},
        follow=True,
    )
    page = html.unescape(response.content.decode())
    assert "1 question in this section is not answered yet." in page  # the message
    task_list = page.split('id="task-list"')[1]
    section_a, section_b = task_list.split("Section B - Needs")
    assert "1 question in this section is not answered yet" in section_a
    assert "In progress" in section_a
    assert "not answered yet" not in section_b and "Not yet started" in section_b
    section = client.get(url("audit_section", audit, code="A")).content.decode()
    assert "1 question in this section is not answered yet:" in section
    assert '<a class="govuk-link" href="#item-A2">A2. Is there a one page profile?</a>' in section
    assert 'aria-describedby="item-A2-not-answered"' in section
    # A section never saved is simply not started: nothing is said of its questions.
    assert (
        "not answered yet" not in client.get(url("audit_section", audit, code="B")).content.decode()
    )


def test_a_section_saved_all_blank_is_in_progress_not_not_started(audit, people, client_for):
    client = client_for(people.auditor)
    client.post(url("audit_section", audit, code="A"), {"version": audit.edit_version()})
    task_list = client.get(url("audit_detail", audit)).content.decode().split('id="task-list"')[1]
    section_a = task_list.split("Section B - Needs")[0]
    assert "2 questions in this section are not answered yet" in section_a
    assert "In progress" in section_a


def complete(audit):
    answer(
        audit,
        A1={"score": 5},
        A2={"yes_no": "yes"},
        B1={"score": 4, "comment": "Clear and specific"},
        B2={"not_applicable": True},
        B3={"text": "Nothing more"},
    )
    audit.save_overall(rating=5, comments="A plan to learn from.", version=audit.edit_version())


def test_check_your_answers_shows_every_answer_with_a_change_link(audit, people, client_for):
    complete(audit)
    client = client_for(people.auditor)
    task_list = client.get(url("audit_detail", audit)).content.decode()
    assert f'href="{url("audit_check", audit)}"' in task_list
    after_list = task_list.split('id="task-list"')[1].split("</main>")[0]
    assert "<form" not in after_list  # no one-click submit
    page = html.unescape(client.get(url("audit_check", audit)).content.decode())
    for shown in ("5 (Excellent)", "Yes", "Not applicable", "Nothing more", "Clear and specific"):
        assert shown in page
    assert "5 – Excellent" in page and "A plan to learn from." in page
    b = url("audit_section", audit, code="B")
    assert (
        f'href="{b}?next=check#item-B3">Change<span class="govuk-visually-hidden"> your answer to B3'
        in page
    )
    assert f'href="{url("audit_overall", audit)}?next=check">Change' in page
    assert "you are confirming that" in page and "not answered yet" not in page
    response = client.post(url("audit_submit", audit), {"version": page_version_of(page)})
    assert response["Location"] == url("audit_detail", audit)
    assert Audit.objects.get(pk=audit.pk).is_submitted
    # A submitted audit has nothing left to check.
    assert client.get(url("audit_check", audit))["Location"] == url("audit_detail", audit)


def page_version_of(page: str) -> str:
    return re.search(r'name="version" value="([^"]*)"', page).group(1)


def test_check_your_answers_says_what_is_still_to_answer(audit, people, client_for):
    answer(audit, A1={"score": 2})
    page = html.unescape(client_for(people.auditor).get(url("audit_check", audit)).content.decode())
    assert "4 questions are not answered yet." in page
    assert f'href="{url("audit_detail", audit)}?missing=1">See what is still to answer' in page
    assert page.count("Not answered") == 4 and "Not rated" in page  # A2, B1, B2, B3


def test_only_the_auditor_checks_their_answers(audit, people, client_for):
    assert client_for(people.caseworker).get(url("audit_check", audit)).status_code == 403


def test_check_your_answers_runs_a_fixed_number_of_queries(audit, people, client_for):
    client = client_for(people.auditor)
    few = page_queries(client, url("audit_check", audit))
    complete(audit)
    assert page_queries(client, url("audit_check", audit)) == few
    check = local_offer_check(by=people.auditor)  # a longer checklist, with extra answers
    lo_items = TemplateItem.objects.filter(section__template=check.template)
    check.save_answers(
        values={i.pk: {"value": "partial", "extras": {"action": "Review"}} for i in lo_items},
        version=check.edit_version(),
    )
    assert lo_items.count() > len(items(audit))
    assert page_queries(client, url("audit_check", check)) == few


def test_the_local_offer_check_and_the_self_audit_check_their_answers_too(people, client_for):
    check = local_offer_check(by=people.sendops)
    page = client_for(people.sendops).get(url("audit_check", check)).content.decode()
    assert "Check your answers before you submit your check" in page
    assert f'action="{url("audit_submit", check)}"' in page
    mine = self_audit(people.caseworker, by=people.sendops)
    client = client_for(people.caseworker)
    detail = client.get(url("skills_detail", mine)).content.decode()
    assert f'href="{url("skills_check", mine)}"' in detail
    page = client.get(url("skills_check", mine)).content.decode()
    assert "Check your answers before you submit your self-audit" in page
    assert f'action="{url("skills_submit", mine)}"' in page
    assert f'href="{url("skills_section", mine, code="REFORMS")}?next=check#item-' in page
    response = client.post(url("skills_submit", mine), {"version": page_version_of(page)})
    assert response["Location"] == f"{url('skills_detail', mine)}?missing=1"


def test_a_change_from_check_your_answers_comes_back_to_it(audit, people, client_for):
    client = client_for(people.auditor)
    found = items(audit)
    check = client.get(url("audit_check", audit)).content.decode()
    change = url("audit_section", audit, code="A") + "?next=check"
    assert f'href="{change}#item-A1"' in check
    response = client.post(
        change, {"version": audit.edit_version(), f"item_{found['A1'].pk}": "3", "later": "1"}
    )
    assert response.status_code == 302 and response["Location"] == url("audit_check", audit)
    # Without it, saving goes on to the next section as before.
    response = client.post(
        url("audit_section", audit, code="A"),
        {"version": audit.edit_version(), f"item_{found['A1'].pk}": "4"},
    )
    assert response["Location"] == url("audit_section", audit, code="B")


def test_a_sections_error_summary_links_to_the_questions_first_radio(audit, people, client_for):
    client = client_for(people.auditor)
    a1 = items(audit)["A1"]
    response = client.post(
        url("audit_section", audit, code="A"),
        {"version": audit.edit_version(), f"item_{a1.pk}": "9"},
    )
    page = response.content.decode()
    target = re.search(r'govuk-error-summary__list">\s*<li><a href="#([^"]+)"', page)
    assert target, "no link in the error summary"
    assert f'id="{target.group(1)}"' in page  # the link leads to a box on the page
    assert target.group(1) == f"id_item_{a1.pk}_0"
