"""Every action that cannot be undone asks first (issue 20, item 4): a GET page names what will
happen and who will see it, with a warning and a way back; only the POST does it."""

import pytest
from django.urls import reverse

from send_qa.reports.models import Version
from tests.audits.factories import AuditFactory, ModerationSessionFactory, sampled_plan
from tests.reports.factories import a_compiled_version, a_report

pytestmark = pytest.mark.django_db


def _confirmation(response) -> str:
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-warning-text"' in html
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert ">Cancel</a>" in html
    return html


def test_releasing_a_version_asks_first_and_names_the_board(people, client_for):
    report = a_report()
    version = a_compiled_version(report, number=2)
    client = client_for(people.sendops)
    url = reverse("reports:version_release", kwargs={"version_uuid": version.uuid})
    detail = reverse("reports:report_detail", kwargs={"report_uuid": report.uuid})
    assert f'href="{url}"' in client.get(detail).content.decode()  # a link, not a one-click post

    html = _confirmation(client.get(url))
    assert (
        "Are you sure you want to release version 2 to the SEND Strategic Partnership Board?"
    ) in html
    assert "You cannot undo a release." in html
    assert f'href="{detail}"' in html
    version.refresh_from_db()
    assert version.released_at is None  # asking changes nothing

    assert client.post(url).status_code == 302
    version.refresh_from_db()
    assert version.released_by == people.sendops


def test_version_3_names_everyone_and_a_refused_release_is_not_asked_about(people, client_for):
    report = a_report()
    version = a_compiled_version(report, number=3)
    client = client_for(people.sendops)
    url = reverse("reports:version_release", kwargs={"version_uuid": version.uuid})
    refused = client.get(url, follow=True).content.decode()
    assert "Add the board&#x27;s commentary before version 3 is circulated" in refused
    assert "Are you sure" not in refused
    report.board_commentary = "Welcomed."
    report.save()
    assert "to everyone who signs in to the portal?" in _confirmation(client.get(url))
    Version.objects.filter(pk=version.pk).update(status=Version.Status.RUNNING)
    assert client.get(url, follow=True).redirect_chain  # not compiled: nothing to ask


def test_an_already_released_version_is_not_asked_about_again(people, client_for):
    version = a_compiled_version(a_report(), number=2, released=True)
    url = reverse("reports:version_release", kwargs={"version_uuid": version.uuid})
    response = client_for(people.sendops).get(url, follow=True)
    assert "has already been released" in response.content.decode()


def test_drawing_the_sample_again_asks_first_and_says_what_is_lost(people, client_for):
    session = ModerationSessionFactory(members=[people.auditor])
    client = client_for(people.sendops)
    url = reverse("audits:moderation_draw", kwargs={"session_uuid": session.uuid})
    detail = reverse("audits:moderation_detail", kwargs={"session_uuid": session.uuid})
    first = client.get(detail).content.decode()
    assert f'action="{url}"' in first  # the first draw replaces nothing: no question
    assert client.get(url)["Location"] == detail

    sampled = sampled_plan(session)
    again = client.get(detail).content.decode()
    assert f'href="{url}"' in again and f'action="{url}"' not in again
    html = _confirmation(client.get(url))
    assert "Are you sure you want to draw the sample again?" in html
    assert "The 1 plan sampled will be replaced" in html
    assert sampled.code in session.samples.values_list("code", flat=True)  # asking keeps it


def test_a_sample_in_use_is_not_offered_for_a_redraw(people, client_for):
    session = ModerationSessionFactory(members=[people.auditor])
    AuditFactory(auditor=people.auditor, sampled_plan=sampled_plan(session))
    url = reverse("audits:moderation_draw", kwargs={"session_uuid": session.uuid})
    response = client_for(people.sendops).get(url, follow=True)
    assert "can no longer be redrawn" in response.content.decode()
    assert "Are you sure" not in response.content.decode()


def test_deactivating_a_person_asks_first_and_only_the_post_deactivates(people, client_for):
    client = client_for(people.admin)
    person = people.board
    url = reverse("core:user_deactivate", kwargs={"user_uuid": person.uuid})
    html = _confirmation(client.get(url))
    assert f"Are you sure you want to deactivate {person.full_name}&#x27;s account?" in html
    assert "They lose access to the portal straight away." in html
    person.refresh_from_db()
    assert person.is_active
    client.post(url)
    person.refresh_from_db()
    assert not person.is_active
    again = client.get(reverse("core:user_reactivate", kwargs={"user_uuid": person.uuid}))
    assert f"Are you sure you want to reactivate {person.full_name}" in again.content.decode()
