"""An email GOV.UK Notify would not take: SENDOPS are told on their home page, see why, and
send it again once Notify is back (issue 23)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from send_qa.core.models import OutgoingEmail
from tests.browser.conftest import axe_violations
from tests.conftest import make_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sendops_see_an_email_not_sent_and_send_it_again(new_page, notify, eager_celery):
    people = make_people()
    for to in (
        "lead@example.org",
        "a.very.long.address.of.a.partner.service@health.example.nhs.uk",
    ):
        OutgoingEmail.objects.create(
            kind="action_reminder",
            to=to,
            subject="Your actions in the SEND action plan this week",
            body="Sign in to see them.",
            status=OutgoingEmail.Status.FAILED,
            attempts=5,
            failure="GOV.UK Notify could not be reached (Service unavailable).",
        )
    page = new_page(people.sendops)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(reverse("dashboard:home"))
    expect(page.get_by_text("2 emails could not be sent.")).to_be_visible()
    problems = axe_violations(page)
    page.get_by_role("link", name="See why and send them again").click()
    expect(page.get_by_role("heading", name="Emails not sent")).to_be_visible()
    expect(page.get_by_text("2 emails not sent")).to_be_visible()
    problems += axe_violations(page)
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits, "the table runs off the page at 1280 px"

    row = page.get_by_role("row").filter(has_text="lead@example.org")
    row.get_by_role("button", name="Send again").click()
    expect(page.get_by_text("will be sent again")).to_be_visible()
    expect(page.get_by_text("1 email not sent")).to_be_visible()
    problems += axe_violations(page)
    assert [r.body["email_address"] for r in notify.received] == ["lead@example.org"]
    sent = OutgoingEmail.objects.get(to="lead@example.org")
    assert (sent.status, sent.sent_again_by) == (OutgoingEmail.Status.SENT, people.sendops)
    assert not problems, "\n".join(problems)
