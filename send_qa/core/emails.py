"""Every email the portal sends, in one place (issue 23): rendered from its templates, kept in
the outbox in the transaction of what caused it, and handed to the mail service by the worker.

- `email_send(kind, to, context)` renders `templates/emails/<kind>_subject.txt`, `<kind>.txt`
  and, where there is one, `<kind>.html`, and sends one message to each address through
  Django's EMAIL_BACKEND.
- In production that backend is the outbox (`OutboxBackend`): each message becomes an
  `OutgoingEmail`, and once the transaction commits the worker delivers it through the mail
  service EMAIL_SERVICE names (GOV.UK Notify, SMTP or the console: `send_qa.core.notify`,
  Django's own backends). Nothing is sent for work that was rolled back, and nothing is lost
  when the mail service is down: a failure that may pass is tried again (EMAIL_RETRY_AFTER);
  one that cannot (an address Notify refuses, a wrong key), or the last try, leaves the
  email "not sent", listed for SENDOPS to send again (`emails_not_sent`, `email_send_again`).
- A mail service that gives receipts (Notify) is asked later what became of each email it
  took (`emails_delivery_check`): one it could not deliver (no such address, a full inbox) is
  listed "not sent" as well, its text kept until then so that it can be sent again.
- The tests keep Django's in-memory backend, so `mail.outbox` holds what would be sent.
"""

import datetime
import logging
import smtplib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from send_qa.core.models import OutgoingEmail, User

Status = OutgoingEmail.Status

# A queued email whose worker job was lost (a broker restarted) is queued again after this.
LOST_AFTER = datetime.timedelta(minutes=15)
# Emails are kept for this long (a sent one without its text), then removed (docs/retention.md).
KEPT_FOR = datetime.timedelta(days=90)
# Notify tries an email for up to 72 hours; its receipt is asked for this long after sending.
RECEIPTS_FOR = datetime.timedelta(days=4)
DELIVERED = "delivered"
logger = logging.getLogger(__name__)


def email_send(kind: str, to: str | Iterable[str], context: dict[str, Any]) -> int:
    """Send the email `kind` to each address (one message each); returns how many."""
    addresses = [to] if isinstance(to, str) else [address for address in to if address]
    if not addresses:
        return 0
    subject = " ".join(render_to_string(f"emails/{kind}_subject.txt", context).split())
    body = render_to_string(f"emails/{kind}.txt", context)
    try:
        html: str | None = get_template(f"emails/{kind}.html").render(context)
    except TemplateDoesNotExist:
        html = None
    messages = []
    for address in addresses:
        message = EmailMultiAlternatives(subject, body, None, [address])
        if html is not None:
            message.attach_alternative(html, "text/html")
        message.send_qa_kind = kind  # type: ignore[attr-defined]  # read by the outbox and Notify
        messages.append(message)
    sent: int = get_connection().send_messages(messages) or 0
    return sent


def _html_of(message: EmailMessage) -> str:
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            return str(content)
    return ""


