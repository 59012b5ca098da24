"""A form posted twice makes one record, and the second post leads to the first's result
(issue 21: two progress updates from a double click, four versions from four parallel posts)."""

import datetime
import re
import threading
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from send_qa.core.models import SubmittedForm
from send_qa.core.once import ONCE_FIELD, new_token, submitted_forms_forget
from send_qa.reports.models import Version
from tests.reports.factories import a_report
from tests.wsoa.factories import ActionFactory, status
from wsoa.models import ProgressUpdate

TOKEN = re.compile(rf'name="{ONCE_FIELD}"\s+value="([0-9a-f-]+)"')


def _token_on(page) -> str:
    found = TOKEN.findall(page.content.decode())
    assert found, "the form carries no one-time token"
    return found[0]


def _progress(action, token: str) -> dict:
    return {
        "date": timezone.localdate().isoformat(),
        "narrative": "Started",
        "status": status("Amber").pk,
        ONCE_FIELD: token,
    }


@pytest.mark.django_db
def test_a_progress_update_posted_twice_is_saved_once_and_both_lead_to_it(people, client_for):
    action = ActionFactory(led_by=people.action_owner)
    client = client_for(people.action_owner)
    url = reverse("wsoa:action_update", kwargs={"action_uuid": action.uuid})
    token = _token_on(client.get(url))
    first = client.post(url, _progress(action, token))
    second = client.post(url, _progress(action, token))
    assert ProgressUpdate.objects.filter(action=action).count() == 1
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]


@pytest.mark.django_db
def test_each_form_served_carries_its_own_token(people, client_for):
    action = ActionFactory(led_by=people.action_owner)
    client = client_for(people.action_owner)
    url = reverse("wsoa:action_update", kwargs={"action_uuid": action.uuid})
    first, second = _token_on(client.get(url)), _token_on(client.get(url))
    assert first != second
    client.post(url, _progress(action, first))
    client.post(url, _progress(action, second))
    assert ProgressUpdate.objects.filter(action=action).count() == 2


@pytest.mark.django_db
def test_a_form_with_errors_gives_its_token_back_for_the_corrected_post(people, client_for):
    action = ActionFactory(led_by=people.action_owner)
    client = client_for(people.action_owner)
    url = reverse("wsoa:action_update", kwargs={"action_uuid": action.uuid})
    token = new_token()
    refused = client.post(url, {**_progress(action, token), "narrative": ""})
    assert refused.status_code == 200
    assert not SubmittedForm.objects.exists()
    assert client.post(url, _progress(action, token)).status_code == 302
    assert ProgressUpdate.objects.filter(action=action).count() == 1


@pytest.mark.django_db
def test_someone_elses_token_runs_nothing_of_theirs(people, client_for):
    action = ActionFactory(led_by=people.action_owner)
    url = reverse("wsoa:action_update", kwargs={"action_uuid": action.uuid})
    token = new_token()
    client_for(people.action_owner).post(url, _progress(action, token))
    again = client_for(people.sendops).post(url, _progress(action, token))
    assert again.status_code == 302
    assert ProgressUpdate.objects.filter(action=action).count() == 1


@pytest.mark.django_db
def test_the_report_page_issues_a_token_with_its_compile_form(people, client_for):
    report = a_report()
    page = client_for(people.sendops).get(
        reverse("reports:report_detail", kwargs={"report_uuid": report.uuid})
    )
    assert _token_on(page)


@pytest.mark.django_db(transaction=True)
def test_four_parallel_posts_of_one_compile_form_make_one_version(people, client_for):
    report = a_report()
    url = reverse("reports:version_compile", kwargs={"report_uuid": report.uuid})
    token = new_token()
    clients = [client_for(people.sendops) for _ in range(4)]
    start = threading.Barrier(len(clients))
    answers: list[str] = []

    def post(client) -> None:
        try:
            start.wait()
            answers.append(client.post(url, {"number": "2", ONCE_FIELD: token})["Location"])
        finally:
            connection.close()

    with mock.patch("send_qa.reports.tasks.compile_report.delay"):
        threads = [threading.Thread(target=post, args=(c,)) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert Version.objects.filter(report=report).count() == 1
    assert len(answers) == 4 and len(set(answers)) == 1


@pytest.mark.django_db
def test_tokens_are_forgotten_after_two_days(people):
    SubmittedForm.objects.create(token=new_token(), user=people.sendops, location="/")
    assert submitted_forms_forget(now=timezone.now() + datetime.timedelta(days=1)) == 0
    assert submitted_forms_forget(now=timezone.now() + datetime.timedelta(days=3)) == 1
