"""The menu is collected from the links each app registers, in their declared positions."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from send_qa.core import navigation
from send_qa.core.navigation import NavItem


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
