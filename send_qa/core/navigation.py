"""The service navigation: each role sees only the links it may use."""

from dataclasses import dataclass
from functools import cache

from django.urls import get_script_prefix, reverse

from send_qa.core.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None  # None: everyone signed in


NAV_ITEMS = (
    NavItem("Home", "dashboard:home", None),
    NavItem("Plans", "audits:plan_list", frozenset({Role.SENDOPS, Role.CASEWORKER})),
    NavItem(
        "Audits", "audits:audit_list", frozenset({Role.SENDOPS, Role.AUDITOR, Role.CASEWORKER})
    ),
    NavItem(
        "Peer moderation", "audits:peer_moderation", frozenset({Role.SENDOPS, Role.CASEWORKER})
    ),
    NavItem("Advice", "audits:advice_list", frozenset({Role.SENDOPS})),
    NavItem("Moderation", "audits:moderation_list", frozenset({Role.SENDOPS, Role.AUDITOR})),
    NavItem("Scorecard", "kpis:scorecard", frozenset({Role.SENDOPS, Role.BOARD})),
    NavItem("Action plans", "wsoa:plan_list", frozenset({Role.SENDOPS, Role.BOARD})),
    NavItem("My actions", "wsoa:my_actions", frozenset({Role.ACTION_OWNER})),
    NavItem("Reports", "reports:report_list", None),
    NavItem("Checklists", "audits:template_list", frozenset({Role.ADMIN, Role.SENDOPS})),
    NavItem("Users", "core:user_list", frozenset({Role.ADMIN})),
    NavItem("Access log", "core:access_log", frozenset({Role.ADMIN})),
    NavItem("Admin site", "admin:index", frozenset({Role.ADMIN})),
)


@cache
def _address(url_name: str, script_prefix: str) -> str:
    """The links' addresses are worked out once per process, not on every page."""
    return reverse(url_name)


def items_for(user, current_path: str) -> list[dict]:
    items = []
    for item in NAV_ITEMS:
        if item.roles is not None and not user.has_role(*item.roles):
            continue
        url = _address(item.url_name, get_script_prefix())
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active})
    return items
