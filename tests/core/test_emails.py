"""Every email goes through the outbox and the worker to the mail service (issue 23): GOV.UK
Notify, stood in on loopback (tests/notify_stand_in.py), SMTP on a port nobody listens on, or
Django's in-memory backend. What the mail service does not take is tried again, then listed
for SENDOPS, never lost."""

import datetime
import socket

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from send_qa.core.emails import (
    NotDelivered,
    email_deliver,
    email_deliver_or_retry,
    email_send,
    email_send_again,
    emails_delivery_check,
    emails_lost_queue_again,
    emails_old_forget,
)
from send_qa.core.invitations import invitation_send
from send_qa.core.models import OutgoingEmail
from send_qa.core.roles import Role
from tests.factories import UserFactory
from tests.notify_stand_in import SERVICE_ID, TEMPLATE_ID

pytestmark = pytest.mark.django_db
Status = OutgoingEmail.Status
OUTBOX = "send_qa.core.emails.OutboxBackend"
IN_MEMORY = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def outbox(settings, eager_celery):
    """The outbox as the email backend, delivering to Django's in-memory one."""
    settings.EMAIL_BACKEND = OUTBOX
    settings.EMAIL_SERVICE_BACKEND = IN_MEMORY
    return settings


def invited():
    person = UserFactory(email="new.person@example.org", full_name="New Person")
    person.set_unusable_password()
    person.save()
    return person


def test_an_email_waits_in_the_outbox_until_the_work_that_caused_it_commits(
    outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        assert invitation_send(user_id=invited().pk)
    email = OutgoingEmail.objects.get()
    assert (email.kind, email.to, email.status) == (
        "invitation",
        "new.person@example.org",
        "queued",
    )
    assert "/set-password/" in email.body and "/set-password/" in email.html_body
    assert mail.outbox == []

    for callback in callbacks:
        callback()
    (sent,) = mail.outbox
    assert sent.to == ["new.person@example.org"] and sent.subject == email.subject
    assert "/set-password/" in sent.body
    assert sent.alternatives[0][1] == "text/html"
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.SENT, 1)
    assert email.sent_at is not None
    assert (email.body, email.html_body) == ("", ""), "a sent email's link is not kept"


def test_work_rolled_back_sends_nothing(outbox, django_capture_on_commit_callbacks):
    person = invited()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        invitation_send(user_id=person.pk)
        raise RuntimeError("the invitation's work failed")
    assert not OutgoingEmail.objects.exists()
    assert callbacks == [] and mail.outbox == []


def test_each_address_gets_its_own_email(outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sent = email_send(
            "skills_self_audit",
            ["a@example.org", "", "b@example.org"],
            {"audit": {"title": "Skills 2026"}, "person": {"full_name": "A"}, "url": "/x"},
        )
    assert sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]


def test_notify_gets_the_subject_and_text_with_the_template_for_the_kind(
    notify, settings, eager_celery, django_capture_on_commit_callbacks
):
    settings.NOTIFY_TEMPLATE_IDS = {"invitation": "0000aaaa-0000-0000-0000-00000000cafe"}
    settings.NOTIFY_REPLY_TO_ID = "0000bbbb-0000-0000-0000-00000000beef"
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(user_id=invited().pk)
        email_send("roles_changed_admin", "admin@example.org", roles_context())
    invitation, notice = (
        OutgoingEmail.objects.get(kind="invitation"),
        OutgoingEmail.objects.get(kind="roles_changed_admin"),
    )
    first, second = notify.received
    assert first.path == "/v2/notifications/email" and first.issuer == SERVICE_ID
    assert first.body["email_address"] == "new.person@example.org"
    assert first.body["template_id"] == "0000aaaa-0000-0000-0000-00000000cafe"
    assert first.body["email_reply_to_id"] == "0000bbbb-0000-0000-0000-00000000beef"
    assert first.body["reference"] == str(invitation.uuid)
    assert first.body["personalisation"]["subject"] == invitation.subject
    assert "/set-password/" in first.body["personalisation"]["body"]
    assert second.body["template_id"] == TEMPLATE_ID, "a kind without its own: the default"
    for email in (invitation, notice):
        email.refresh_from_db()
        assert email.status == Status.SENT and len(email.sent_as) == 36


def roles_context():
    admin = UserFactory(full_name="Admin Person")
    person = UserFactory(full_name="Changed Person")
    return {
        "person": person,
        "admin": admin,
        "changes": "Roles: added Auditor",
        "invited": False,
        "service_name": "SEND QA",
        "history_url": "http://testserver/access-log/",
    }


def test_notify_down_for_a_while_sends_at_a_later_try(
    notify, eager_celery, django_capture_on_commit_callbacks
):
    notify.answer_next(500, "Internal server error", times=2)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(user_id=invited().pk)
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts, email.failure) == (Status.SENT, 3, "")
    assert len(notify.received) == 3


def test_an_email_notify_took_whose_answer_was_lost_is_not_sent_twice(
    notify, eager_celery, django_capture_on_commit_callbacks
):
    notify.lose_next_answer()
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(user_id=invited().pk)
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts) == (Status.SENT, 2)
    assert len(notify.received) == 1, "the second try found it at Notify and sent nothing"
    assert email.sent_as == notify.taken[0]["id"]


