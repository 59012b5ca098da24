"""Admins' pages for the feed's API tokens: the list, making one (its text shown once) and
revoking one. Making and revoking are written to the access log."""

import uuid

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from send_qa.api.forms import TokenForm
from send_qa.api.models import ApiToken
from send_qa.api.roles import TOKEN_MANAGERS
from send_qa.api.tokens import token_make, token_revoke
from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.access_log import Kind, access_record
from send_qa.core.confirm import Confirmation, confirm_page
from send_qa.core.forms import posted

MADE_KEY = "api-token-made"  # the new token's text, in the session until its page shows it


@role_required(*TOKEN_MANAGERS)
@never_cache
@require_GET
def token_list(request: SignedInRequest) -> HttpResponse:
    made = request.session.pop(MADE_KEY, None)
    tokens = ApiToken.objects.select_related("created_by", "revoked_by")
    return render(request, "api/token_list.html", {"tokens": tokens, "made": made})


@role_required(*TOKEN_MANAGERS)
@require_http_methods(["GET", "POST"])
def token_new(request: SignedInRequest) -> HttpResponse:
    form = TokenForm(posted(request))
    if form.is_valid():
        with transaction.atomic():
            made = token_make(
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_on=form.cleaned_data["expires_on"],
                by=request.user,
            )
            access_record(
                request,
                Kind.API_TOKEN_MADE,
                record="API token",
                reference=str(made.token.uuid),
                details=f"{made.token.name}: {', '.join(made.token.scope_labels)}; "
                f"works until {made.token.expires_on:%-d %B %Y}",
            )
        request.session[MADE_KEY] = {"name": made.token.name, "secret": made.secret}
        return redirect("api:token_list")
    return render(request, "api/token_new.html", {"form": form})


@role_required(*TOKEN_MANAGERS)
@require_http_methods(["GET", "POST"])
def token_revoke_view(request: SignedInRequest, token_uuid: uuid.UUID) -> HttpResponse:
    token = get_object_or_404(ApiToken, uuid=token_uuid)
    if request.method == "GET":
        return confirm_page(
            request,
            Confirmation(
                question=f"Are you sure you want to revoke “{token.name}”?",
                happens=[
                    "Whatever reads the feed with it (a Power BI report, say) is refused from now on.",
                    "It stays in the list, marked revoked, and its reads stay in the access log.",
                ],
                button="Revoke the token",
                cancel_url=reverse("api:token_list"),
                back_text="Back to API tokens",
            ),
        )
    if token_revoke(token, by=request.user):
        access_record(
            request,
            Kind.API_TOKEN_REVOKED,
            record="API token",
            reference=str(token.uuid),
            details=token.name,
        )
        messages.success(request, f"“{token.name}” is revoked: it no longer reads the feed.")
    else:
        messages.info(request, f"“{token.name}” was revoked already.")
    return redirect("api:token_list")
