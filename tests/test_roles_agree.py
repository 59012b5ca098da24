"""The menu, the pages and the dashboard's panels read one declaration of who may see each kind
of record (each app's roles.py), so they cannot disagree: every link a role is shown opens for
it, and nobody gets into a page that its view's declared roles leave out.

Everything here is read from the declarations (the registered menu, the roles each view's
`role_required` was given, the panels' roles); only the answers come from the pages."""

import datetime

import pytest
from django.urls import resolve, reverse

from send_qa.core.models import Period, academic_year_start, ensure_academic_year
from send_qa.core.navigation import NavItem, links_for, nav_items
from send_qa.dashboard.panels import PANELS, LinkedLine, panels_for
from tests.conftest import ROLE_PEOPLE

pytestmark = pytest.mark.django_db

MENU = nav_items()
MENU_BY_URL = {item.url_name: item for item in MENU}


def page_roles(url_name: str) -> frozenset[str] | None:
    """The roles a page's view was declared for (`role_required`), or None if it names none."""
    return getattr(resolve(reverse(url_name)).func, "allowed_roles", None)


def lets_in(roles: frozenset[str] | None, person) -> bool:
    return roles is None or person.has_role(*roles)


def test_the_apps_register_a_menu():
    assert len(MENU) > 10
    assert len({item.position for item in MENU}) == len(MENU)


@pytest.mark.parametrize("item", MENU, ids=[item.url_name for item in MENU])
def test_each_menu_link_opens_for_the_roles_that_see_it(item: NavItem, people, client_for):
    declared = page_roles(item.url_name)
    if declared is not None:
        assert item.roles is not None, f"{item.label}: shown to everyone, open to {declared}"
        assert item.roles <= declared, f"{item.label}: shown to roles its page refuses"
    page_open_to = declared if declared is not None else item.roles
    for key in ROLE_PEOPLE:
        person = people[key]
        shown = item in links_for(person)
        assert shown == lets_in(item.roles, person), f"{item.label} for {key}"
        status = client_for(person).get(reverse(item.url_name)).status_code
        if lets_in(page_open_to, person):
            assert status == 200, f"{item.label} for {key}: {status}"
        else:
            assert status in (403, 404), f"{item.label} for {key}: {status}"


def some_of_everything(people) -> None:
    """Records for every panel to count, so that panels show their links for records too."""
    from tests.audits.factories import (
        AdviceFactory,
        AuditFactory,
        ModerationSessionFactory,
        PlanFactory,
    )
    from tests.kpis.factories import MeasurementFactory
    from tests.reports.factories import a_compiled_version, a_report
    from tests.wsoa.factories import ActionFactory

    ensure_academic_year(academic_year_start(datetime.date.today()))
    AuditFactory(auditor=people.auditor, plan=PlanFactory(team=people.caseworker.team))
    AdviceFactory()
    ModerationSessionFactory(members=[people.auditor])
    MeasurementFactory()
    ActionFactory(led_by=people.action_owner)
    report = a_report()
    a_compiled_version(report, number=2, released=True)
    version = a_compiled_version(report, number=3, released=True)
    from governance.models import MeetingPaper
    from send_qa.core.papers import paper_of
    from tests.governance.factories import MeetingFactory

    paper = paper_of("report_version", str(version.uuid), people.sendops)
    MeetingPaper.objects.create(
        meeting=MeetingFactory(), kind=paper.kind, ref=paper.ref, title=paper.title, url=paper.url
    )


@pytest.mark.parametrize("with_records", [False, True], ids=["empty", "with-records"])
@pytest.mark.parametrize("key", ROLE_PEOPLE)
def test_each_panel_shows_only_links_its_readers_may_open(key, with_records, people, client_for):
    if with_records:
        some_of_everything(people)
    person = people[key]
    shown = panels_for(person, term=Period.objects.current_term())
    assert [p["title"] for p in shown] == [p.title for p in PANELS if person.has_role(*p.roles)]
    menu_seen = {reverse(item.url_name) for item in links_for(person)}
    client = client_for(person)
    for panel in shown:
        for _, url_name in panel["links"]:
            assert lets_in(page_roles(url_name), person), f"{panel['title']}: {url_name}"
            if url_name in MENU_BY_URL:
                assert reverse(url_name) in menu_seen, f"{panel['title']}: {url_name} hidden"
            status = client.get(reverse(url_name)).status_code
            assert status == 200, f"{panel['title']} for {key}: {url_name} {status}"
        for line in panel["lines"]:
            if isinstance(line, LinkedLine):  # a link to one record's page
                status = client.get(line.href).status_code
                assert status == 200, f"{panel['title']} for {key}: {line.href} {status}"