def test_an_email_notify_took_and_then_gave_up_on_is_sent_at_the_next_try(notify):
    email = OutgoingEmail.objects.create(
        kind="invitation", to="lead@example.org", subject="Invited", body="Sign in"
    )
    notify.lose_next_answer()
    with pytest.raises(NotDelivered):
        email_deliver(email_id=email.pk)
    notify.taken[0]["status"] = "permanent-failure"
    notify.taken.append({**notify.taken[0], "email_address": "someone.else@example.org"})
    notify.taken[-1]["status"] = "delivered"
    assert email_deliver(email_id=email.pk) == Status.SENT
    assert len(notify.received) == 2
    email.refresh_from_db()
    assert email.sent_as == notify.taken[-1]["id"] != notify.taken[0]["id"]


def test_notify_down_for_every_try_leaves_it_listed_as_not_sent(
    notify, settings, eager_celery, django_capture_on_commit_callbacks
):
    notify.answer_next(503, "Service unavailable", times=10)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(user_id=invited().pk)
    email = OutgoingEmail.objects.get()
    assert email.status == Status.FAILED
    assert email.attempts == len(settings.EMAIL_RETRY_AFTER) + 1 == 5
    assert email.failure == "GOV.UK Notify could not be reached (Service unavailable)."
    assert "/set-password/" in email.body, "kept, to be sent again"


def test_an_address_notify_refuses_is_not_tried_again(
    notify, eager_celery, django_capture_on_commit_callbacks
):
    notify.answer_next(400, "Can't send to this recipient using a team-only API key")
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(user_id=invited().pk)
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts) == (Status.FAILED, 1)
    assert email.failure == (
        "GOV.UK Notify refused the email: Can't send to this recipient using a team-only API key"
    )


def test_a_key_notify_refuses_is_named(
    notify, settings, eager_celery, django_capture_on_commit_callbacks
):
    settings.NOTIFY_API_KEY = f"wrong-{SERVICE_ID}-{'0' * 8}-0000-0000-0000-{'0' * 12}"
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(user_id=invited().pk)
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts) == (Status.FAILED, 1)
    assert email.failure.startswith("GOV.UK Notify refused the portal's API key")


def test_an_smtp_server_that_does_not_answer_is_tried_again_then_named(
    outbox, settings, django_capture_on_commit_callbacks
):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    settings.EMAIL_SERVICE_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(user_id=invited().pk)
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts) == (Status.FAILED, 5)
    assert email.failure.startswith("The mail server could not be reached (")


def failed_email(**fields) -> OutgoingEmail:
    values = {
        "kind": "action_reminder",
        "to": "lead@example.org",
        "subject": "Your actions this week",
        "body": "Sign in at http://testserver/secret-link/ to see them",
        "status": Status.FAILED,
        "attempts": 5,
        "failure": "GOV.UK Notify could not be reached (Service unavailable).",
        **fields,
    }
    return OutgoingEmail.objects.create(**values)


def test_sendops_and_admins_are_told_on_their_home_page_and_see_why(people, client_for):
    failed_email()
    failed_email(to="other@example.org", status=Status.SENT)
    for person in (people.sendops, people.admin):
        home = client_for(person).get(reverse("dashboard:home")).content.decode()
        assert "1 email could not be sent" in home
        assert reverse("core:emails_not_sent") in home
    for person in (people.board, people.auditor):
        assert "could not be sent" not in client_for(person).get("/").content.decode()
    page = client_for(people.sendops).get(reverse("core:emails_not_sent")).content.decode()
    assert "1 email not sent" in page and "lead@example.org" in page
    assert "Your actions this week" in page
    assert "GOV.UK Notify could not be reached (Service unavailable)." in page
    assert "secret-link" not in page, "never an email's text: it may hold a sign-in link"
    assert "other@example.org" not in page


def test_an_email_sent_again_is_delivered_and_says_who_sent_it(
    people, client_for, notify, eager_celery, django_capture_on_commit_callbacks
):
    email = failed_email()
    client = client_for(people.sendops)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:email_send_again", args=[email.uuid]), follow=True)
    assert "will be sent again" in response.content.decode()
    email.refresh_from_db()
    assert (email.status, email.attempts, email.sent_again_by) == (
        Status.SENT,
        1,
        people.sendops,
    )
    assert notify.received[0].body["email_address"] == "lead@example.org"
    again = client.post(reverse("core:email_send_again", args=[email.uuid]), follow=True)
    assert "was not waiting to be sent again" in again.content.decode()
    assert len(notify.received) == 1


def test_an_email_whose_job_was_lost_is_queued_again(outbox, settings):
    hours_ago = timezone.now() - datetime.timedelta(hours=4)
    lost = failed_email(status=Status.QUEUED, attempts=0, queued_at=hours_ago)
    waiting = failed_email(status=Status.QUEUED, attempts=1, queued_at=timezone.now())
    assert emails_lost_queue_again() == 1
    lost.refresh_from_db()
    waiting.refresh_from_db()
    assert (lost.status, waiting.status) == (Status.SENT, Status.QUEUED)
    assert [m.to for m in mail.outbox] == [["lead@example.org"]]


