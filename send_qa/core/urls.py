from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.generic import TemplateView

from send_qa.core import access_log_views, email_views, export_views, sso, views
from send_qa.core.two_factor import two_factor_not_required

auth_patterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    # Open to a session that has already run out: the timeout warning signs out at the end of
    # its time, and must land where it said, not on "sign in to sign out".
    path(
        "sign-out/",
        login_not_required(two_factor_not_required(auth_views.LogoutView.as_view())),
        name="logout",
    ),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accessibility/",
        login_not_required(TemplateView.as_view(template_name="accessibility.html")),
        name="accessibility",
    ),
]

core_patterns = [
    # Signing in with the organisation's account (send_qa.core.sso), when it is set up.
    path(
        "sign-in/organisation/",
        login_not_required(two_factor_not_required(sso.SignInWithProvider.as_view())),
        name="sso_start",
    ),
    path(
        "sign-in/organisation/back/",
        login_not_required(two_factor_not_required(sso.SignInCallback.as_view())),
        name="sso_callback",
    ),
    path("sign-in/organisation/refused/", views.sso_refused, name="sso_refused"),
    path("two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
    path(
        "set-password/done/",
        login_not_required(
            TemplateView.as_view(template_name="registration/set_password_done.html")
        ),
        name="set_password_done",
    ),
    path("session/stay-signed-in/", views.session_stay_signed_in, name="session_stay_signed_in"),
    path("menu/<slug:slug>/", views.menu_group, name="menu_group"),
    path("users/", views.user_list, name="user_list"),
    path("access-log/", access_log_views.access_log, name="access_log"),
    path("access-log/download.csv", access_log_views.access_log_csv, name="access_log_csv"),
    path("emails/not-sent/", email_views.emails_not_sent_page, name="emails_not_sent"),
    path(
        "emails/<uuid:email_uuid>/send-again/",
        email_views.email_send_again_view,
        name="email_send_again",
    ),
    path("exports/", export_views.export_new, name="export_new"),
    path("exports/<uuid:export_uuid>/", export_views.export_page, name="export"),
    path(
        "exports/<uuid:export_uuid>/status.json",
        export_views.export_status_json,
        name="export_status",
    ),
    path(
        "exports/<uuid:export_uuid>/download/",
        export_views.export_download,
        name="export_download",
    ),
    path("users/invite/", views.user_invite, name="user_invite"),
    path("users/<uuid:user_uuid>/", views.user_detail, name="user_detail"),
    path(
        "users/<uuid:user_uuid>/deactivate/",
        views.user_set_active,
        {"active": False},
        name="user_deactivate",
    ),
    path(
        "users/<uuid:user_uuid>/reactivate/",
        views.user_set_active,
        {"active": True},
        name="user_reactivate",
    ),
    path(
        "users/<uuid:user_uuid>/resend-invitation/",
        views.user_resend_invitation,
        name="user_resend_invitation",
    ),
    path(
        "users/<uuid:user_uuid>/reset-two-factor/",
        views.user_reset_two_factor,
        name="user_reset_two_factor",
    ),
    path(
        "users/<uuid:user_uuid>/lift-sign-in-lock/",
        views.user_lift_sign_in_lock,
        name="user_lift_sign_in_lock",
    ),
]
