"""A real Celery worker delivers the outbox's emails to GOV.UK Notify (stood in on loopback)
through the real Redis broker, and tries again when Notify fails (issue 23)."""

import time

import pytest

from send_qa.core.emails import emails_delivery_check
from send_qa.core.invitations import invitation_send
from send_qa.core.models import OutgoingEmail
from tests.factories import UserFactory
from tests.notify_stand_in import API_KEY, TEMPLATE_ID

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_the_worker_sends_through_notify_and_tries_again_after_a_failure(notify, workers):
    workers(
        EMAIL_SERVICE="notify",
        NOTIFY_API_KEY=API_KEY,
        NOTIFY_TEMPLATE_ID=TEMPLATE_ID,
        NOTIFY_BASE_URL=notify.url,
        EMAIL_RETRY_AFTER="1,1,1,1",
    )
    notify.answer_next(500, "Internal server error", times=2)
    person = UserFactory(email="new.person@example.org")
    person.set_unusable_password()
    person.save()
    invitation_send(user_id=person.pk)  # queued when this test's transaction commits

    email = OutgoingEmail.objects.get()
    deadline = time.monotonic() + 60
    while email.status == OutgoingEmail.Status.QUEUED and time.monotonic() < deadline:
        time.sleep(0.1)
        email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.SENT, 3), email.failure
    assert [r.body["email_address"] for r in notify.received] == ["new.person@example.org"] * 3
    assert notify.received[-1].body["reference"] == str(email.uuid)
    assert "/set-password/" in email.body, "kept until Notify says it was delivered"
    notify.taken[-1]["status"] = "delivered"
    assert emails_delivery_check()["delivered"] == 1
    email.refresh_from_db()
    assert email.body == "", "a delivered email's link is not kept"
