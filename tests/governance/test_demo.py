import pytest
from django.core.management import call_command

from governance.models import Decision, Forum, ForwardPlanItem, Meeting
from governance.services import forward_plan_draw
from send_qa.core.models import academic_year_start

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_year_of_meetings_with_the_plan_drawn(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--password", "demo-password-123")
    assert {m.forum for m in Meeting.objects.all()} == set(Forum.values)
    assert ForwardPlanItem.objects.filter(meeting__forum=Forum.SCRUTINY).exists()
    assert Decision.objects.count() in (0, 2)  # none when no board has met yet this year
    year = academic_year_start(Meeting.objects.first().date)
    assert forward_plan_draw(year).created == 0  # the demo drew it up already
    call_command("seed_demo", "--password", "demo-password-123")
    assert Decision.objects.count() in (0, 2)
