"""Shared fixtures: named people, one per role, from the agencies of a local area."""

from dataclasses import dataclass

import pytest
from django.test import Client

from send_qa.core.models import Organisation, User
from send_qa.core.roles import Role
from tests.factories import OrganisationFactory, TeamFactory, UserFactory

ROLE_PEOPLE = {
    "admin": [Role.ADMIN],
    "sendops": [Role.SENDOPS],
    "board": [Role.BOARD],
    "auditor": [Role.AUDITOR],
    "caseworker": [Role.CASEWORKER],
    "action_owner": [Role.ACTION_OWNER],
    "no_role": [],
}


@dataclass
class People:
    admin: User
    sendops: User
    board: User
    auditor: User
    caseworker: User
    action_owner: User
    no_role: User

    def __getitem__(self, key: str) -> User:
        return getattr(self, key)


def make_people() -> People:
    council = OrganisationFactory(name="Testshire SEND Service", kind=Organisation.Kind.LA_SEND)
    health = OrganisationFactory(name="Testshire ICB", kind=Organisation.Kind.HEALTH)
    north = TeamFactory(organisation=council, name="EHC Team North")
    people = {}
    for key, roles in ROLE_PEOPLE.items():
        organisation = health if key == "action_owner" else council
        people[key] = UserFactory(
            email=f"{key}@example.org",
            full_name=f"{key.replace('_', ' ').title()} Person",
            organisation=organisation,
            team=north if key == "caseworker" else None,
            roles=roles,
        )
    return People(**people)


@pytest.fixture(autouse=True)
def empty_cache():
    """The database starts each test afresh; so does the cache built from it."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Strong hashing makes every factory user cost 0.2 s; tests do not need it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(db) -> People:
    return make_people()


@pytest.fixture
def client_for():
    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def eager_celery():
    """Run tasks in-process for unit tests (integration tests use the real worker)."""
    from send_qa.celery import app

    before = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = before
