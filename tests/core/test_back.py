"""A back link leads to the page the person came from (a same-site path in ``?back=``),
else to its page's fixed place; never to another site."""

import html
import re
from urllib.parse import urlencode

import pytest
from django.test import RequestFactory
from django.urls import reverse

from send_qa.core.back import back_query, safe_path, way_back
from tests.audits.factories import AuditFactory, PlanFactory


def request(path="/here/", **query):
    return RequestFactory().get(path, query)


@pytest.mark.parametrize(
    "wanted",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "http://testserver/audits/",  # even this site, spelt in full: only relative paths
        "audits/",
        "",
    ],
)
def test_only_a_relative_path_on_this_site_is_followed(wanted):
    assert safe_path(request(), wanted) is None
    assert way_back(request(back=wanted), "/fixed/") is None


def test_a_path_on_this_site_is_the_way_back():
    assert way_back(request(back="/plans/?need=ASD&page=2"), "/fixed/") == "/plans/?need=ASD&page=2"
    assert way_back(request(back="/here/?x=1"), "/fixed/") is None, "never back to itself"


def test_a_link_carries_this_page_without_its_own_way_back():
    query = back_query(request("/plans/", need="ASD", back="/elsewhere/"))
    assert query == urlencode({"back": "/plans/?need=ASD"})
    assert back_query(request("/plans/")) == "back=%2Fplans%2F"


def back_link(page: str) -> tuple[str, str]:
    found = re.search(r'<a href="([^"]*)" class="govuk-back-link[^"]*">([^<]*)</a>', page)
    assert found, "no back link"
    return html.unescape(found.group(1)), found.group(2)


def link_to(page: str, path: str) -> str:
    found = re.search(rf'href="({re.escape(path)}\?[^"#]*)"', page)
    assert found, f"no link to {path}"
    return html.unescape(found.group(1))


@pytest.mark.django_db
def test_a_plan_opened_from_the_filtered_register_leads_back_to_it(people, client_for):
    plan = PlanFactory(team=people.caseworker.team, case_reference="EHC-BACK-1")
    client = client_for(people.sendops)
    register = reverse("audits:plan_list") + "?q=EHC-BACK&sort=reference"
    page = client.get(register).content.decode()
    plan_url = link_to(page, reverse("audits:plan_detail", args=[plan.uuid]))
    assert back_link(client.get(plan_url).content.decode()) == (register, "Back")
    # Typed in, the plan page leads to its fixed place.
    fixed = client.get(reverse("audits:plan_detail", args=[plan.uuid])).content.decode()
    assert back_link(fixed) == (reverse("audits:plan_list"), "Back to the plans register")


@pytest.mark.django_db
def test_an_audit_leads_back_to_the_plan_or_the_worklist_it_was_opened_from(people, client_for):
    plan = PlanFactory(team=people.caseworker.team)
    audit = AuditFactory(auditor=people.auditor, plan=plan)
    detail = reverse("audits:audit_detail", args=[audit.uuid])
    client = client_for(people.auditor)
    plan_page = reverse("audits:plan_detail", args=[plan.uuid])
    from_plan = link_to(client.get(plan_page).content.decode(), detail)
    assert back_link(client.get(from_plan).content.decode()) == (plan_page, "Back")
    worklist = reverse("audits:audit_list") + "?status=not_started"
    from_list = link_to(client.get(worklist).content.decode(), detail)
    assert back_link(client.get(from_list).content.decode()) == (worklist, "Back")
    evil = client.get(detail, {"back": "https://evil.example/"}).content.decode()
    assert back_link(evil) == (reverse("audits:audit_list"), "Back to audits")
