import re

import pytest
from django.core import mail
from django.urls import reverse

from send_qa.core.forms import InviteUserForm
from send_qa.core.models import AccessEvent, User
from send_qa.core.roles import Role
from tests.factories import OrganisationFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
Kind = AccessEvent.Kind


@pytest.fixture
def admin_client(people, client_for):
    return client_for(people.admin)


def invite(admin_client, **overrides):
    organisation = OrganisationFactory(name="Testshire SEND Service")
    team = TeamFactory(organisation=organisation, name="North casework")
    data = {
        "email": "New.Person@Example.org",
        "full_name": "New Person",
        "job_title": "EHC coordinator",
        "organisation": organisation.pk,
        "team": team.pk,
        "roles": [Role.CASEWORKER, Role.AUDITOR],
    }
    data.update(overrides)
    return admin_client.post(reverse("core:user_invite"), data)


def test_invitation_creates_the_account_and_emails_a_set_password_link(
    admin_client, people, eager_celery, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(admin_client)
    user = User.objects.get(email="new.person@example.org")
    assert response["Location"] == reverse("core:user_detail", kwargs={"user_uuid": user.uuid})
    assert user.roles == {Role.CASEWORKER, Role.AUDITOR}
    assert user.invited_by == people.admin
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert "Admin Person has invited you" in message.body
    link = re.search(r"https?://[^/]+(/set-password/\S+/)", message.body).group(1)

    page = client.get(link, follow=True)
    assert "Set your password" in page.content.decode()
    password = "my-own-long-password-1"
    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert response["Location"] == reverse("core:set_password_done")
    user.refresh_from_db()
    assert user.check_password(password)
    # The link works once.
    assert "has expired or has already been used" in client.get(link, follow=True).content.decode()


def test_invitation_is_only_sent_once_the_account_is_saved(
    admin_client, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invite(admin_client)
    assert mail.outbox == []
    assert len(callbacks) == 2  # the invitation, and the notice to the other admins


def test_invitation_refuses_an_email_already_in_use(admin_client, people):
    response = invite(admin_client, email=people.board.email.upper())
    assert response.status_code == 200
    assert "already has an account" in response.content.decode()
    assert User.objects.filter(email__iexact=people.board.email).count() == 1


def test_invitation_refuses_a_team_of_another_organisation(admin_client):
    other_team = TeamFactory(name="Elsewhere team")
    response = invite(admin_client, team=other_team.pk)
    assert response.status_code == 200
    assert "Select a team in Testshire SEND Service" in response.content.decode()
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_invitation_names_every_missing_field(admin_client):
    response = admin_client.post(reverse("core:user_invite"), {})
    html = response.content.decode()
    for message in [
        "Enter the person&#x27;s work email address",
        "Enter the person&#x27;s full name",
        "Select an organisation",
    ]:
        assert message in html


@pytest.mark.parametrize(
    ("roles", "with_team", "problems"),
    [
        ([], True, {"roles": ["Select at least one role"]}),
        (
            [Role.CASEWORKER, Role.AUDITOR],
            False,
            {"team": ["Select a team: a caseworker with no team cannot see any plans"]},
        ),
        ([Role.CASEWORKER], True, {}),
        ([Role.ACTION_OWNER], False, {}),
    ],
)
def test_the_invitation_rule_for_roles_and_team(roles, with_team, problems):
    team = TeamFactory()
    form = InviteUserForm(
        {
            "email": "someone@example.org",
            "full_name": "Someone",
            "organisation": team.organisation_id,
            "team": team.pk if with_team else "",
            "roles": roles,
        }
    )
    assert form.errors == problems


def test_invitation_requires_a_role_linked_from_the_error_summary(admin_client):
    response = invite(admin_client, roles=[])
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_roles_1">Select at least one role</a>' in html
    assert 'id="id_roles_1"' in html
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_a_caseworker_cannot_be_invited_without_a_team(admin_client):
    response = invite(admin_client, team="", roles=[Role.CASEWORKER])
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<a href="#id_team">Select a team: a caseworker with no team cannot see any plans</a>'
        in html
    )
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_other_roles_may_have_no_team(admin_client):
    response = invite(admin_client, team="", roles=[Role.AUDITOR, Role.BOARD])
    assert response.status_code == 302
    assert User.objects.get(email="new.person@example.org").team is None


def test_editing_a_person_keeps_at_least_one_role_and_a_caseworkers_team(admin_client, people):
    person = people.caseworker
    url = reverse("core:user_detail", kwargs={"user_uuid": person.uuid})
    details = {"full_name": person.full_name, "organisation": person.organisation_id}
    html = admin_client.post(url, {**details, "team": person.team_id}).content.decode()
    assert "Select at least one role" in html
    html = admin_client.post(
        url, {**details, "team": "", "roles": [Role.CASEWORKER]}
    ).content.decode()
    assert "a caseworker with no team cannot see any plans" in html
    person.refresh_from_db()
    assert person.team_id is not None and person.roles == {Role.CASEWORKER}


def test_admin_changes_roles_and_the_change_is_in_the_history(admin_client, people):
    person = people.caseworker
    response = admin_client.post(
        reverse("core:user_detail", kwargs={"user_uuid": person.uuid}),
        {
            "full_name": "Renamed Caseworker",
            "job_title": "",
            "organisation": person.organisation_id,
            "team": person.team_id,
            "roles": [Role.CASEWORKER, Role.ACTION_OWNER],
        },
    )
    assert response.status_code == 302
    person = User.objects.get(pk=person.pk)
    assert person.roles == {Role.CASEWORKER, Role.ACTION_OWNER}
    latest = person.history.first()
    assert latest.full_name == "Renamed Caseworker"
    assert latest.history_user == people.admin


def test_admins_cannot_remove_their_own_admin_role(admin_client, people):
    me = people.admin
    response = admin_client.post(
        reverse("core:user_detail", kwargs={"user_uuid": me.uuid}),
        {"full_name": me.full_name, "organisation": me.organisation_id, "roles": [Role.SENDOPS]},
    )
    assert response.status_code == 200
    assert "You cannot remove your own admin role" in response.content.decode()
    me.refresh_from_db()
    assert me.has_role(Role.ADMIN)


def test_deactivate_then_reactivate(admin_client, people):
    person = people.board
    url = reverse("core:user_deactivate", kwargs={"user_uuid": person.uuid})
    assert "Deactivate" in admin_client.get(url).content.decode()
    admin_client.post(url)
    person.refresh_from_db()
    assert not person.is_active
    admin_client.post(reverse("core:user_reactivate", kwargs={"user_uuid": person.uuid}))
    person.refresh_from_db()
    assert person.is_active


def test_admins_cannot_deactivate_themselves(admin_client, people):
    admin_client.post(reverse("core:user_deactivate", kwargs={"user_uuid": people.admin.uuid}))
    people.admin.refresh_from_db()
    assert people.admin.is_active


def test_resend_invitation_only_for_people_without_a_password(
    admin_client, people, eager_celery, django_capture_on_commit_callbacks
):
    pending = UserFactory(email="pending@example.org", password=None)
    pending.set_unusable_password()
    pending.save()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("core:user_resend_invitation", kwargs={"user_uuid": pending.uuid})
        )
        admin_client.post(
            reverse("core:user_resend_invitation", kwargs={"user_uuid": people.board.uuid})
        )
    assert [m.to for m in mail.outbox] == [["pending@example.org"]]