class OutboxBackend(BaseEmailBackend):
    """Django's EMAIL_BACKEND in production: keeps each message, to each address, as an
    `OutgoingEmail` and queues its delivery for when the transaction commits."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        kept = OutgoingEmail.objects.bulk_create(
            OutgoingEmail(
                kind=getattr(message, "send_qa_kind", "") or "other",
                to=address,
                subject=str(message.subject)[:300],
                body=str(message.body),
                html_body=_html_of(message),
            )
            for message in email_messages
            for address in message.to
        )
        for email in kept:
            transaction.on_commit(partial(_queue_delivery, email.pk))
        return len(kept)


def _queue_delivery(email_id: int, countdown: int | None = None) -> None:
    deliver_email.apply_async((email_id,), countdown=countdown)


class NotDelivered(Exception):
    """The mail service did not take the email: why, in plain words, and whether another try
    may succeed (the service down or busy) or cannot (the address or the key refused)."""

    def __init__(self, reason: str, *, may_pass: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.may_pass = may_pass
        self.attempts = 0  # the email's tries so far, this one included


def _why_not(error: Exception) -> NotDelivered:
    if isinstance(error, NotDelivered):
        return error
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return NotDelivered("The mail server refused the address.", may_pass=False)
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return NotDelivered(
            "The mail server refused the portal's sign-in: check EMAIL_HOST_USER and "
            "EMAIL_HOST_PASSWORD.",
            may_pass=False,
        )
    if isinstance(error, (smtplib.SMTPException, OSError)):
        return NotDelivered(f"The mail server could not be reached ({error}).", may_pass=True)
    return NotDelivered(f"The email could not be sent ({type(error).__name__}).", may_pass=True)


def _handed_over(email: OutgoingEmail) -> str:
    """Give the email to the mail service; returns the service's id for it, if it gives one."""
    message = EmailMultiAlternatives(email.subject, email.body, None, [email.to])
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    message.send_qa_kind = email.kind  # type: ignore[attr-defined]
    message.send_qa_reference = str(email.uuid)  # type: ignore[attr-defined]
    message.send_qa_attempt = email.attempts  # type: ignore[attr-defined]
    get_connection(settings.EMAIL_SERVICE_BACKEND).send_messages([message])
    return str(getattr(message, "sent_as", ""))[:100]


def email_deliver(*, email_id: int) -> str:
    """Hand one queued email to the mail service; returns its status afterwards ("gone" when
    it is no longer waiting). Raises NotDelivered when the service did not take it.

    The row stays locked while the service is asked, so a job run twice sends it once."""
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update()
            .filter(pk=email_id, status=Status.QUEUED)
            .first()
        )
        if email is None:
            return "gone"
        email.attempts += 1
        try:
            email.sent_as = _handed_over(email)
        except Exception as error:  # noqa: BLE001 - every failure is recorded, none lost
            not_delivered = _why_not(error)
            not_delivered.attempts = email.attempts
            email.failure = not_delivered.reason[:300]
            email.save(update_fields=["attempts", "failure"])
        else:
            email.status, email.sent_at, email.failure = Status.SENT, timezone.now(), ""
            if not (email.sent_as and _receipts()):
                email.body = email.html_body = ""  # kept until delivered, to be sent again
            email.save()
            return email.status
    raise not_delivered


def tries_allowed() -> int:
    return len(settings.EMAIL_RETRY_AFTER) + 1


def retry_delay(tries_so_far: int) -> int | None:
    """Seconds before the next try after `tries_so_far` failed ones, or None: no more tries."""
    if tries_so_far >= tries_allowed():
        return None
    return int(settings.EMAIL_RETRY_AFTER[tries_so_far - 1])


def email_deliver_or_retry(*, email_id: int) -> str:
    """The worker's job: deliver the email; after a failure that may pass, queue another try
    (EMAIL_RETRY_AFTER), else give up on it (`email_not_sent`). Returns its status afterwards."""
    try:
        return email_deliver(email_id=email_id)
    except NotDelivered as not_delivered:
        delay = retry_delay(not_delivered.attempts) if not_delivered.may_pass else None
        if delay is None:
            email_not_sent(email_id=email_id, reason=not_delivered.reason)
            return Status.FAILED
        _queue_delivery(email_id, countdown=delay)
        return Status.QUEUED


@shared_task
def deliver_email(email_id: int) -> str:
    """The worker's job for one email in the outbox. Here, not in send_qa.core.tasks: the
    outbox queues it, and the modules that send emails are imported by the task module."""
    return email_deliver_or_retry(email_id=email_id)


def email_not_sent(*, email_id: int, reason: str) -> None:
    """Give up on an email: it is listed for SENDOPS as not sent, with why."""
    OutgoingEmail.objects.filter(pk=email_id, status=Status.QUEUED).update(
        status=Status.FAILED, failure=reason[:300]
    )


def _receipts() -> Callable[[str], str | None] | None:
    """The mail service's receipts (Notify's `delivery`), or None for one that gives none."""
    return getattr(get_connection(settings.EMAIL_SERVICE_BACKEND), "delivery", None)


