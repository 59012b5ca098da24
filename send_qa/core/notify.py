"""GOV.UK Notify as the portal's mail service (EMAIL_SERVICE=notify), through GOV.UK's own
client, notifications-python-client.

Each kind of email may have its own Notify template (NOTIFY_TEMPLATE_IDS, from the
NOTIFY_TEMPLATE_ID_<KIND> variables), else the one NOTIFY_TEMPLATE_ID names. Every template
gets the email's subject and plain text as its `subject` and `body` placeholders, so a
template whose subject is ((subject)) and whose message is ((body)) sends what SMTP would;
a council may word one of its own around them. The outbox's id goes as Notify's `reference`.

A refusal names its cause in plain words and says whether another try may succeed: Notify
down or busy (5xx, 429, no answer) may pass; an address or key it refuses (400, 403) cannot.

Notify says later whether each email reached the inbox: `delivery` reads it for the outbox's
receipts check (send_qa.core.emails.emails_delivery_check).

Notify may take an email and its answer still be lost on the way back (a timeout, a proxy's
502). So a second or later try first asks Notify for the emails it holds with the outbox's
reference, and sends nothing when it took this one already (and has not given up on it).
"""

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from send_qa.core.emails import DELIVERED, NotDelivered

# Notify's statuses for an email it will not deliver (another try should send it again), in
# the words its documentation uses for them.
GIVEN_UP = {
    "permanent-failure": "the address does not exist or the provider blocked it.",
    "temporary-failure": "the inbox was full or the provider did not answer for 72 hours.",
    "technical-failure": "Notify had a problem sending it.",
    "validation-failed": "Notify could not send an email like this one.",
}


def template_for(kind: str) -> str:
    """The Notify template an email of this kind is sent with."""
    return settings.NOTIFY_TEMPLATE_IDS.get(kind) or settings.NOTIFY_TEMPLATE_ID


def _refusal_words(error: APIError) -> str:
    message = error.message
    if isinstance(message, list):
        message = "; ".join(str(item.get("message", item)) for item in message)
    return str(message)


def _not_delivered(error: APIError) -> NotDelivered:
    status = error.status_code
    said = _refusal_words(error)
    if status == 403:
        return NotDelivered(
            f"GOV.UK Notify refused the portal's API key: check NOTIFY_API_KEY ({said}).",
            may_pass=False,
        )
    if status == 429:
        return NotDelivered(f"GOV.UK Notify asked the portal to slow down ({said}).", may_pass=True)
    if status >= 500:
        return NotDelivered(f"GOV.UK Notify could not be reached ({said}).", may_pass=True)
    return NotDelivered(f"GOV.UK Notify refused the email: {said}", may_pass=False)


class NotifyBackend(BaseEmailBackend):
    """A Django email backend that sends each message's plain text through GOV.UK Notify."""

    def __init__(self, fail_silently: bool = False, **kwargs: object) -> None:
        super().__init__(fail_silently=fail_silently)
        self.client = NotificationsAPIClient(
            settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL, timeout=20
        )

    def _already_taken(self, reference: str | None, address: str) -> str | None:
        """Notify's id of an email it took with this reference for this address on an earlier
        try, unless it has given up on it since; None when it holds none."""
        if not reference:
            return None
        held = self.client.get_all_notifications(reference=reference).get("notifications", [])
        for notification in held:
            same_address = str(notification.get("email_address", "")).lower() == address.lower()
            if same_address and notification.get("status") not in GIVEN_UP:
                return str(notification.get("id", ""))
        return None

    def delivery(self, sent_as: str) -> str | None:
        """What Notify says became of an email it took: DELIVERED, or why it gave up on it in
        plain words, or None while it is still trying (up to 72 hours)."""
        status = str(self.client.get_notification_by_id(sent_as).get("status", ""))
        if status == "delivered":
            return DELIVERED
        if status in GIVEN_UP:
            return f"GOV.UK Notify could not deliver it: {GIVEN_UP[status]}"
        return None

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            kind = getattr(message, "send_qa_kind", "")
            reference = getattr(message, "send_qa_reference", None)
            tried_before = getattr(message, "send_qa_attempt", 1) > 1
            for address in message.to:
                try:
                    taken = self._already_taken(reference, address) if tried_before else None
                    if taken is not None:
                        message.sent_as = taken  # type: ignore[attr-defined]
                        sent += 1
                        continue
                    answer = self.client.send_email_notification(
                        email_address=address,
                        template_id=template_for(kind),
                        personalisation={"subject": message.subject, "body": message.body},
                        reference=reference,
                        email_reply_to_id=settings.NOTIFY_REPLY_TO_ID or None,
                    )
                except APIError as error:
                    if self.fail_silently:
                        continue
                    raise _not_delivered(error) from error
                message.sent_as = answer.get("id", "")  # type: ignore[attr-defined]
                sent += 1
        return sent
