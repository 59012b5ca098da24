"""The menu is collected from the links each app registers, in their declared positions."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from send_qa.core import navigation
from send_qa.core.navigation import NavItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_menu(monkeypatch):
    monkeypatch.setattr(navigation, "_registered", {})


def test_links_are_listed_by_position_whatever_order_they_come_in(empty_menu):
    navigation.register(NavItem(30, "Third", "c", None), NavItem(10, "First", "a", None))
    navigation.register(NavItem(20, "Second", "b", None))
    assert [item.label for item in navigation.nav_items()] == ["First", "Second", "Third"]


def test_registering_the_same_link_again_changes_nothing(empty_menu):
    link = NavItem(10, "First", "a", frozenset({"admin"}))
    navigation.register(link)
    navigation.register(link)
    assert navigation.nav_items() == (link,)


@pytest.mark.parametrize(
    "clash", [NavItem(10, "Other", "b", None), NavItem(20, "First again", "a", None)]
)
def test_two_links_in_one_place_or_to_one_page_are_refused(empty_menu, clash):
    navigation.register(NavItem(10, "First", "a", None))
    with pytest.raises(ImproperlyConfigured):
        navigation.register(clash)


def labels(entries):
    return [entry["label"] for entry in entries]


def test_a_menu_that_fits_one_line_lists_every_link(people):
    for person in (people.admin, people.board, people.auditor, people.caseworker):
        entries = navigation.items_for(person, "/")
        assert labels(entries) == [item.label for item in navigation.links_for(person)]
        assert not any("links" in entry for entry in entries)


def test_sendops_menu_is_grouped_to_fit_one_line(people):
    entries = navigation.items_for(people.sendops, "/")
    assert len(navigation.links_for(people.sendops)) > navigation.MENU_FITS
    assert len(entries) <= navigation.MENU_FITS
    assert labels(entries) == [
        "Home",
        "Audits and moderation",
        "Scorecard and data",
        "Actions and risks",
        "Meetings",
        "Reports",
    ]
    # Every link SENDOPS may use is on the menu or on one of its groups' pages, once.
    reachable = [link["label"] for entry in entries for link in entry.get("links", [entry])]
    assert sorted(reachable) == sorted(item.label for item in navigation.links_for(people.sendops))


def test_a_group_is_current_on_its_page_and_on_each_of_its_links(people):
    scorecard = reverse("kpis:scorecard")
    entries = {e["label"]: e for e in navigation.items_for(people.sendops, scorecard)}
    assert entries["Scorecard and data"]["active"]
    assert not entries["Audits and moderation"]["active"]
    group_page = reverse("core:menu_group", kwargs={"slug": "audits-and-moderation"})
    entries = {e["label"]: e for e in navigation.items_for(people.sendops, group_page)}
    assert entries["Audits and moderation"]["active"]


def test_the_group_page_lists_its_links_with_what_each_is_for(people, client_for):
    url = reverse("core:menu_group", kwargs={"slug": "audits-and-moderation"})
    response = client_for(people.sendops).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Audits and moderation</h1>' in html
    for label, name in (("Plans", "audits:plan_list"), ("Checklists", "audits:template_list")):
        assert f'href="{reverse(name)}">{label}</a>' in html
    assert "The plans register: choose plans and assign audits for a term." in html


def test_a_page_of_a_group_lists_the_group_s_links_under_the_menu(people, client_for):
    html = client_for(people.sendops).get(reverse("risks:risk_list")).content.decode()
    assert '<nav aria-label="Actions and risks" class="app-sub-navigation">' in html
    assert f'href="{reverse("risks:risk_list")}" aria-current="page">Risk register' in html
    assert f'href="{reverse("wsoa:plan_list")}">Action plans' in html
    board_html = client_for(people.board).get(reverse("risks:risk_list")).content.decode()
    assert "app-sub-navigation" not in board_html


@pytest.mark.parametrize("slug", ["audits-and-moderation", "no-such-group"])
def test_a_group_the_person_s_menu_does_not_have_is_not_found(people, client_for, slug):
    url = reverse("core:menu_group", kwargs={"slug": slug})
    assert client_for(people.board).get(url).status_code == 404
