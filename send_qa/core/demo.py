"""A believable demo local area: organisations, teams, terms and one person per role.

Every later feature adds its own demo data through a ``demo.seed(area)`` function
in its app, called by ``seed_demo`` in order (see DEMO_SEEDERS).
"""

from base64 import b32decode
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from send_qa.core.models import (
    Organisation,
    Team,
    User,
    academic_year_start,
    ensure_academic_year,
    ensure_financial_year,
)
from send_qa.core.roles import Role

LA = "Demoshire County Council SEND Service"

ORGANISATIONS: dict[str, tuple[str, list[str]]] = {
    LA: (
        Organisation.Kind.LA_SEND,
        ["EHC Team North", "EHC Team South", "SEND Quality Assurance"],
    ),
    "Demoshire Educational Psychology Service": (Organisation.Kind.EDUCATIONAL_PSYCHOLOGY, []),
    "Demoshire Integrated Care Board": (
        Organisation.Kind.HEALTH,
        ["Designated Clinical Officer", "Children's Therapies"],
    ),
    "Demoshire Children's Social Care": (Organisation.Kind.SOCIAL_CARE, ["Disabled Children"]),
    "Demoshire Parent Carer Forum": (Organisation.Kind.PARENT_CARER_FORUM, []),
    "Demoshire SENDIASS": (Organisation.Kind.SENDIASS, []),
    "Oakfield Primary School": (Organisation.Kind.EDUCATION_SETTING, []),
}

# email, full name, job title, organisation, team, roles
PEOPLE = [
    (
        "admin@demo.invalid",
        "Alex Admin",
        "Systems officer",
        LA,
        "SEND Quality Assurance",
        [Role.ADMIN],
    ),
    (
        "sendops@demo.invalid",
        "Sam Sendops",
        "Head of SEND quality",
        LA,
        "SEND Quality Assurance",
        [Role.SENDOPS],
    ),
    (
        "board@demo.invalid",
        "Bola Board",
        "Chair, SEND Strategic Partnership Board",
        "Demoshire Parent Carer Forum",
        None,
        [Role.BOARD],
    ),
    (
        "auditor@demo.invalid",
        "Aisha Auditor",
        "Senior educational psychologist",
        "Demoshire Educational Psychology Service",
        None,
        [Role.AUDITOR],
    ),
    (
        "caseworker@demo.invalid",
        "Chris Caseworker",
        "EHC coordinator",
        LA,
        "EHC Team North",
        [Role.CASEWORKER],
    ),
    (
        "action-owner@demo.invalid",
        "Olu Owner",
        "Designated Clinical Officer",
        "Demoshire Integrated Care Board",
        "Designated Clinical Officer",
        [Role.ACTION_OWNER],
    ),
]


# The demo's admin and SENDOPS sign in with two-factor codes too, from this published
# key (so it protects nothing): add it to an authenticator app, or run demo_code.
DEMO_TOTP_SECRET = "SENDQADEMOSECRETKEYFORDEMOONLY22"  # noqa: S105  published on purpose


def demo_authenticator(user: User) -> TOTPDevice:
    device, _ = TOTPDevice.objects.update_or_create(
        user=user,
        name="Demo authenticator app",
        defaults={"key": b32decode(DEMO_TOTP_SECRET).hex(), "confirmed": True},
    )
    return device


@dataclass
class DemoArea:
    organisations: dict[str, Organisation]
    teams: dict[str, Team]
    users: dict[str, User]


@transaction.atomic
def seed_core(*, password: str) -> DemoArea:
    organisations: dict[str, Organisation] = {}
    teams: dict[str, Team] = {}
    for name, (kind, team_names) in ORGANISATIONS.items():
        organisation, _ = Organisation.objects.get_or_create(name=name, defaults={"kind": kind})
        organisations[name] = organisation
        for organisation_team in team_names:
            teams[organisation_team], _ = Team.objects.get_or_create(
                organisation=organisation, name=organisation_team
            )
    this_year = academic_year_start(timezone.localdate())
    for start_year in range(this_year - 2, this_year + 1):
        ensure_academic_year(start_year)
        ensure_financial_year(start_year)
    ensure_financial_year(this_year + 1)
    users: dict[str, User] = {}
    for email, full_name, job_title, org_name, team_name, roles in PEOPLE:
        user = User.objects.filter(email=email).first() or User(email=email)
        user.full_name = full_name
        user.job_title = job_title
        user.organisation = organisations[org_name]
        user.team = teams.get(team_name) if team_name else None
        user.is_active = True
        user.set_password(password)
        user.save()
        user.set_roles(roles)
        if user.has_role(*settings.OTP_REQUIRED_ROLES):
            demo_authenticator(user)
        users[email] = user
    return DemoArea(organisations=organisations, teams=teams, users=users)
