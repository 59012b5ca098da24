"""The page of emails the mail service did not take, and sending one again
(send_qa.core.emails). It shows who each was for and why it was not sent, never its text:
an invitation's or a password reset's holds a sign-in link."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.emails import email_send_again, emails_not_sent, tries_allowed
from send_qa.core.paging import PagedByKeys
from send_qa.core.roles import EMAIL_WATCHERS

EMAILS_PER_PAGE = 50


@role_required(*EMAIL_WATCHERS)
@require_GET
def emails_not_sent_page(request: SignedInRequest) -> HttpResponse:
    emails = emails_not_sent().select_related("sent_again_by")
    page = Paginator(PagedByKeys(emails), EMAILS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/emails_not_sent.html",
        {"page": page, "tries": tries_allowed(), "filter_querystring": request.GET.copy()},
    )


@role_required(*EMAIL_WATCHERS)
@require_POST
def email_send_again_view(request: SignedInRequest, email_uuid: uuid.UUID) -> HttpResponse:
    again = email_send_again(email_uuid=str(email_uuid), by=request.user)
    if again is None:
        raise Http404("No such email.")
    email = again.email
    if again.queued:
        messages.success(request, f"“{email.subject}” to {email.to} will be sent again.")
    else:
        messages.info(request, f"“{email.subject}” to {email.to} was not waiting to be sent again.")
    return redirect("core:emails_not_sent")
