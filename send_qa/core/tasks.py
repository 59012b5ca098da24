"""Background jobs of the core app: thin wrappers that take ids and call plain functions."""

from celery import Task, shared_task

from send_qa.core.exports import export_make, exports_remove_expired
from send_qa.core.invitations import invitation_send
from send_qa.core.once import submitted_forms_forget
from send_qa.core.role_notices import roles_changed_tell


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_invitation(self: Task, user_id: int) -> bool:
    try:
        return invitation_send(user_id=user_id)
    except OSError as exc:  # the mail server is unreachable: try again later
        raise self.retry(exc=exc) from exc


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_roles_changed(
    self: Task, person_id: int, admin_id: int, changes: str, invited: bool = False
) -> int:
    try:
        return roles_changed_tell(
            person_id=person_id, admin_id=admin_id, changes=changes, invited=invited
        )
    except OSError as exc:  # the mail server is unreachable: try again later
        raise self.retry(exc=exc) from exc


@shared_task
def forget_submitted_forms() -> int:
    """Drop the one-time tokens of forms posted more than two days ago (run nightly by beat)."""
    return submitted_forms_forget()


@shared_task
def make_export(export_id: int) -> str:
    """Prepare an export's file (send_qa.core.exports); returns how it ended."""
    return export_make(export_id=export_id).status


@shared_task
def remove_expired_exports() -> int:
    """Remove exports past their expiry, with their files (run hourly by beat)."""
    return exports_remove_expired()