def emails_delivery_check(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Ask the mail service what became of each email it took in the last RECEIPTS_FOR and
    has not said yet (run by beat every 15 minutes). Delivered: its text is emptied. Given up
    on: it is listed for SENDOPS as not sent, with why, and may be sent again. Still trying
    after RECEIPTS_FOR: its text is emptied and it is asked about no more."""
    now = now or timezone.now()
    counted = {"delivered": 0, "not delivered": 0, "waiting": 0}
    waiting = OutgoingEmail.objects.filter(
        status=Status.SENT, delivered_at__isnull=True, sent_at__isnull=False
    ).exclude(sent_as="")
    # Also when the mail service has changed since to one without receipts: no text is kept
    # longer than this for a receipt.
    waiting.filter(sent_at__lt=now - RECEIPTS_FOR).exclude(body="").update(body="", html_body="")
    delivery = _receipts()
    if delivery is None:
        return counted
    for email in waiting.filter(sent_at__gte=now - RECEIPTS_FOR).exclude(body=""):
        try:
            said = delivery(email.sent_as)
        except Exception:  # noqa: BLE001 - asked again at the next check
            logger.warning("The mail service gave no receipt for email %s", email.uuid)
            counted["waiting"] += 1
            continue
        if said is None:
            counted["waiting"] += 1
        elif said == DELIVERED:
            OutgoingEmail.objects.filter(pk=email.pk, status=Status.SENT).update(
                delivered_at=now, body="", html_body=""
            )
            counted["delivered"] += 1
        else:
            OutgoingEmail.objects.filter(pk=email.pk, status=Status.SENT).update(
                status=Status.FAILED, failure=said[:300]
            )
            counted["not delivered"] += 1
    return counted


def emails_not_sent() -> QuerySet[OutgoingEmail]:
    """The emails SENDOPS should know about, newest first: those given up on."""
    return OutgoingEmail.objects.filter(status=Status.FAILED).order_by("-queued_at", "-pk")


def emails_not_sent_count() -> int:
    return emails_not_sent().count()


@dataclass(frozen=True)
class SentAgain:
    email: OutgoingEmail
    queued: bool  # False: it was not waiting to be sent again (sent already, or removed)


def email_send_again(*, email_uuid: str, by: User) -> SentAgain | None:
    """Queue an email that was not sent for another round of tries; None when there is no
    such email."""
    email = OutgoingEmail.objects.filter(uuid=email_uuid).first()
    if email is None:
        return None
    queued = bool(
        OutgoingEmail.objects.filter(pk=email.pk, status=Status.FAILED).update(
            status=Status.QUEUED,
            attempts=0,
            queued_at=timezone.now(),
            sent_again_by=by,
            sent_again_at=timezone.now(),
        )
    )
    if queued:
        transaction.on_commit(lambda: _queue_delivery(email.pk))
    email.refresh_from_db()
    return SentAgain(email=email, queued=queued)


def emails_lost_queue_again(*, now: datetime.datetime | None = None) -> int:
    """Queue again the emails waiting longer than their tries allow (their job was lost);
    returns how many. Run by beat every few minutes."""
    now = now or timezone.now()
    waited = sum(settings.EMAIL_RETRY_AFTER) + LOST_AFTER.total_seconds()
    lost = list(
        OutgoingEmail.objects.filter(
            status=Status.QUEUED, queued_at__lt=now - datetime.timedelta(seconds=waited)
        ).values_list("pk", flat=True)
    )
    for pk in lost:
        _queue_delivery(pk)
    return len(lost)


def emails_old_forget(*, now: datetime.datetime | None = None) -> int:
    """Remove the emails sent more than KEPT_FOR ago, and those not sent that were queued
    that long ago (a reminder that old is of no use); returns how many."""
    now = now or timezone.now()
    before = now - KEPT_FOR
    removed, _ = OutgoingEmail.objects.filter(
        Q(status=Status.SENT, sent_at__lt=before) | Q(status=Status.FAILED, queued_at__lt=before)
    ).delete()
    return removed
