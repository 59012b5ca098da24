"""The narrative saves itself as SENDOPS write it: the same form and guarded save as the
page's Save, a history row only when something changed, a colleague's change never saved
over, and an answer the script understands when the session has ended."""

import datetime
import time

import pytest
from django.urls import reverse

from send_qa.core.concurrency import rows_version
from send_qa.core.session_timeout import LAST_SEEN_AT
from send_qa.reports.models import NARRATIVE, Report
from tests.conflicts import page_version
from tests.reports.factories import a_report

pytestmark = pytest.mark.django_db
JSON = {"accept": "application/json"}


def urls(report: Report) -> tuple[str, str]:
    kwargs = {"report_uuid": report.uuid}
    return reverse("reports:report_edit", kwargs=kwargs), reverse(
        "reports:report_autosave", kwargs=kwargs
    )


def form_data(report: Report, version: str, **changes: str) -> dict[str, str]:
    fields = {name: getattr(report, name) for name, _ in NARRATIVE if name != "board_commentary"}
    return {
        "board_date": "",
        "author": report.author,
        "purpose": report.purpose,
        "period_covered": report.period_covered,
        **fields,
        "version": version,
        **changes,
    }


@pytest.fixture
def sendops(people, client_for):
    return client_for(people.sendops)


def test_the_edit_page_names_where_the_form_saves_itself(sendops):
    report = a_report(drafted=True)
    edit, autosave = urls(report)
    assert f'data-autosave-url="{autosave}"' in sendops.get(edit).text


def test_an_autosave_saves_with_a_history_row_and_gives_the_new_version(sendops, people):
    report = a_report(drafted=True)
    edit, autosave = urls(report)
    opened = page_version(sendops.get(edit))
    before = report.history.count()
    response = sendops.post(autosave, form_data(report, opened, working_well="- Ten plans"))
    assert response.status_code == 200
    answer = response.json()
    report.refresh_from_db()
    assert report.working_well == "- Ten plans"
    assert answer["version"] != opened
    assert answer["version"] == rows_version([Report.objects.filter(pk=report.pk)])
    assert answer["message"].startswith("Saved at ")
    assert report.history.count() == before + 1
    assert report.history.first().history_user == people.sendops
    # The page's own Save, carrying the version the autosave gave, is not refused.
    final = form_data(report, answer["version"], working_well="- Ten plans, all on time")
    assert sendops.post(edit, final).status_code == 302
    report.refresh_from_db()
    assert report.working_well == "- Ten plans, all on time"


def test_an_autosave_of_unchanged_fields_writes_nothing(sendops):
    report = a_report(drafted=True)
    edit, autosave = urls(report)
    opened = page_version(sendops.get(edit))
    before = report.history.count()
    response = sendops.post(autosave, form_data(report, opened))
    assert response.status_code == 200
    assert response.json()["version"] == opened
    assert response.json()["changed"] is False
    assert report.history.count() == before


def test_an_autosave_over_a_colleagues_change_is_refused_and_saves_nothing(sendops):
    report = a_report(drafted=True)
    edit, autosave = urls(report)
    opened = page_version(sendops.get(edit))
    Report.objects.filter(pk=report.pk).update(worried_about="A colleague's words")
    before = report.history.count()
    response = sendops.post(autosave, form_data(report, opened, worried_about="Mine"))
    assert response.status_code == 409
    assert "a colleague saved a change to this report" in response.json()["message"]
    assert response.json()["url"] == edit
    report.refresh_from_db()
    assert report.worried_about == "A colleague's words"
    assert report.history.count() == before
    # Unchanged fields on an old page are refused too: the page would hide the change.
    assert sendops.post(autosave, form_data(report, opened)).status_code == 409


def test_an_invalid_autosave_answers_with_the_field_errors(sendops):
    report = a_report(drafted=True)
    edit, autosave = urls(report)
    opened = page_version(sendops.get(edit))
    data = form_data(report, opened, board_date="not a date", working_well="Kept?")
    response = sendops.post(autosave, data)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["board_date"]
    report.refresh_from_db()
    assert report.working_well == ""


@pytest.mark.parametrize("role", ["board", "caseworker", "action_owner"])
def test_only_sendops_autosave(role, people, client_for):
    report = a_report(drafted=True)
    _, autosave = urls(report)
    response = client_for(people[role]).post(autosave, form_data(report, "x", working_well="No"))
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.working_well == ""


def test_an_autosave_after_the_session_ended_is_told_so_and_saves_nothing(sendops):
    report = a_report(drafted=True)
    edit, autosave = urls(report)
    opened = page_version(sendops.get(edit))
    session = sendops.session
    session[LAST_SEEN_AT] = int(time.time()) - 31 * 60
    session.save()
    data = form_data(report, opened, working_well="Typed while away")
    response = sendops.post(autosave, data, headers=JSON)
    assert response.status_code == 401
    assert "signed out" in response.json()["message"]
    report.refresh_from_db()
    assert report.working_well == ""


def test_an_autosave_needs_the_csrf_token(sendops):
    report = a_report(drafted=True)
    edit, autosave = urls(report)
    sendops.handler.enforce_csrf_checks = True
    page = sendops.get(edit)
    opened = page_version(page)
    data = form_data(report, opened, working_well="Mine")
    assert sendops.post(autosave, data, headers=JSON).status_code == 403
    report.refresh_from_db()
    assert report.working_well == ""
    token = str(page.context["csrf_token"])
    saved = sendops.post(autosave, {**data, "csrfmiddlewaretoken": token}, headers=JSON)
    assert saved.status_code == 200


def test_an_autosave_is_posted_never_fetched(sendops):
    assert sendops.get(urls(a_report(drafted=True))[1]).status_code == 405


def test_the_board_date_typed_in_its_boxes_is_saved_once_and_then_is_no_change(sendops):
    report = a_report(drafted=True)
    edit, autosave = urls(report)
    opened = page_version(sendops.get(edit))
    boxes = {"board_date_0": " 20 ", "board_date_1": "01", "board_date_2": "2027"}
    data = {key: value for key, value in form_data(report, opened).items() if key != "board_date"}
    answer = sendops.post(autosave, data | boxes).json()
    report.refresh_from_db()
    assert report.board_date == datetime.date(2027, 1, 20)
    assert answer["changed"] is True
    again = sendops.post(autosave, data | boxes | {"version": answer["version"]}).json()
    assert again["changed"] is False


def test_a_board_date_without_its_year_is_told_by_its_part(sendops):
    report = a_report(drafted=True)
    edit, autosave = urls(report)
    opened = page_version(sendops.get(edit))
    data = form_data(report, opened) | {"board_date_0": "20", "board_date_1": "1"}
    page = sendops.post(edit, data).content.decode()
    assert (
        '<a href="#id_board_date_2">The date of the board meeting must include a year</a>' in page
    )
    report.refresh_from_db()
    assert report.board_date is None
