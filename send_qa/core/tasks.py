"""Background jobs of the core app: thin wrappers that take ids and call plain functions."""

from celery import shared_task

from send_qa.core.emails import (
    emails_delivery_check,
    emails_lost_queue_again,
    emails_old_forget,
)
from send_qa.core.exports import export_make, exports_remove_expired
from send_qa.core.invitations import invitation_send
from send_qa.core.once import submitted_forms_forget
from send_qa.core.role_notices import roles_changed_tell
from send_qa.core.staging import staged_forget


@shared_task
def send_invitation(user_id: int) -> bool:
    return invitation_send(user_id=user_id)


@shared_task
def send_roles_changed(person_id: int, admin_id: int, changes: str, invited: bool = False) -> int:
    return roles_changed_tell(
        person_id=person_id, admin_id=admin_id, changes=changes, invited=invited
    )


@shared_task
def queue_lost_emails_again() -> int:
    """Queue again the emails whose delivery job was lost (run by beat every 10 minutes)."""
    return emails_lost_queue_again()


@shared_task
def check_email_deliveries() -> dict[str, int]:
    """Ask GOV.UK Notify what became of the emails it took (run by beat every 15 minutes)."""
    return emails_delivery_check()


@shared_task
def forget_old_emails() -> int:
    """Remove the emails sent, or given up on, more than 90 days ago (run nightly by beat)."""
    return emails_old_forget()


@shared_task
def forget_submitted_forms() -> int:
    """Drop the one-time tokens of forms posted more than two days ago (run nightly by beat)."""
    return submitted_forms_forget()


@shared_task
def forget_staged_uploads() -> int:
    """Remove uploads kept for an import that was never confirmed (run nightly by beat)."""
    return staged_forget()


@shared_task
def make_export(export_id: int) -> str:
    """Prepare an export's file (send_qa.core.exports); returns how it ended."""
    return export_make(export_id=export_id).status


@shared_task
def remove_expired_exports() -> int:
    """Remove exports past their expiry, with their files (run hourly by beat)."""
    return exports_remove_expired()
