"""Shared fixtures: named people, one per role, from the agencies of a local area."""

import gc
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import import_module
from typing import TypeVar

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.test import Client, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import settings as hypothesis_settings

from send_qa.core.models import Organisation, User
from send_qa.core.roles import Role
from tests.factories import OrganisationFactory, TeamFactory, UserFactory
from tests.migrated_once import django_db_setup  # noqa: F401 - migrated once a run, a fixture
from tests.notify_stand_in import notify  # noqa: F401 - GOV.UK Notify on loopback, a fixture

# On a developer's machine hypothesis explores new examples each run (and replays failures it
# found before); CI runs a fixed set, so that a red CI always points at a change.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

T = TypeVar("T")


def own_redis_database_per_worker() -> None:
    """Under pytest-xdist (scripts/test.sh) each worker has its own test database; this gives
    it its own Redis database too (2 for gw0, 3 for gw1, ...), so that one worker's purge,
    ping or Celery worker process never meets another's jobs. The settings are already loaded
    when this file is imported, so they are changed here, and in the environment for the
    worker processes the integration tests start."""
    from urllib.parse import urlsplit, urlunsplit

    from send_qa.celery import app

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ... under xdist
    broker, results = settings.CELERY_BROKER_URL, settings.CELERY_RESULT_BACKEND
    if not worker or not broker.startswith("redis://"):
        return
    database = 2 + int(worker.removeprefix("gw"))  # 0 and 1 are the broker's and cache's
    if database > 15:
        raise RuntimeError("Redis has databases 0-15: run at most 14 test workers")
    url = urlunsplit(urlsplit(broker)._replace(path=f"/{database}"))
    os.environ["CELERY_BROKER_URL"] = url
    settings.CELERY_BROKER_URL = app.conf.broker_url = url
    if results == broker:  # results beside the jobs, as in settings.py
        settings.CELERY_RESULT_BACKEND = app.conf.result_backend = url


own_redis_database_per_worker()


def static_files_listed_once() -> None:
    """WhiteNoise (WHITENOISE_USE_FINDERS, as in the tests) lists and stats every static file
    when a handler loads its middleware, and every test client loads its own: 28 ms a client,
    a third of a permission-matrix cell. The files are listed once per process and handed to
    each new handler; listed again after any setting changes (override_settings)."""
    from django.test.signals import setting_changed
    from whitenoise.middleware import WhiteNoiseMiddleware

    listed: dict[str, object] = {}
    list_them = WhiteNoiseMiddleware.add_files_from_finders

    def add_files_from_finders(self: WhiteNoiseMiddleware) -> None:
        if not listed:
            files, self.files = self.files, {}
            list_them(self)
            listed.update(self.files)
            self.files = files
        self.files.update(listed)

    def forget(**kwargs: object) -> None:
        listed.clear()

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders  # type: ignore[method-assign]
    setting_changed.connect(forget, weak=False)


static_files_listed_once()

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
    """One person per role, their history rows and roles written in bulk: made for most tests,
    a person at a time it was 44 queries (now 16)."""
    from django.contrib.auth.models import Group
    from simple_history.utils import bulk_create_with_history

    from send_qa.core.roles import group_name

    council = OrganisationFactory(name="Testshire SEND Service", kind=Organisation.Kind.LA_SEND)
    health = OrganisationFactory(name="Testshire ICB", kind=Organisation.Kind.HEALTH)
    north = TeamFactory(organisation=council, name="EHC Team North")
    people = {
        key: UserFactory.build(
            email=f"{key}@example.org",
            full_name=f"{key.replace('_', ' ').title()} Person",
            organisation=health if key == "action_owner" else council,
            team=north if key == "caseworker" else None,
        )
        for key in ROLE_PEOPLE
    }
    bulk_create_with_history(list(people.values()), User)
    groups = Group.objects.in_bulk([group_name(r) for r in Role], field_name="name")
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=people[key].pk, group_id=groups[group_name(role)].pk)
        for key, roles in ROLE_PEOPLE.items()
        for role in roles
    )
    return People(**people)


# Python's cyclic garbage collector at its defaults (700, 10, 10) took 8.6 s of a 103 s run of
# the permission matrix, most of it in full collections walking every object Django, the
# factories and the collected tests keep for the whole run. With those frozen out of its walks
# and young collections a hundred and forty times rarer, it took 3.7 s (peak memory 232 MB to
# 397 MB).
GC_THRESHOLDS = (100_000, 50, 1_000)


def pytest_configure(config: pytest.Config) -> None:
    gc.set_threshold(*GC_THRESHOLDS)
    from tests import emptied

    emptied.install()


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.collect()
    gc.freeze()  # the modules, settings and collected tests: there for the whole run