def test_a_job_run_twice_sends_once(outbox):
    email = failed_email(status=Status.QUEUED, attempts=0)
    assert email_deliver_or_retry(email_id=email.pk) == Status.SENT
    assert email_deliver_or_retry(email_id=email.pk) == "gone"
    assert len(mail.outbox) == 1


def test_emails_are_forgotten_90_days_after_they_were_sent_or_given_up_on(settings):
    now = timezone.now()
    days = datetime.timedelta(days=1)
    sent_long_ago = failed_email(status=Status.SENT, sent_at=now - 91 * days)
    sent_lately = failed_email(status=Status.SENT, sent_at=now - 89 * days)
    given_up_long_ago = failed_email(queued_at=now - 91 * days)
    given_up_lately = failed_email(queued_at=now - 89 * days)
    waiting = failed_email(status=Status.QUEUED, queued_at=now - 91 * days)
    assert emails_old_forget(now=now) == 2
    assert set(OutgoingEmail.objects.values_list("pk", flat=True)) == {
        sent_lately.pk,
        given_up_lately.pk,
        waiting.pk,
    }
    assert "forget_old_emails" in settings.CELERY_BEAT_SCHEDULE["forget-old-emails"]["task"]
    assert not {sent_long_ago.pk, given_up_long_ago.pk} & set(
        OutgoingEmail.objects.values_list("pk", flat=True)
    )


def test_a_password_reset_goes_through_the_outbox_as_its_own_kind(
    outbox, client, django_capture_on_commit_callbacks
):
    UserFactory(email="forgetful@example.org", roles=[Role.AUDITOR])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "forgetful@example.org"})
    email = OutgoingEmail.objects.get()
    assert (email.kind, email.status) == ("password_reset", Status.SENT)
    assert "/password-reset/" in mail.outbox[0].body


def test_notify_s_receipt_of_delivery_empties_the_kept_text(
    notify, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(user_id=invited().pk)
    email = OutgoingEmail.objects.get()
    assert email.status == Status.SENT and "/set-password/" in email.body, "kept until delivered"
    notify.taken[0]["status"] = "sending"
    assert emails_delivery_check() == {"delivered": 0, "not delivered": 0, "waiting": 1}
    notify.taken[0]["status"] = "delivered"
    assert emails_delivery_check() == {"delivered": 1, "not delivered": 0, "waiting": 0}
    email.refresh_from_db()
    assert email.delivered_at is not None and (email.body, email.html_body) == ("", "")
    assert emails_delivery_check() == {"delivered": 0, "not delivered": 0, "waiting": 0}


def test_an_email_notify_could_not_deliver_is_listed_as_not_sent_and_can_be_sent_again(
    notify, people, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(user_id=invited().pk)
    notify.taken[0]["status"] = "permanent-failure"
    assert emails_delivery_check()["not delivered"] == 1
    email = OutgoingEmail.objects.get()
    assert email.status == Status.FAILED
    assert email.failure == (
        "GOV.UK Notify could not deliver it: the address does not exist or the provider blocked it."
    )
    with django_capture_on_commit_callbacks(execute=True):
        email_send_again(email_uuid=str(email.uuid), by=people.sendops)
    email.refresh_from_db()
    assert email.status == Status.SENT and len(notify.received) == 2
    assert (
        notify.received[1].body["personalisation"]["body"]
        == notify.received[0].body["personalisation"]["body"]
    )


def test_an_email_notify_is_still_trying_after_four_days_is_asked_about_no_more(
    notify, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(user_id=invited().pk)
    notify.taken[0]["status"] = "sending"
    later = timezone.now() + datetime.timedelta(days=5)
    assert emails_delivery_check(now=later) == {"delivered": 0, "not delivered": 0, "waiting": 0}
    email = OutgoingEmail.objects.get()
    assert (email.status, email.body, email.delivered_at) == (Status.SENT, "", None)


def test_a_mail_service_without_receipts_empties_the_text_once_sent(
    outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email_send("roles_changed_admin", "admin@example.org", roles_context())
    email = OutgoingEmail.objects.get()
    assert (email.status, email.body) == (Status.SENT, "")
    assert emails_delivery_check() == {"delivered": 0, "not delivered": 0, "waiting": 0}


def test_a_kept_text_goes_after_four_days_also_once_the_mail_service_gives_no_receipts(outbox):
    """Sent through Notify, kept for its receipt; then the service changed to one without."""
    sent_at = timezone.now() - datetime.timedelta(days=5)
    kept = OutgoingEmail.objects.create(
        kind="invitation",
        to="lead@example.org",
        subject="Invited",
        body="Sign in: /set-password/",
        status=Status.SENT,
        sent_at=sent_at,
        sent_as="notify-id",
    )
    assert emails_delivery_check() == {"delivered": 0, "not delivered": 0, "waiting": 0}
    kept.refresh_from_db()
    assert (kept.status, kept.body) == (Status.SENT, "")
