"""No green "Success" banner for something that did nothing, and messages in the reader's words
(send_qa.core.outcomes.tell_outcome)."""

import pytest
from django.contrib.messages import INFO, SUCCESS, get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.urls import reverse

from send_qa.core.models import Period, ensure_academic_year
from send_qa.core.outcomes import tell_outcome
from send_qa.reports.models import Report
from tests.audits.factories import AuditFactory, PlanFactory, small_template
from tests.conflicts import page_version
from tests.permission_matrix import a_board_report

pytestmark = pytest.mark.django_db

SUCCESS_BANNER = "govuk-notification-banner--success"


def told(changed):
    request = RequestFactory().get("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    tell_outcome(request, changed=changed, done="3 done.", nothing="Nothing changed.")
    return [(m.level, m.message) for m in get_messages(request)]


def test_a_success_only_when_something_changed():
    assert told(True) == [(SUCCESS, "3 done.")]
    assert told(False) == [(INFO, "Nothing changed.")]


def test_assigning_plans_that_all_have_their_audit_is_not_a_success(people, client_for):
    ensure_academic_year(2025)
    template = small_template()
    plan = PlanFactory()
    data = {
        "plans": [plan.uuid],
        "confirm": "1",
        "auditor": people.auditor.pk,
        "template": template.pk,
        "term": Period.objects.terms().first().pk,
    }
    client = client_for(people.sendops)
    first = client.post(reverse("audits:assign"), data, follow=True).content.decode()
    assert SUCCESS_BANNER in first and "1 audit assigned to" in first
    again = client.post(reverse("audits:assign"), data, follow=True).content.decode()
    assert SUCCESS_BANNER not in again
    assert "No audits were assigned to" in again and "0 audits" not in again


def test_saving_no_overall_rating_says_it_is_still_to_choose(people, client_for):
    audit = AuditFactory(auditor=people.auditor)
    client = client_for(people.auditor)
    url = reverse("audits:audit_overall", kwargs={"audit_uuid": audit.uuid})
    page = client.post(
        url, {"version": page_version(client.get(url)), "final_comments": "Clear plan"}, follow=True
    ).content.decode()
    assert SUCCESS_BANNER not in page
    assert "You have not chosen an overall rating yet; your comments have been saved." in page
    rated = client.post(
        url, {"version": page_version(client.get(url)), "overall_rating": "3"}, follow=True
    ).content.decode()
    assert SUCCESS_BANNER in rated and "Your overall rating has been saved." in rated


@pytest.mark.parametrize(
    ("role", "said"),
    [
        ("board", "Your commentary has been saved. SENDOPS will include it in the next version"),
        ("sendops", "Compile a new version of the report to include it."),
    ],
)
def test_the_commentary_message_fits_its_reader(people, client_for, role, said):
    report = Report.objects.get(uuid=a_board_report(people)["report_uuid"])
    client = client_for(getattr(people, role))
    url = reverse("reports:board_commentary", kwargs={"report_uuid": report.uuid})
    page = client.post(
        url, {"version": page_version(client.get(url)), "board_commentary": "Noted"}, follow=True
    ).content.decode()
    assert said in page and "Compile version 3" not in page
