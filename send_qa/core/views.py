"""Sign-in pages, the health check, and user management for admins."""

import time
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from send_qa.core import health
from send_qa.core.access import SignedInRequest, role_required
from send_qa.core.access_log import (
    Kind,
    access_record,
    account_change_record,
    account_edits_record,
    invitation_words,
    roles_change_words,
    roles_words,
)
from send_qa.core.confirm import Confirmation, confirm_page
from send_qa.core.forms import (
    ChooseNewPasswordForm,
    ConfirmForm,
    EditUserForm,
    InviteUserForm,
    PasswordResetRequestForm,
    SecurityCodeForm,
    SignInForm,
    posted,
)
from send_qa.core.invitations import invitation_tokens, link_lifetime_words
from send_qa.core.models import User
from send_qa.core.navigation import group_for
from send_qa.core.roles import PEOPLE_MANAGERS, Role, group_name
from send_qa.core.session_timeout import stay_signed_in
from send_qa.core.sign_in_protection import lockout_lift, lockout_of
from send_qa.core.sso import REFUSED_EMAIL, sso_enabled
from send_qa.core.tasks import send_invitation, send_roles_changed
from send_qa.core.two_factor import (
    CHOSE_TWO_FACTOR,
    complete_sign_in,
    confirmed_device,
    device_being_set_up,
    next_page,
    qr_code_svg,
    redirect_with_next,
    secret_for_typing,
    two_factor_not_required,
    two_factor_reset,
)

USERS_PER_PAGE = 25


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.PASSWORD_SIGN_IN:  # only the organisation's account signs in
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["password_sign_in"] = settings.PASSWORD_SIGN_IN
        context["sso_provider"] = settings.OIDC_PROVIDER_NAME if sso_enabled() else ""
        return context


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "registration/password_reset_form.html"  # the email: the form's send_mail

    @method_decorator(login_not_required)  # kept from Django's view: a dispatch of its own
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not settings.PASSWORD_SIGN_IN:
            raise Http404("Password sign-in is switched off.")
        return super().dispatch(request, *args, **kwargs)

    @property
    def extra_email_context(self) -> dict[str, str]:  # type: ignore[override]
        return {"lifetime": link_lifetime_words(settings.PASSWORD_RESET_TIMEOUT)}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["lifetime"] = link_lifetime_words(settings.PASSWORD_RESET_TIMEOUT)
        return context


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ChooseNewPasswordForm
    template_name = "registration/password_reset_confirm.html"
    lifetime_setting = "PASSWORD_RESET_TIMEOUT"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["lifetime"] = link_lifetime_words(getattr(settings, self.lifetime_setting))
        return context


class SetPasswordView(PasswordResetConfirmView):
    """The link in an invitation: the same mechanism as a reset, worded for a first visit."""

    template_name = "registration/set_password.html"
    success_url = reverse_lazy("core:set_password_done")
    token_generator = invitation_tokens
    lifetime_setting = "INVITATION_TIMEOUT"


@two_factor_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: SignedInRequest) -> HttpResponse:
    """The second step of signing in: a code from the person's authenticator app."""
    device = confirmed_device(request.user)
    if device is None:
        return redirect_with_next("core:two_factor_setup", request)
    if request.user.is_verified():
        return redirect(next_page(request))
    form = SecurityCodeForm(posted(request), device=device)
    if form.is_valid():
        complete_sign_in(request, form.device)
        return redirect(next_page(request))
    return render(request, "core/two_factor_verify.html", {"form": form})


@two_factor_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: SignedInRequest) -> HttpResponse:
    """Connecting an authenticator app: required for some roles, a choice for the rest."""
    user = request.user
    if confirmed_device(user):
        if not user.is_verified():
            return redirect_with_next("core:two_factor_verify", request)
        return render(request, "core/two_factor_on.html")
    device = device_being_set_up(user)
    form = SecurityCodeForm(posted(request), device=device)
    if form.is_valid():
        form.device.confirmed = True
        form.device.save(update_fields=["confirmed"])
        complete_sign_in(request, form.device)
        request.session[CHOSE_TWO_FACTOR] = True
        messages.success(
            request,
            "Two-factor sign-in is set up. You will need a code from your app each time you sign in.",
        )
        return redirect(next_page(request))
    return render(
        request,
        "core/two_factor_setup.html",
        {
            "form": form,
            "qr_code": qr_code_svg(device),
            "secret": secret_for_typing(device),
            "required": user.has_role(*settings.OTP_REQUIRED_ROLES),
        },
    )


