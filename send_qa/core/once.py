"""A form posted twice makes one record (issue 21: two progress updates from a double click,
four versions from four parallel "Compile version 2" posts).

Every form the portal serves carries a one-time token (`ONCE_FIELD`: each GOV.UK form through
`GDSFormMixin`, a hand-written one through `{% submitted_once %}`). `SubmittedOnce` records the
token before the view runs, in the same transaction as whatever the view writes, under a
unique constraint: a second post of the same token waits for the first to finish and then,
instead of running the view again, is sent where the first was. A post that saved nothing (a
page with errors) gives its token back, so the corrected form can be sent.
"""

import datetime
import uuid
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.utils import timezone

from send_qa.core.access import opaque_id
from send_qa.core.models import SubmittedForm

ONCE_FIELD = "submission"
KEPT_FOR = datetime.timedelta(days=2)


def new_token() -> str:
    return str(uuid.uuid4())


class SubmittedOnce:
    """Run a signed-in person's post carrying a token once; the same token again is sent to
    the first post's result."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if request.method != "POST" or user is None or not user.is_authenticated:
            return self.get_response(request)
        token = opaque_id(request.POST.get(ONCE_FIELD, ""))
        if not token:
            return self.get_response(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = SubmittedForm.objects.create(token=token, user=user)
            except IntegrityError:  # posted before: the first has finished by now
                first = SubmittedForm.objects.filter(token=token, user=user).first()
                return HttpResponseRedirect(first.location if first else request.path)
            response = self.get_response(request)
            if isinstance(response, HttpResponseRedirect):
                record.location = response["Location"]
                record.save(update_fields=["location"])
            else:
                record.delete()
        return response


def submitted_forms_forget(*, now: datetime.datetime | None = None) -> int:
    """Tokens older than a resend could be: nobody double-clicks across two days."""
    before = (now or timezone.now()) - KEPT_FOR
    deleted, _ = SubmittedForm.objects.filter(submitted_at__lt=before).delete()
    return deleted
