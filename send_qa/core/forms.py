"""Forms of the core app. Every form gets its GOV.UK FormHelper from GDSFormMixin."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django_otp.plugins.otp_totp.models import TOTPDevice

from send_qa.core.models import Organisation, Team, User
from send_qa.core.roles import ROLE_DESCRIPTIONS, Role
from send_qa.core.uploads import (
    MB,
    UploadRefused,
    check_table_file,
    csv_text,
    safe_display_name,
)


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data on POST, else None. Not ``request.POST or None``: an empty
    POST is falsy, which would leave a blank submission unvalidated."""
    return request.POST if request.method == "POST" else None


if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class GDSFormMixin(_FormBase):
    """Gives a form its crispy-forms-gds helper and one primary button."""

    submit_label = "Continue"
    # GOV.UK forms validate on the server and show an error summary, not browser pop-ups.
    use_required_attribute = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", self.submit_label))


class SpreadsheetUploadForm(GDSFormMixin, forms.Form):
    """A CSV or XLSX file for an import, checked for what it holds (not only its name) and its
    size. Subclasses set the button, the hint and may lower the size limit."""

    max_megabytes: int | None = None  # None: settings.UPLOAD_MAX_BYTES
    hint = ""
    file = forms.FileField(
        label="Upload a CSV or XLSX file",
        error_messages={"required": "Select a CSV or XLSX file"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.hint

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        name = safe_display_name(upload.name)
        if not name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The selected file must be a CSV or XLSX file")
        limit = settings.UPLOAD_MAX_BYTES
        if self.max_megabytes:
            limit = min(limit, self.max_megabytes * MB)
        if upload.size is None or upload.size > limit:  # no size (never from Django): refused
            raise forms.ValidationError(f"The selected file must be smaller than {limit / MB:g} MB")
        try:
            if check_table_file(upload, name) == "csv":
                csv_text(upload, name)  # refused here, on the field, if it is not UTF-8
                upload.seek(0)
        except UploadRefused as refusal:
            raise forms.ValidationError(str(refusal)) from None
        return upload


class SignInForm(GDSFormMixin, auth_forms.AuthenticationForm):
    submit_label = "Sign in"
    error_messages = {
        "invalid_login": "Enter a correct email address and password.",
        "inactive": "This account has been deactivated. Ask your portal admin to reactivate it.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "spellcheck": "false"}
        )
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"
        # Django sets the field's max_length after building it, so it checks nothing: a name
        # too long for the throttle's records would otherwise fail the request.
        self.fields["username"].validators.append(
            MaxLengthValidator(
                User._meta.get_field("email").max_length,
                "Enter an email address of %(limit_value)d characters or fewer",
            )
        )


class SecurityCodeForm(GDSFormMixin, forms.Form):
    """A 6-digit code from the person's authenticator app, checked against their device.

    A code is accepted once only: django-otp's TOTP device refuses a code from a
    time step at or before the last one it accepted.
    """

    code = forms.CharField(
        label="Security code",
        help_text="Enter the 6-digit code from your authenticator app.",
        error_messages={"required": "Enter the security code"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: Any, device: TOTPDevice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device
        self.helper.layout = Layout(Field.text("code", field_width=5))

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).replace("-", "")
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the security code as 6 numbers, like 123456")
        with transaction.atomic():
            # Locked, so that two requests cannot both accept one code.
            self.device = TOTPDevice.objects.select_for_update().get(pk=self.device.pk)
            allowed, _ = self.device.verify_is_allowed()
            accepted = allowed and self.device.verify_token(code)
        if not allowed:
            raise forms.ValidationError(
                "You have entered a wrong code too many times. Wait a minute, then try again"
            )
        if not accepted:
            raise forms.ValidationError(
                "The security code is not right or has already been used. "
                "Enter the code your app shows now"
            )
        return code


class PasswordResetRequestForm(GDSFormMixin, auth_forms.PasswordResetForm):
    submit_label = "Send the link"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].error_messages["required"] = "Enter your email address"
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.org"
        )


class ChooseNewPasswordForm(GDSFormMixin, auth_forms.SetPasswordForm):
    submit_label = "Save password"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields[
            "new_password1"
        ].help_text = "At least 12 characters. Avoid common words, your name or only numbers."
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"


def _role_choices() -> list[Choice]:
    return [Choice(role.value, role.label, hint=ROLE_DESCRIPTIONS[role]) for role in Role]


class UserDetailsForm(GDSFormMixin, forms.ModelForm):
    """Who someone is, where they work and what roles they hold."""

    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=_role_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply.",
    )

    class Meta:
        model = User
        fields = ["full_name", "job_title", "organisation", "team"]
        labels = {"full_name": "Full name", "job_title": "Job title (optional)"}
        error_messages = {"full_name": {"required": "Enter the person's full name"}}

    def __init__(self, *args: Any, acting_user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acting_user = acting_user
        organisation = cast("forms.ModelChoiceField[Organisation]", self.fields["organisation"])
        organisation.queryset = Organisation.objects.filter(is_active=True)
        organisation.required = True
        organisation.error_messages["required"] = "Select an organisation"
        organisation.empty_label = "Select an organisation"
        team = cast("forms.ModelChoiceField[Team]", self.fields["team"])
        team.queryset = Team.objects.filter(is_active=True).select_related("organisation")
        team.required = False
        team.label = "Team (optional)"
        team.empty_label = "No team"
        if self.instance.pk:
            self.initial["roles"] = sorted(self.instance.roles)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        organisation, team = cleaned.get("organisation"), cleaned.get("team")
        if organisation and team and team.organisation_id != organisation.pk:
            self.add_error("team", f"Select a team in {organisation.name}, or no team")
        editing_self = self.acting_user and self.instance.pk == self.acting_user.pk
        if editing_self and Role.ADMIN not in cleaned.get("roles", []):
            self.add_error(
                "roles", "You cannot remove your own admin role. Ask another admin to do it"
            )
        return cleaned

    def save(self, commit: bool = True) -> User:
        user: User = super().save(commit=commit)
        if commit:
            user.set_roles(self.cleaned_data["roles"])
        return user


class InviteUserForm(UserDetailsForm):
    submit_label = "Send invitation"

    class Meta(UserDetailsForm.Meta):
        fields = ["email", *UserDetailsForm.Meta.fields]
        labels = {**UserDetailsForm.Meta.labels, "email": "Work email address"}
        error_messages = {
            **UserDetailsForm.Meta.error_messages,
            "email": {
                "required": "Enter the person's work email address",
                "invalid": "Enter an email address in the correct format, like name@example.org",
            },
        }

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "Someone with this email address already has an account. Find them in the user list"
            )
        return email


class EditUserForm(UserDetailsForm):
    submit_label = "Save changes"


class ConfirmForm(GDSFormMixin, forms.Form):
    """An empty form for a confirmation page; the submit label says what happens."""

    def __init__(self, *args: Any, submit_label: str, **kwargs: Any) -> None:
        self.submit_label = submit_label
        super().__init__(*args, **kwargs)


class DatePicker(forms.DateInput):
    """The browser's date picker. It reads and writes ISO dates (2026-11-24) whatever the
    locale, so the value is always given in that form: a British 24/11/2026 would show as
    an empty field and be lost on the next save."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