def test_user_list_filters_by_role_and_name(admin_client, people):
    html = admin_client.get(reverse("core:user_list"), {"role": Role.BOARD}).content.decode()
    assert people.board.email in html
    assert people.sendops.email not in html
    html = admin_client.get(reverse("core:user_list"), {"q": "auditor"}).content.decode()
    assert people.auditor.email in html
    assert people.board.email not in html


def test_user_list_runs_a_fixed_number_of_queries(admin_client, people, django_assert_num_queries):
    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(reverse("core:user_list")).status_code == 200
        return len(ctx.captured_queries)

    few = count_queries()
    team = TeamFactory()
    for _ in range(30):
        UserFactory(organisation=team.organisation, team=team, roles=[Role.AUDITOR, Role.BOARD])
    assert count_queries() == few


def test_user_list_is_paginated(admin_client, people):
    for _ in range(30):
        UserFactory()
    first = admin_client.get(reverse("core:user_list")).content.decode()
    assert "Page 1 of 2" in first
    second = admin_client.get(reverse("core:user_list"), {"page": 2}).content.decode()
    assert "Page 2 of 2" in second


def account_events(person):
    events = AccessEvent.objects.filter(reference=str(person.uuid), record="user").order_by("pk")
    return [(e.kind, e.user, e.details) for e in events]


def test_an_invitation_is_in_the_access_log_with_its_roles_and_team(admin_client, people):
    invite(admin_client)
    person = User.objects.get(email="new.person@example.org")
    assert account_events(person) == [
        (
            Kind.USER_INVITED,
            people.admin,
            "new.person@example.org, as Auditor or moderator, Caseworker, "
            "in North casework (Testshire SEND Service)",
        )
    ]


def test_changes_to_roles_and_team_are_in_the_access_log_in_words(admin_client, people):
    person = people.caseworker
    old_team = person.team
    new_team = TeamFactory(organisation=person.organisation, name="South casework")
    url = reverse("core:user_detail", kwargs={"user_uuid": person.uuid})
    details = {"full_name": person.full_name, "organisation": person.organisation_id}
    admin_client.post(
        url, {**details, "team": new_team.pk, "roles": [Role.CASEWORKER, Role.SENDOPS]}
    )
    assert account_events(person) == [
        (Kind.ROLES_CHANGED, people.admin, "added SENDOPS member"),
        (Kind.TEAM_CHANGED, people.admin, f"from {old_team} to {new_team}"),
    ]
    # Saving again without a change adds nothing.
    admin_client.post(
        url, {**details, "team": new_team.pk, "roles": [Role.CASEWORKER, Role.SENDOPS]}
    )
    assert len(account_events(person)) == 2
    page = admin_client.get(reverse("core:access_log"), {"account": person.uuid}).content.decode()
    assert f"Changed the roles of {person.full_name}: added SENDOPS member" in page
    assert f"Changed the team of {person.full_name}: from {old_team} to {new_team}" in page


def test_deactivating_and_reactivating_are_in_the_access_log(admin_client, people):
    person = people.board
    admin_client.post(reverse("core:user_deactivate", kwargs={"user_uuid": person.uuid}))
    admin_client.post(reverse("core:user_reactivate", kwargs={"user_uuid": person.uuid}))
    # Reactivating an active account changes nothing, and logs nothing.
    admin_client.post(reverse("core:user_reactivate", kwargs={"user_uuid": person.uuid}))
    assert account_events(person) == [
        (Kind.ACCOUNT_DEACTIVATED, people.admin, ""),
        (Kind.ACCOUNT_REACTIVATED, people.admin, ""),
    ]
    # Opening the confirmation page logs nothing either.
    admin_client.get(reverse("core:user_deactivate", kwargs={"user_uuid": person.uuid}))
    assert len(account_events(person)) == 2
