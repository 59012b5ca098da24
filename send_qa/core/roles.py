"""The portal's roles. Each is a Django group; a user may hold several.

The groups are created (and the admin group given its model permissions)
after every migrate, so a fresh database always has them.
"""

from django.contrib.auth.models import Group, Permission
from django.db import models
from django.db.models import Q

from send_qa.core.navigation import NavItem


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    SENDOPS = "sendops", "SENDOPS member"
    BOARD = "board", "Board member"
    AUDITOR = "auditor", "Auditor or moderator"
    CASEWORKER = "caseworker", "Caseworker"
    ACTION_OWNER = "action_owner", "Action owner"


ROLE_DESCRIPTIONS: dict[str, str] = {
    Role.ADMIN: "Manages users, organisations, roles and checklist templates.",
    Role.SENDOPS: (
        "Runs the framework: plans register, KPIs and imports, action plans, "
        "moderation and the termly report."
    ),
    Role.BOARD: "Reads scorecards, action plan summaries and reports released to the board.",
    Role.AUDITOR: "Scores the plans and advice assigned to them and takes part in moderation.",
    Role.CASEWORKER: "Peer-moderates plans of their own team.",
    Role.ACTION_OWNER: "Updates progress on the actions they lead.",
}

# Who may do what with core's own records. Each app declares its own sets the same way, once,
# in its roles.py; navigation, view decorators, access helpers, querysets and the dashboard's
# panels all read those names (docs/decisions/0005-object-access.md).
PEOPLE_MANAGERS = frozenset({Role.ADMIN})  # invite people, give roles, deactivate accounts
ACCESS_LOG_READERS = frozenset({Role.ADMIN})  # who opened or downloaded case-level records
ADMIN_SITE_USERS = frozenset({Role.ADMIN})  # Django's admin site
HISTORY_READERS = frozenset({Role.SENDOPS})  # the change history of any record
# Emails the mail service did not take (send_qa.core.emails): seen and sent again by those
# who run the service and those who invite people.
EMAIL_WATCHERS = frozenset({Role.SENDOPS, Role.ADMIN})
# Roles that open case-level records (plans, audits, advice, moderation). Nobody may give one
# to themself: another admin must, so no admin reaches case references on their own say-so.
CASE_LEVEL_ROLES = frozenset({Role.SENDOPS, Role.AUDITOR, Role.CASEWORKER})
# Roles that mean nothing without a team: a caseworker sees their own team's plans only, so a
# caseworker with no team would see none. Inviting or saving one without a team is refused.
TEAM_ROLES = frozenset({Role.CASEWORKER})

NAV_ITEMS = (
    NavItem(
        120,
        "Users",
        "core:user_list",
        PEOPLE_MANAGERS,
        "Administration",
        "Invite people, give them roles, deactivate accounts.",
    ),
    NavItem(
        130,
        "Access log",
        "core:access_log",
        ACCESS_LOG_READERS,
        "Administration",
        "Who opened or downloaded case-level records.",
    ),
    NavItem(
        135,
        "Emails",
        "core:emails_not_sent",
        frozenset({Role.ADMIN}),  # SENDOPS: from their home page, when there are some
        "Administration",
        "Emails the mail service did not take, to send again.",
    ),
    NavItem(
        140,
        "Admin site",
        "admin:index",
        ADMIN_SITE_USERS,
        "Administration",
        "Configuration: organisations, teams and terms.",
    ),
)

# Apps whose models admins manage through Django's admin site.
ADMIN_MANAGED_APPS = ("core", "auth")
# Sign-in records admins may see and delete, never add or edit: deleting an Axes attempt
# lifts a lockout, deleting a TOTP device lets someone set up a new authenticator app.
ADMIN_RESETTABLE_APPS = ("axes", "otp_totp")


def group_name(role: str) -> str:
    return Role(role).label


def role_for_group_name(name: str) -> str | None:
    for role in Role:
        if role.label == name:
            return role.value
    return None


def ensure_role_groups(**kwargs: object) -> None:
    """Create one group per role; give the admin group the admin site's model permissions."""
    for role in Role:
        Group.objects.get_or_create(name=role.label)
    admin_group = Group.objects.get(name=Role.ADMIN.label)
    admin_group.permissions.set(
        Permission.objects.filter(
            Q(content_type__app_label__in=ADMIN_MANAGED_APPS)
            | Q(
                content_type__app_label__in=ADMIN_RESETTABLE_APPS,
                codename__regex=r"^(view|delete)_",
            )
        )
    )