@never_cache
@require_POST
def session_stay_signed_in(request: SignedInRequest) -> JsonResponse:
    """ "Stay signed in" in the timeout warning: the session's idle clock starts again."""
    return JsonResponse({"seconds_left": stay_signed_in(request.session, int(time.time()))})


@require_GET
def menu_group(request: SignedInRequest, slug: str) -> HttpResponse:
    """A group of the menu's links, for a person whose menu is too long for one line."""
    group = group_for(request.user, slug, request.path)
    if group is None:
        raise Http404("No such part of your menu")
    return render(request, "core/menu_group.html", {"group": group})


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": health.database_ok(), "broker": health.broker_ok()}
    body = {name: "ok" if ok else "unreachable" for name, ok in checks.items()}
    body["status"] = "ok" if all(checks.values()) else "unhealthy"
    return JsonResponse(body, status=200 if all(checks.values()) else 503)


@role_required(*PEOPLE_MANAGERS)
@require_GET
def user_list(request: SignedInRequest) -> HttpResponse:
    users = User.objects.select_related("organisation", "team").prefetch_related("groups")
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    role = request.GET.get("role", "")
    if role in Role.values:
        users = users.filter(groups__name=group_name(role))
    status = request.GET.get("status", "active")
    if status == "active":
        users = users.filter(is_active=True)
    elif status == "deactivated":
        users = users.filter(is_active=False)
    page = Paginator(users.order_by("full_name", "email"), USERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "core/user_list.html",
        {
            "page": page,
            "query": query,
            "role": role,
            "status": status,
            "roles": list(Role),
            "filter_querystring": request.GET.copy(),
        },
    )


@role_required(*PEOPLE_MANAGERS)
@require_http_methods(["GET", "POST"])
def user_invite(request: SignedInRequest) -> HttpResponse:
    form = InviteUserForm(posted(request), acting_user=request.user)
    if form.is_valid():
        with transaction.atomic():
            user = form.save(commit=False)
            user.invited_by = request.user
            user.set_unusable_password()
            user.save()
            user.set_roles(form.cleaned_data["roles"])
            account_change_record(request, Kind.USER_INVITED, user, invitation_words(user))
            send_invitation.delay_on_commit(user.pk)
            send_roles_changed.delay_on_commit(
                user.pk, request.user.pk, f"as {roles_words(user.roles)}", invited=True
            )
        messages.success(request, f"Invitation sent to {user.email}.")
        return redirect("core:user_detail", user_uuid=user.uuid)
    return render(request, "core/user_invite.html", {"form": form})


@role_required(*PEOPLE_MANAGERS)
@require_http_methods(["GET", "POST"])
def user_detail(request: SignedInRequest, user_uuid: uuid.UUID) -> HttpResponse:
    person = get_object_or_404(User.objects.select_related("organisation", "team"), uuid=user_uuid)
    # Read before the form is checked, which puts the posted team on the person.
    roles_before, team_before = person.roles, person.team
    form = EditUserForm(posted(request), instance=person, acting_user=request.user)
    if form.is_valid():
        with transaction.atomic():
            form.save()
            account_edits_record(
                request, person, roles_before=roles_before, team_before=team_before
            )
            changes = roles_change_words(roles_before, person.roles)
            if changes:
                send_roles_changed.delay_on_commit(person.pk, request.user.pk, changes)
        messages.success(request, f"Changes to {person} saved.")
        return redirect("core:user_detail", user_uuid=person.uuid)
    return render(
        request,
        "core/user_detail.html",
        {
            "person": person,
            "form": form,
            **_two_factor_state(person),
            "lockout": lockout_of(person),
        },
    )


@role_required(*PEOPLE_MANAGERS)
@require_http_methods(["GET", "POST"])
def user_set_active(request: SignedInRequest, user_uuid: uuid.UUID, active: bool) -> HttpResponse:
    person = get_object_or_404(User, uuid=user_uuid)
    if person.pk == request.user.pk and not active:
        messages.error(request, "You cannot deactivate your own account.")
        return redirect("core:user_detail", user_uuid=person.uuid)
    if request.method == "POST":
        with transaction.atomic():
            changed = person.is_active != active
            person.is_active = active
            person.save(update_fields=["is_active"])
            if changed:
                kind = Kind.ACCOUNT_REACTIVATED if active else Kind.ACCOUNT_DEACTIVATED
                account_change_record(request, kind, person)
        done = "reactivated" if active else "deactivated"
        messages.success(request, f"{person}'s account has been {done}.")
        return redirect("core:user_detail", user_uuid=person.uuid)
    return confirm_page(request, _active_confirmation(person, active=active))


