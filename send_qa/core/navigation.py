"""The service navigation: each role sees only the links it may use.

Core knows no app, so each app declares its own links (in its roles.py, beside the role sets
the links read) and registers them from its AppConfig.ready(). Each link has a position: the
menu lists them by position, whatever order the apps are loaded in.

A role whose links would not fit one line at 1280 px (SENDOPS has fifteen) sees them grouped:
each group of two or more of its links becomes one menu entry leading to the group's page,
and on the group's pages the group's links are listed under the menu.
"""

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.urls import get_script_prefix, reverse
from django.utils.text import slugify

if TYPE_CHECKING:
    from send_qa.core.models import User  # apps register their links before models load


@dataclass(frozen=True)
class NavItem:
    position: int  # the menu lists links by position (10, 20, ...), across apps
    label: str
    url_name: str
    roles: frozenset[str] | None  # None: everyone signed in
    group: str = ""  # the menu entry it is listed under when a role's menu is grouped
    hint: str = ""  # what the page is for, said on the group's page


# Links that fit one line beside the service name in the 960 px of the page at 1280 px.
MENU_FITS = 8


_registered: dict[str, NavItem] = {}


def register(*items: NavItem) -> None:
    """Add an app's links to the menu. Registering the same link again changes nothing; two
    links in one position, or two links to one page, are a mistake caught at start-up."""
    for item in items:
        known = _registered.get(item.url_name)
        if known == item:
            continue
        if known is not None:
            raise ImproperlyConfigured(f"Two menu links to {item.url_name}: {known}, {item}")
        taken = next((i for i in _registered.values() if i.position == item.position), None)
        if taken is not None:
            raise ImproperlyConfigured(f"Menu position {item.position}: {taken}, {item}")
        _registered[item.url_name] = item


def nav_items() -> tuple[NavItem, ...]:
    """Every registered link, in menu order."""
    return tuple(sorted(_registered.values(), key=lambda item: item.position))


@cache
def _address(url_name: str, script_prefix: str) -> str:
    """The links' addresses are worked out once per process, not on every page."""
    return reverse(url_name)


@cache
def _group_address(group: str, script_prefix: str) -> str:
    return reverse("core:menu_group", kwargs={"slug": slugify(group)})


def links_for(user: "User") -> list[NavItem]:
    """Every link the person may use, in menu order, whether or not the menu groups them."""
    return [item for item in nav_items() if item.roles is None or user.has_role(*item.roles)]


def _link(item: NavItem, current_path: str) -> dict[str, object]:
    url = _address(item.url_name, get_script_prefix())
    active = current_path == url if url == "/" else current_path.startswith(url)
    return {"label": item.label, "url": url, "active": active, "hint": item.hint}


def items_for(user: "User", current_path: str) -> list[dict[str, object]]:
    """The menu's entries: the person's links, or, when they would not fit one line, a link
    per group of two or more of them (with the group's own links under "links")."""
    links = links_for(user)
    if len(links) <= MENU_FITS:
        return [_link(item, current_path) for item in links]
    sizes: dict[str, int] = {}
    for item in links:
        sizes[item.group] = sizes.get(item.group, 0) + 1
    entries: list[dict[str, object]] = []
    groups: dict[str, dict[str, object]] = {}
    for item in links:
        link = _link(item, current_path)
        if not item.group or sizes[item.group] == 1:
            entries.append(link)
            continue
        if item.group not in groups:
            url = _group_address(item.group, get_script_prefix())
            groups[item.group] = {
                "label": item.group,
                "url": url,
                "active": current_path == url,
                "links": [],
            }
            entries.append(groups[item.group])
        entry = groups[item.group]
        entry["links"].append(link)  # type: ignore[attr-defined]
        entry["active"] = entry["active"] or link["active"]
    return entries


def group_for(user: "User", slug: str, current_path: str) -> dict[str, object] | None:
    """The menu group of this slug as the person sees it, or None when it holds none of their
    links (their menu is not grouped, or it has just one of them)."""
    for entry in items_for(user, current_path):
        if "links" in entry and slugify(str(entry["label"])) == slug:
            return entry
    return None
