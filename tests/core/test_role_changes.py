"""Nobody gives themself case-level access: another admin must. Every change of roles is
emailed to the person and to the other admins, besides the access log."""

import pytest
from django.core import mail
from django.urls import reverse

from send_qa.core.models import AccessEvent, User
from send_qa.core.roles import Role
from tests.factories import OrganisationFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
Kind = AccessEvent.Kind


@pytest.fixture
def second_admin(people):
    return UserFactory(
        email="second.admin@example.org",
        full_name="Second Admin",
        organisation=people.admin.organisation,
        roles=[Role.ADMIN],
    )


def save_roles(client, person, roles, team=None):
    return client.post(
        reverse("core:user_detail", kwargs={"user_uuid": person.uuid}),
        {
            "full_name": person.full_name,
            "job_title": person.job_title,
            "organisation": person.organisation_id,
            "team": team.pk if team else (person.team_id or ""),
            "roles": roles,
        },
    )


@pytest.mark.parametrize(
    ("role", "name"),
    [
        (Role.SENDOPS, "SENDOPS member"),
        (Role.AUDITOR, "Auditor or moderator"),
        (Role.CASEWORKER, "Caseworker"),
    ],
)
def test_an_admin_cannot_give_themself_case_level_access(
    people, client_for, second_admin, eager_celery, django_capture_on_commit_callbacks, role, name
):
    me = people.admin
    team = TeamFactory(organisation=me.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        response = save_roles(client_for(me), me, [Role.ADMIN, role], team=team)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    message = f"You cannot give yourself the {name} role: it opens case-level records."
    assert message in html and "Ask another admin to do it" in html
    assert User.objects.get(pk=me.pk).roles == {Role.ADMIN}
    assert not AccessEvent.objects.filter(kind=Kind.ROLES_CHANGED).exists()
    assert mail.outbox == []


def test_another_admin_may_give_it_and_everyone_concerned_is_told(
    people, client_for, second_admin, eager_celery, django_capture_on_commit_callbacks
):
    me = people.admin
    with django_capture_on_commit_callbacks(execute=True):
        response = save_roles(client_for(second_admin), me, [Role.ADMIN, Role.SENDOPS])
    assert response.status_code == 302
    assert User.objects.get(pk=me.pk).roles == {Role.ADMIN, Role.SENDOPS}
    assert AccessEvent.objects.get(kind=Kind.ROLES_CHANGED).details == "added SENDOPS member"
    # The person is told; no other admin is left to tell (the one who made it knows).
    [told] = mail.outbox
    assert told.to == ["admin@example.org"]
    assert "Second Admin changed your roles" in told.body
    assert "added SENDOPS member" in told.body
    assert "tell another portal admin" in told.body


def test_a_role_change_emails_the_person_and_every_other_active_admin(
    people, client_for, second_admin, eager_celery, django_capture_on_commit_callbacks
):
    UserFactory(email="gone.admin@example.org", roles=[Role.ADMIN], is_active=False)
    person = people.board
    with django_capture_on_commit_callbacks(execute=True):
        save_roles(client_for(people.admin), person, [Role.BOARD, Role.ACTION_OWNER])
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"board@example.org", "second.admin@example.org"}
    to_admin = by_recipient["second.admin@example.org"]
    assert to_admin.subject == "Admin Person changed the roles of Board Person"
    assert "(board@example.org)" in to_admin.body and "added Action owner" in to_admin.body
    assert f"{reverse('core:access_log')}?account={person.uuid}" in to_admin.body
    assert by_recipient["board@example.org"].subject.startswith("Your roles in")


def test_an_admin_may_give_themself_a_role_without_case_level_access_and_others_are_told(
    people, client_for, second_admin, eager_celery, django_capture_on_commit_callbacks
):
    me = people.admin
    with django_capture_on_commit_callbacks(execute=True):
        response = save_roles(client_for(me), me, [Role.ADMIN, Role.BOARD])
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["admin@example.org", "second.admin@example.org"]


def test_a_save_that_changes_no_role_emails_nobody(
    people, client_for, second_admin, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        save_roles(client_for(people.admin), people.board, [Role.BOARD])
    assert mail.outbox == []


def test_an_invitation_tells_the_other_admins_with_the_roles_given(
    people, client_for, second_admin, eager_celery, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(people.admin).post(
            reverse("core:user_invite"),
            {
                "email": "new@example.org",
                "full_name": "New Person",
                "organisation": organisation.pk,
                "roles": [Role.SENDOPS],
            },
        )
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"new@example.org", "second.admin@example.org"}
    assert "has invited you" in by_recipient["new@example.org"].body
    to_admin = by_recipient["second.admin@example.org"]
    assert to_admin.subject == "Admin Person invited New Person"
    assert "as SENDOPS member" in to_admin.body


def test_roles_cannot_be_changed_in_the_admin_site(people, client_for):
    admin = client_for(people.admin)
    url = reverse("admin:core_user_change", args=[people.admin.pk])
    html = admin.get(url).content.decode()
    assert 'name="groups"' not in html and 'name="is_active"' not in html
