"""SENDOPS write the report's narrative and it saves itself; when the session is lost, the
text is kept in the browser and restored after signing in again."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from send_qa.reports.models import Report
from tests.browser.conftest import axe_violations
from tests.conftest import make_people, signed_in_client
from tests.reports.factories import a_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAVED = re.compile(r"Saved at \d\d:\d\d")
NOT_SAVED = "Not saved: you may have been signed out. Your text is kept in this browser"
WORKING_WELL = "What is working well?"


def sign_in_again(page, user, live_server) -> None:
    """A new session in the browser, as signing in again (in another tab) gives."""
    cookie = signed_in_client(user).cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_the_narrative_saves_itself_as_sendops_write(new_page):
    people = make_people()
    report = a_report(drafted=True)
    page = new_page(people.sendops)
    page.goto(reverse("reports:report_edit", kwargs={"report_uuid": report.uuid}))
    page.get_by_label(WORKING_WELL).fill("- Every plan was issued within 20 weeks")
    expect(page.get_by_text(SAVED)).to_be_visible()
    report.refresh_from_db()
    assert report.working_well == "- Every plan was issued within 20 weeks"
    page.reload()
    expect(page.get_by_label(WORKING_WELL)).to_have_value("- Every plan was issued within 20 weeks")
    expect(page.get_by_role("button", name="Restore the text you were writing")).to_have_count(0)
    # The page's own Save is not refused as a conflict with the autosave.
    page.get_by_label(WORKING_WELL).fill("- Every plan was issued on time")
    page.get_by_role("button", name="Save the report").click()
    expect(page.get_by_text("The report has been saved.")).to_be_visible()
    report.refresh_from_db()
    assert report.working_well == "- Every plan was issued on time"
    assert not axe_violations(page)


def test_text_written_after_the_session_was_lost_is_restored_after_signing_in(
    new_page, live_server
):
    people = make_people()
    report = a_report(drafted=True)
    url = reverse("reports:report_edit", kwargs={"report_uuid": report.uuid})
    page = new_page(people.sendops)
    page.goto(url)
    page.context.clear_cookies()
    field = page.get_by_label("What are we worried about?")
    field.fill("- Waiting times for speech and language therapy")
    field.blur()
    expect(page.get_by_text(NOT_SAVED)).to_be_visible()
    assert Report.objects.get(pk=report.pk).worried_about == ""

    sign_in_again(page, people.sendops, live_server)
    page.goto(url)
    expect(page.get_by_label("What are we worried about?")).to_have_value("")
    restore = page.get_by_role("button", name="Restore the text you were writing")
    problems = axe_violations(page)
    restore.click()
    expect(page.get_by_label("What are we worried about?")).to_have_value(
        "- Waiting times for speech and language therapy"
    )
    expect(page.get_by_text(SAVED)).to_be_visible()
    assert (
        Report.objects.get(pk=report.pk).worried_about
        == "- Waiting times for speech and language therapy"
    )
    page.reload()
    expect(restore).to_have_count(0)
    assert not problems, "\n".join(problems)


def test_after_signing_in_again_in_another_tab_the_open_page_saves_itself(new_page, live_server):
    people = make_people()
    report = a_report(drafted=True)
    url = reverse("reports:report_edit", kwargs={"report_uuid": report.uuid})
    page = new_page(people.sendops)
    page.goto(url)
    page.context.clear_cookies()
    field = page.get_by_label("Voices (children, families, professionals)")
    field.fill("A parent said the plan was clear")
    field.blur()
    expect(page.get_by_text(NOT_SAVED)).to_be_visible()

    sign_in_again(page, people.sendops, live_server)
    other = page.context.new_page()
    other.goto(url)  # the other tab: its page sets the new CSRF cookie
    other.close()
    field.press("End")
    field.type(".")
    expect(page.get_by_text(SAVED)).to_be_visible()
    assert Report.objects.get(pk=report.pk).voices == "A parent said the plan was clear."


def test_an_autosave_never_saves_over_a_colleagues_change(new_page):
    people = make_people()
    report = a_report(drafted=True)
    page = new_page(people.sendops)
    page.goto(reverse("reports:report_edit", kwargs={"report_uuid": report.uuid}))
    Report.objects.filter(pk=report.pk).update(worried_about="- A colleague's point")
    page.get_by_label(WORKING_WELL).fill("- Mine")
    expect(page.get_by_text("Not saved: a colleague saved a change to this report")).to_be_visible()
    assert Report.objects.get(pk=report.pk).working_well == ""

    page.get_by_role("link", name="Open the current version, then restore your text").click()
    expect(page.get_by_label("What are we worried about?")).to_have_value("- A colleague's point")
    expect(page.get_by_text("Someone else has saved a change since")).to_have_count(0)
    page.get_by_role("button", name="Restore the text you were writing").click()
    expect(page.get_by_text(SAVED)).to_be_visible()
    report.refresh_from_db()
    assert (report.working_well, report.worried_about) == ("- Mine", "- A colleague's point")