@pytest.fixture(autouse=True)
def empty_cache():
    """The database starts each test afresh; so does the cache built from it."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Strong hashing makes every factory user cost 0.2 s; tests do not need it. For the whole
    session, so that data built once per module (built_once) is quick to build too."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


def _statistics_gathered() -> None:
    """The planner's statistics of the data just built. Autovacuum never sees rows a transaction
    has not committed, so without this PostgreSQL plans every later query for empty tables, and
    one nested loop over the seeded demo's answers ran for minutes.

    The project's tables only: a bare ANALYZE also takes the catalogs all databases share
    (pg_database, pg_authid, ...), and holds their lock until the built data is rolled back at the
    end of the module, so the other test worker's ANALYZE waited for this whole module to end
    (90 s of a 4-minute run)."""
    from bench.county import statistics_fresh

    statistics_fresh()  # in the fixture's transaction: ANALYZE of the project's tables


def _constraints_checked_now() -> None:
    """The built data's foreign keys checked once, in the fixture's own transaction.

    Django's foreign keys are deferred to the commit, which never comes here; each test's end
    checks what is pending (TestCase's `check_constraints`) inside the test's savepoint, and
    rolling that savepoint back marks every check it ran as pending again. So each test
    checked the whole module's rows afresh: 35,000 checks, 170-270 ms a test on the demo."""
    connection.check_constraints()


def built_once(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """For a module- or session-scoped fixture (`yield from built_once(...)`): `build()`'s data
    made once and rolled back at the end. Each test runs in a transaction of its own inside this
    one, rolled back after it, so every test starts from the same data and may change it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build()
            _constraints_checked_now()
            _statistics_gathered()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def people(db) -> People:
    return make_people()


@pytest.fixture(scope="module")
def people_of_module(django_db_setup, django_db_blocker) -> Iterator[People]:  # noqa: F811
    """The same people for every test of a module (built_once): a module of a thousand
    parametrised page checks spent a third of its time making them afresh for each test. A
    module opts in with `people = people_shared` (see below)."""
    yield from built_once(django_db_blocker, make_people)


@pytest.fixture
def people_shared(people_of_module: People, db) -> People:
    """`people`, made once for the module; each test's changes are rolled back after it, and
    each test reads the people afresh (one query), so that no test sees another's changes to
    them left on the objects (their roles, their fields)."""
    return people_read_afresh(people_of_module)


def people_read_afresh(people: People) -> People:
    """The same people, read again from the database in one query."""
    made = {key: people[key].pk for key in ROLE_PEOPLE}
    fresh = User.objects.select_related("organisation", "team").in_bulk(made.values())
    return People(**{key: fresh[pk] for key, pk in made.items()})


def authenticator_for(user: User) -> TOTPDevice:
    """The person's authenticator app, as if they had set it up."""
    existing = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return existing or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=True
    )


def current_code(device: TOTPDevice) -> str:
    """The 6-digit code the person's app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _session_backend() -> str:
    """The backend force_login names: the first that can fetch a signed-in person."""
    from django.contrib.auth import load_backend

    return next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
    )


def signed_in_client(user: User) -> Client:
    """A client signed in as the person, two-factor step included for roles that need it.

    Its session holds what Django's force_login puts in it and what the portal's own sign-in
    receivers add (both session clocks, the two-factor choice), saved in one write. force_login
    also sends user_logged_in to the receivers that write elsewhere (last_login and its history
    row, django-axes's and the access log's sign-in records): writes no test client reads, a
    quarter of a permission-matrix cell. Signing in itself is tested through the sign-in page;
    tests/core/test_test_clients.py checks this session against force_login's."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from send_qa.core.session_timeout import start_session_clocks
    from send_qa.core.two_factor import note_choice_at_sign_in

    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    request.user = user
    user.backend = _session_backend()
    request.session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    request.session[BACKEND_SESSION_KEY] = user.backend
    request.session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    for receiver in (start_session_clocks, note_choice_at_sign_in):
        receiver(sender=type(user), request=request, user=user)
    if user.has_role(*settings.OTP_REQUIRED_ROLES):
        request.session[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id
    request.session.save()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key
    return client


@pytest.fixture
def client_for():
    def make(user: User | None) -> Client:
        return Client() if user is None else signed_in_client(user)

    return make


@pytest.fixture
def eager_celery():
    """Run tasks in-process for unit tests (integration tests use the real worker)."""
    from send_qa.celery import app

    before = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = before


_LONG_FILES = ("tests/bench/", "tests/integration/")
_DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def _uses_the_database(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(fixtures & _DATABASE_FIXTURES)


def _file_order(items: list[pytest.Item]) -> dict[str, tuple[int, int]]:
    """Each test file's place in the run: the workers take whole files (--dist loadfile) in
    this order (--no-loadscope-reorder, scripts/test.sh), one each and then the next as the
    last is nearly done.

    - First the largest file that uses the database: its worker migrates the test database
      (tests/migrated_once.py, 15-20 s of Python) while
    - the other takes the files that use no database (50 s of the settings' subprocesses and
      the sampling properties), instead of waiting for the migration;
    - then the files that take longest (the browser, the bench county, the worker killed
      mid-job), so that none comes last and keeps one worker busy after the other finished;
    - then the rest, the largest first. Ties keep the order of collection.
    """
    files: dict[str, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::")[0], []).append(item)
    uses_database = {name: any(map(_uses_the_database, tests)) for name, tests in files.items()}
    migrating = max(
        (name for name in files if uses_database[name]),
        key=lambda name: len(files[name]),
        default="",
    )

    def rank(name: str) -> int:
        if name == migrating:
            return 0
        if not uses_database[name]:
            return 1
        tests = files[name]
        if name.startswith(_LONG_FILES) or any(t.get_closest_marker("browser") for t in tests):
            return 2
        return 3

    return {name: (rank(name), -len(tests)) for name, tests in files.items()}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    order = _file_order(items)
    items.sort(key=lambda item: order[item.nodeid.split("::")[0]])
