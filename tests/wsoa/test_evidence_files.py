"""Evidence files: checked by content, stored under random names outside the static path,
served only through a view that checks who is asking, with a safe download name."""

from pathlib import Path

import pytest
from django.conf import settings as project_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import UserFactory
from tests.wsoa.factories import ActionFactory
from wsoa.models import Evidence

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
PDF = b"%PDF-1.7\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def add(client, action, name: str, data: bytes):
    url = reverse("wsoa:evidence_add", kwargs={"action_uuid": action.uuid})
    return client.post(url, {"description": "Minutes", "file": SimpleUploadedFile(name, data)})


def download_url(evidence: Evidence) -> str:
    return reverse(
        "wsoa:evidence_download",
        kwargs={"action_uuid": evidence.action.uuid, "evidence_uuid": evidence.uuid},
    )


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        ("minutes.pdf", PNG, "minutes.pdf is named as a PDF but it is a PNG image."),
        ("minutes.docx", b"<html><script>alert(1)</script>", "but it is a web page (HTML)"),
        ("notes.txt", b"MZ\x90\x00binary", "but it is a program"),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_saved(
    people, client_for, media, name, data, said
):
    action = ActionFactory(led_by=people.action_owner)
    response = add(client_for(people.action_owner), action, name, data)
    assert response.status_code == 200
    assert said in response.content.decode()
    assert not Evidence.objects.exists()
    assert not any(media.rglob("*.*"))


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("minutes\x00.pdf", "minutes.pdf"),
        ("a" * 400 + ".pdf", "a" * 196 + ".pdf"),
        ("bad\x07name\x1b.pdf", "badname.pdf"),
        ("tab\tand\u2028line.pdf", "tabandline.pdf"),
        ('quote".pdf', "quote.pdf"),
    ],
)
def test_names_are_never_paths_and_downloads_carry_a_safe_name(
    people, client_for, media, given, shown
):
    action = ActionFactory(led_by=people.action_owner)
    client = client_for(people.action_owner)
    add(client, action, given, PDF)
    evidence = action.evidence.get()
    stored = Path(evidence.file.path).resolve()
    assert stored.parent == (media / "evidence").resolve()
    assert len(stored.stem) == 32 and stored.suffix == ".pdf"  # a random name
    assert evidence.original_name == shown
    response = client.get(download_url(evidence))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{shown}"'
    assert b"".join(response.streaming_content) == PDF


def test_a_stored_name_with_control_characters_still_downloads_safely(people, client_for, media):
    """Rows saved before names were cleaned must not break the download's headers."""
    action = ActionFactory(led_by=people.action_owner)
    add(client_for(people.action_owner), action, "minutes.pdf", PDF)
    evidence = action.evidence.get()
    Evidence.objects.filter(pk=evidence.pk).update(original_name="x\r\nSet-Cookie: a=b.pdf")
    response = client_for(people.sendops).get(download_url(evidence))
    assert response.status_code == 200
    assert "\n" not in response["Content-Disposition"]
    assert response["Content-Disposition"] == 'attachment; filename="x Set-Cookie a=b.pdf"'


def test_evidence_is_outside_the_static_path_and_only_served_with_permission(
    people, client_for, media
):
    action = ActionFactory(led_by=people.action_owner)
    add(client_for(people.action_owner), action, "minutes.pdf", PDF)
    evidence = action.evidence.get()
    media_root = Path(project_settings.MEDIA_ROOT).resolve()
    for static in [project_settings.STATIC_ROOT, *project_settings.STATICFILES_DIRS]:
        folder = Path(static[1] if isinstance(static, tuple) else static).resolve()
        assert not media_root.is_relative_to(folder)
    assert client_for(people.sendops).get(f"/media/{evidence.file.name}").status_code == 404
    assert client_for(people.sendops).get(f"/static/{evidence.file.name}").status_code == 404
    assert client_for(people.board).get(download_url(evidence)).status_code == 200
    outsider = UserFactory(roles=["action_owner"])
    assert client_for(outsider).get(download_url(evidence)).status_code == 404
    assert client_for(people.auditor).get(download_url(evidence)).status_code == 403
    assert client_for(None).get(download_url(evidence)).status_code == 302  # to sign in
