"""The service navigation: each role sees only the links it may use.

Core knows no app, so each app declares its own links (in its roles.py, beside the role sets
the links read) and registers them from its AppConfig.ready(). Each link has a position: the
menu lists them by position, whatever order the apps are loaded in.
"""

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.urls import get_script_prefix, reverse

if TYPE_CHECKING:
    from send_qa.core.models import User  # apps register their links before models load


@dataclass(frozen=True)
class NavItem:
    position: int  # the menu lists links by position (10, 20, ...), across apps
    label: str
    url_name: str
    roles: frozenset[str] | None  # None: everyone signed in


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


def items_for(user: "User", current_path: str) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    for item in nav_items():
        if item.roles is not None and not user.has_role(*item.roles):
            continue
        url = _address(item.url_name, get_script_prefix())
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active})
    return items