def _active_confirmation(person: User, *, active: bool) -> Confirmation:
    name = person.full_name or person.email
    verb = "reactivate" if active else "deactivate"
    if active:
        happens = [f"{name} will be able to sign in again with the roles they had."]
    else:
        happens = [
            f"{name} will not be able to sign in, and is signed out if signed in now.",
            "Their past work stays in the portal, under their name.",
        ]
    return Confirmation(
        question=f"Are you sure you want to {verb} {name}'s account?",
        happens=happens,
        warning="" if active else "They lose access to the portal straight away.",
        button=f"{verb.capitalize()} account",
        cancel_url=reverse("core:user_detail", kwargs={"user_uuid": person.uuid}),
        back_text=f"Back to {person}",
    )


@role_required(*PEOPLE_MANAGERS)
@require_http_methods(["POST"])
def user_resend_invitation(request: SignedInRequest, user_uuid: uuid.UUID) -> HttpResponse:
    person = get_object_or_404(User, uuid=user_uuid, is_active=True)
    if person.has_usable_password():
        messages.error(request, f"{person} has already set a password.")
    else:
        send_invitation.delay_on_commit(person.pk)
        messages.success(request, f"Invitation sent again to {person.email}.")
    return redirect("core:user_detail", user_uuid=person.uuid)


@role_required(*PEOPLE_MANAGERS)
@require_http_methods(["GET", "POST"])
def user_reset_two_factor(request: SignedInRequest, user_uuid: uuid.UUID) -> HttpResponse:
    """For someone who has lost their authenticator app: remove it and sign them out."""
    person = get_object_or_404(User, uuid=user_uuid)
    if person.pk == request.user.pk:
        messages.error(request, "You cannot reset your own two-factor sign-in. Ask another admin.")
        return redirect("core:user_detail", user_uuid=person.uuid)
    form = ConfirmForm(posted(request), submit_label="Reset two-factor sign-in")
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            two_factor_reset(user=person)
            access_record(request, Kind.TWO_FACTOR_RESET, record="user", reference=str(person.uuid))
        messages.success(
            request,
            f"{person}'s two-factor sign-in has been reset and they have been signed out. "
            "They will set up their authenticator app again when they next sign in.",
        )
        return redirect("core:user_detail", user_uuid=person.uuid)
    return render(
        request,
        "core/user_confirm_reset_two_factor.html",
        {
            "person": person,
            "form": form,
            **_two_factor_state(person),
        },
    )


@role_required(*PEOPLE_MANAGERS)
@require_http_methods(["POST"])
def user_lift_sign_in_lock(request: SignedInRequest, user_uuid: uuid.UUID) -> HttpResponse:
    """Let someone locked out after failed sign-ins try again at once, from any address."""
    person = get_object_or_404(User, uuid=user_uuid)
    was_locked = lockout_of(person) is not None
    with transaction.atomic():
        lockout_lift(user=person)
        access_record(request, Kind.SIGN_IN_LOCK_LIFTED, record="user", reference=str(person.uuid))
    if was_locked:
        messages.success(
            request, f"The sign-in lock on {person} has been lifted: they can sign in again."
        )
    else:
        messages.success(
            request,
            f"{person} was not locked out. Their earlier failed sign-ins have been cleared.",
        )
    return redirect("core:user_detail", user_uuid=person.uuid)


def _two_factor_state(person: User) -> dict[str, bool]:
    """Whether the person has set up two-factor sign-in, and whether their role needs it."""
    return {
        "has_two_factor": confirmed_device(person) is not None,
        "needs_two_factor": person.has_role(*settings.OTP_REQUIRED_ROLES),
    }


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its valid token (open too long, or signed in again in another tab):
    the portal's page saying nothing was saved, never Django's bare one (CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", status=403)


@login_not_required
@two_factor_not_required
@require_GET
def sso_refused(request: HttpRequest) -> HttpResponse:
    """Where the organisation's sign-in ends for someone the portal does not know (or when the
    provider refused them): who they signed in as, why, and what to do."""
    refused = request.session.pop(REFUSED_EMAIL, None)
    return render(
        request,
        "registration/sso_refused.html",
        {
            "refused": refused,
            "provider": settings.OIDC_PROVIDER_NAME,
            "password_sign_in": settings.PASSWORD_SIGN_IN,
        },
    )
