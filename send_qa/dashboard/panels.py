"""What each role's home page shows. Panels read the apps through their query functions.

Until a feature is built its panel shows an empty state that says so plainly.
"""

from dataclasses import dataclass, field

from send_qa.core.roles import Role


@dataclass(frozen=True)
class Panel:
    title: str
    empty_message: str
    roles: frozenset[str]
    links: tuple[tuple[str, str], ...] = field(default_factory=tuple)


PANELS = (
    Panel(
        "Audits assigned to you",
        "No audits have been assigned to you yet.",
        frozenset({Role.AUDITOR}),
    ),
    Panel(
        "Peer moderation for your team",
        "No peer moderation is due for your team.",
        frozenset({Role.CASEWORKER}),
    ),
    Panel(
        "EHC plan audits this term",
        "No audits have been recorded this term.",
        frozenset({Role.SENDOPS}),
    ),
    Panel(
        "Moderation",
        "No moderation sessions have been planned.",
        frozenset({Role.SENDOPS, Role.AUDITOR}),
    ),
    Panel(
        "KPI scorecard",
        "No indicators have been measured yet.",
        frozenset({Role.SENDOPS, Role.BOARD}),
    ),
    Panel(
        "Action plans",
        "No action plans have been set up yet.",
        frozenset({Role.SENDOPS, Role.BOARD}),
    ),
    Panel(
        "Actions you lead",
        "You do not lead any actions yet.",
        frozenset({Role.ACTION_OWNER}),
    ),
    Panel(
        "Termly report",
        "No report has been released to you yet.",
        frozenset({Role.SENDOPS, Role.BOARD}),
    ),
    Panel(
        "People and access",
        "Invite people, give them roles and deactivate accounts that are no longer needed.",
        frozenset({Role.ADMIN}),
        (("Manage users", "core:user_list"), ("Invite a user", "core:user_invite")),
    ),
)


def panels_for(user) -> list[Panel]:
    return [panel for panel in PANELS if user.has_role(*panel.roles)]
