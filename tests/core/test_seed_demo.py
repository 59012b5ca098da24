import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from governance.models import Decision, Forum, ForwardPlanItem, Meeting
from governance.services import forward_plan_draw
from send_qa.core.demo import DEMO_TOTP_SECRET
from send_qa.core.models import Period, User, academic_year_start
from send_qa.core.roles import Role
from tests.demo_once import DEMO_PASSWORD, built_on_the_demo, shared_run_folder

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """What `make run` prints, seeding the demo in debug mode with a password: seeded once a
    run for the tests that read it (tests/demo_once.py; each test's changes are rolled back
    after it)."""
    yield from built_on_the_demo(
        django_db_blocker, shared_run_folder(tmp_path_factory), lambda printed: printed
    )


# The tests that refuse to seed come first: once `seeded` is built, the tests after it in this
# module run on its data. Seeding over a seeded demo takes a tenth of a second, seeding afresh
# fifteen: every test that seeds does so over `seeded`.


def test_refuses_outside_debug_mode(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="runs only in debug mode"):
        call_command("seed_demo")


def test_demo_code_runs_only_in_debug_mode(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only in debug mode"):
        call_command("demo_code")


def test_generates_and_prints_a_password_once(seeded, capsys):
    call_command("seed_demo", "--force")  # over the seeded demo, whose password it replaces
    out = capsys.readouterr().out
    password = out.rsplit("Password for every demo user: ", 1)[1].split()[0]
    assert User.objects.get(email="sendops@demo.invalid").check_password(password)


def test_builds_a_demo_area_with_one_person_per_role(seeded):
    out = seeded
    for role in Role:
        person = User.objects.with_role(role).get()
        assert person.email.endswith("@demo.invalid")
        assert person.check_password(DEMO_PASSWORD)
        assert person.email in out
    assert Period.objects.current_term() is not None


def test_running_it_twice_does_not_duplicate(seeded, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--password", DEMO_PASSWORD)  # the second time
    assert User.objects.filter(email__endswith="@demo.invalid").count() == len(Role)


def test_demo_admin_and_sendops_have_the_published_demo_authenticator(seeded, settings, capsys):
    settings.DEBUG = True
    assert DEMO_TOTP_SECRET in seeded
    call_command("demo_code")
    code = capsys.readouterr().out.split()[0]
    for email in ["admin@demo.invalid", "sendops@demo.invalid"]:
        device = TOTPDevice.objects.get(user__email=email, confirmed=True)
        assert device.verify_token(code)
    assert not TOTPDevice.objects.filter(user__email="board@demo.invalid").exists()


def test_the_demo_has_a_year_of_meetings_with_the_plan_drawn(seeded, settings):
    """Here rather than in tests/governance, to read the demo seeded once (tests/demo_once.py)."""
    settings.DEBUG = True
    call_command("seed_demo", "--password", DEMO_PASSWORD)
    assert {m.forum for m in Meeting.objects.all()} == set(Forum.values)
    assert ForwardPlanItem.objects.filter(meeting__forum=Forum.SCRUTINY).exists()
    assert Decision.objects.count() in (0, 2)  # none when no board has met yet this year
    year = academic_year_start(Meeting.objects.first().date)
    assert forward_plan_draw(year).created == 0  # the demo drew it up already
    call_command("seed_demo", "--password", DEMO_PASSWORD)
    assert Decision.objects.count() in (0, 2)
