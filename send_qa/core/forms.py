"""Forms of the core app. Every form gets its GOV.UK FormHelper from GDSFormMixin."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, cast

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Div, Field, Hidden, Layout, Submit
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django_otp.plugins.otp_totp.models import TOTPDevice

from send_qa.core.access import opaque_id
from send_qa.core.access_log import record_reference
from send_qa.core.emails import email_send
from send_qa.core.models import AccessEvent, Organisation, Team, User
from send_qa.core.once import ONCE_FIELD, new_token
from send_qa.core.roles import CASE_LEVEL_ROLES, ROLE_DESCRIPTIONS, TEAM_ROLES, Role
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


def number_box(field: forms.Field) -> forms.TextInput:
    """GOV.UK's box for a number: a text input (not type="number", which GOV.UK avoids: it
    rounds, scrolls and refuses quietly) with the number keypad, sized for what it holds.
    The field still checks the number on the server."""
    whole = isinstance(field, forms.IntegerField) and not isinstance(
        field, (forms.DecimalField, forms.FloatField)
    )
    return forms.TextInput(
        attrs={
            "class": f"govuk-input govuk-input--width-{3 if whole else 5}",
            "inputmode": "numeric" if whole else "decimal",
            "spellcheck": "false",
        }
    )


if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class GDSFormMixin(_FormBase):
    """Gives a form its crispy-forms-gds helper and one primary button."""

    submit_label = "Continue"
    # GOV.UK forms validate on the server and show an error summary, not browser pop-ups.
    use_required_attribute = False
    # What a model form's dates are called in their errors, where the label would read badly.
    date_subjects: ClassVar[dict[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, subject in self.date_subjects.items():
            cast(GOVUKDateField, self.fields[name]).subject_words = subject
        for field in self.fields.values():
            if isinstance(field.widget, forms.NumberInput):
                field.widget = number_box(field)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", self.submit_label))
        self.helper.add_input(Hidden(ONCE_FIELD, new_token()))  # posted once (core.once)


def asked_by_get(helper: FormHelper) -> None:
    """A form that only filters a page: sent as a query string, without a one-time token."""
    helper.form_method = "get"
    helper.inputs = [i for i in helper.inputs if getattr(i, "name", "") != ONCE_FIELD]


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

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Through the portal's outbox, as every email (send_qa.core.emails)."""
        email_send("password_reset", to_email, context)


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


def self_granted_case_level(before: Iterable[str], after: Iterable[str]) -> list[str]:
    """The case-level roles (by name) a change to one's own roles would add."""
    added = set(after) - set(before)
    return [role.label for role in Role if role in added and role in CASE_LEVEL_ROLES]


class UserDetailsForm(GDSFormMixin, forms.ModelForm):
    """Who someone is, where they work and what roles they hold."""

    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=_role_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select at least one role"},
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
        team.label = "Team"
        team.help_text = "A caseworker must have one: they see the plans of their own team."
        team.empty_label = "No team"
        if self.instance.pk:
            self.initial["roles"] = sorted(self.instance.roles)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        organisation, team = cleaned.get("organisation"), cleaned.get("team")
        if organisation and team and team.organisation_id != organisation.pk:
            self.add_error("team", f"Select a team in {organisation.name}, or no team")
        needing_team = [Role(role).label for role in cleaned.get("roles", []) if role in TEAM_ROLES]
        if needing_team and not team and "team" not in self.errors:
            self.add_error(
                "team",
                f"Select a team: a {needing_team[0].lower()} with no team cannot see any plans",
            )
        editing_self = self.acting_user and self.instance.pk == self.acting_user.pk
        if editing_self and Role.ADMIN not in cleaned.get("roles", []):
            self.add_error(
                "roles", "You cannot remove your own admin role. Ask another admin to do it"
            )
        if editing_self:
            granted = self_granted_case_level(self.instance.roles, cleaned.get("roles", []))
            if granted:
                self.add_error(
                    "roles",
                    f"You cannot give yourself the {granted[0]} role: it opens case-level "
                    "records. Ask another admin to do it",
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


MONTH_NAMES = {
    **{calendar.month_name[number].lower(): number for number in range(1, 13)},
    **{calendar.month_abbr[number].lower(): number for number in range(1, 13)},
    "sept": 9,
}
DATE_PARTS = ("day", "month", "year")


@dataclass(frozen=True)
class DateProblem:
    """What is wrong with a date as typed, in GOV.UK's words ("{subject}" stands for what the
    date is), and which of day (0), month (1) and year (2) to mark; none marks the whole date."""

    message: str
    parts: tuple[int, ...] = ()


def _one_or_whole(parts: list[int]) -> tuple[int, ...]:
    """GOV.UK marks the one part that is wrong, or the whole date when more than one is."""
    return tuple(parts) if len(parts) == 1 else ()


def _number(text: str, most: int) -> int | None:
    """Digits 0 to 9 only (not ² or other scripts' digits), at most ``most`` of them."""
    return int(text) if text.isascii() and text.isdecimal() and len(text) <= most else None


def _day_number(text: str) -> int | None:
    """1 to 31, with a leading zero or as an ordinal (1st, 22nd) too."""
    lowered = text.lower()
    for ordinal in ("st", "nd", "rd", "th"):
        lowered = lowered.removesuffix(ordinal)
    day = _number(lowered, 2)
    return day if day and day <= 31 else None


def _month_number(text: str) -> int | None:
    """1 to 12, or the month's name in full or short (January, jan)."""
    month = _number(text, 2)
    if month is not None:
        return month if 1 <= month <= 12 else None
    return MONTH_NAMES.get(text.lower().rstrip("."))


def date_from_parts(day: str, month: str, year: str) -> datetime.date | DateProblem | None:
    """The one rule for a date typed as day, month and year (the GOV.UK date input): None when
    nothing is typed, else the date or what is wrong with it. Spaces around a part are ignored.
    Missing parts are told first, then a part that cannot be right, then a day the month
    does not have (31 February)."""
    parts = [day.strip(), month.strip(), year.strip()]
    if not any(parts):
        return None
    missing = [index for index, part in enumerate(parts) if not part]
    if missing:
        names = " and ".join(DATE_PARTS[index] for index in missing)
        return DateProblem(f"{{subject}} must include a {names}", _one_or_whole(missing))
    if parts[2].isascii() and parts[2].isdecimal() and len(parts[2]) != 4:
        return DateProblem("Year must include 4 numbers", (2,))
    year_number = _number(parts[2], 4)
    day_number, month_number = _day_number(parts[0]), _month_number(parts[1])
    wrong = [
        index for index, right in enumerate([day_number, month_number, year_number]) if not right
    ]
    if wrong:
        return DateProblem("{subject} must be a real date", _one_or_whole(wrong))
    try:
        return datetime.date(cast(int, year_number), cast(int, month_number), cast(int, day_number))
    except ValueError:
        return DateProblem("{subject} must be a real date", (0,))


def whole_date_parts(text: str) -> list[str]:
    """Day, month and year of a date posted whole: ISO (2026-11-24) or as people write it
    (24/11/2026). Anything else is kept in every part, to be told it is not a real date."""
    text = text.strip()
    if not text:
        return ["", "", ""]
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        parts = text.split("/")
        return parts if len(parts) == 3 else [text, text, text]
    return [str(day.day), str(day.month), str(day.year)]


class GOVUKDateInput(DateInputWidget):
    """crispy-forms-gds's day, month and year boxes, with the number keypad on phones. A whole
    date posted whole under the field's own name (2026-11-24 or 24/11/2026) is read too, as
    the tests and other pages' links give one."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs)
        for part in self.widgets:
            part.attrs["inputmode"] = "numeric"

    def decompress(self, value: Any) -> tuple[Any, Any, Any]:
        """A date's day, month and year; an ISO date given as text (a page's initial value
        from its address) is read first."""
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value.strip())
            except ValueError:
                return None, None, None
        return cast("tuple[Any, Any, Any]", super().decompress(value))

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        whole = data.get(name)
        if isinstance(whole, str) and not any(f"{name}_{index}" in data for index in range(3)):
            return whole_date_parts(whole)
        return cast("list[str]", super().value_from_datadict(data, files, name))

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and super().value_omitted_from_data(data, files, name)


class GOVUKDateField(forms.MultiValueField):
    """A date as the GOV.UK date input asks for it: day, month and year in three boxes, each
    error naming the part that is wrong ("Date of the update must include a month") and
    marking that box, which the error summary links to. Every date a person types goes through
    this field (its rule is ``date_from_parts``); a form's own rules (not in the future, after
    the start) stay in its ``clean_<field>``.

    The messages name the date by ``subject`` ("The date the target starts") where the label
    alone would read badly ("From must include a month"), else by its label (without
    " (optional)"); give ``error_messages={"required": ...}`` for the message when nothing is
    entered. A model form takes it through ``Meta.field_classes``. The hint starts with an
    example in the boxes' own form, day month year."""

    widget = GOVUKDateInput

    example = "For example, 27 3 2027."

    def __init__(self, *, subject: str = "", **kwargs: Any) -> None:
        self.subject_words = subject
        own_hint = kwargs.get("help_text")
        kwargs["help_text"] = f"{self.example} {own_hint}" if own_hint else self.example
        for unused in ("max_length", "min_length", "empty_value", "input_formats"):
            kwargs.pop(unused, None)
        parts = tuple(forms.CharField(required=False, strip=False) for _ in DATE_PARTS)
        super().__init__(fields=parts, require_all_fields=False, **kwargs)

    def subject(self) -> str:
        label = self.subject_words or str(self.label or "Date").removesuffix(" (optional)")
        return label[:1].upper() + label[1:]

    def required_message(self) -> str:
        """The form's own words for a date not entered, else "Enter the <label>"."""
        message = str(self.error_messages["required"])
        if message != str(forms.Field.default_error_messages["required"]):
            return message
        subject = self.subject()
        return f"Enter the {subject[:1].lower()}{subject[1:]}"

    def _mark(self, parts: tuple[int, ...], message: str) -> None:
        """Tell crispy-forms-gds which boxes to mark (it reads each part's widget's errors)."""
        for index, part in enumerate(self.fields):
            part.widget.errors = [message] if index in parts else []

    def clean(self, value: Any) -> datetime.date | None:
        if self.disabled and not isinstance(value, list):
            value = cast(GOVUKDateInput, self.widget).decompress(value)
        self._mark((), "")
        texts = [str(part or "") for part in (list(value or []) + ["", "", ""])[:3]]
        found = date_from_parts(*texts)
        if found is None:
            if self.required:
                raise ValidationError(self.required_message(), code="required")
            return None
        if isinstance(found, DateProblem):
            message = found.message.format(subject=self.subject())
            self._mark(found.parts, message)
            raise ValidationError(message, code="invalid")
        self.validate(found)
        self.run_validators(found)
        return found

    def compress(self, data_list: list[Any]) -> datetime.date | None:
        found = date_from_parts(*[str(part or "") for part in data_list]) if data_list else None
        return found if isinstance(found, datetime.date) else None

    def has_changed(self, initial: Any, data: Any) -> bool:
        if self.disabled:
            return False
        if isinstance(initial, str):
            try:
                initial = datetime.date.fromisoformat(initial)
            except ValueError:
                return True
        texts = [str(part or "") for part in (list(data or []) + ["", "", ""])[:3]]
        found = date_from_parts(*texts)
        return bool((found if not isinstance(found, DateProblem) else data) != initial)


class AccessLogFilterForm(GDSFormMixin, forms.Form):
    """The access log's filters, read from the page's address (so they stay with each page of
    results and with the download). `account` is one person's history, from their page."""

    submit_label = "Apply filters"

    person = forms.CharField(
        label="Name or email (optional)",
        required=False,
        max_length=200,
        error_messages={"max_length": "Enter a name or email of 200 characters or fewer"},
    )
    record = forms.CharField(
        label="Record's reference (optional)",
        help_text="From the log or the record's address in the portal, whole or its first characters",
        required=False,
        max_length=64,
        error_messages={"max_length": "Enter a record's reference of 64 characters or fewer"},
    )
    kind = forms.ChoiceField(
        label="What happened (optional)",
        required=False,
        choices=[("", "Anything"), *AccessEvent.Kind.choices],
        error_messages={"invalid_choice": "Select what happened from the list"},
    )
    start = GOVUKDateField(
        label="From (optional)", subject="The date to show events from", required=False
    )
    end = GOVUKDateField(
        label="To (optional)", subject="The date to show events to", required=False
    )
    account = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        asked_by_get(self.helper)
        half = "govuk-grid-column-one-half"
        self.helper.layout = Layout(
            Div(
                Div(Field.text("person"), css_class=half),
                Div(Field.text("record"), css_class=half),
                css_class="govuk-grid-row",
            ),
            Div(Div(Field.select("kind"), css_class=half), css_class="govuk-grid-row"),
            Div(
                Div(Field("start"), css_class=half),
                Div(Field("end"), css_class=half),
                css_class="govuk-grid-row",
            ),
            Field("account"),
        )

    def clean_record(self) -> str:
        return record_reference(self.cleaned_data.get("record", ""))

    def clean_account(self) -> User | None:
        """The person whose history this is; an id that names nobody names no one."""
        uuid = opaque_id(self.cleaned_data.get("account", ""))
        return User.objects.filter(uuid=uuid).first() if uuid else None

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error(
                "end", "The date to show events to must be the same as or after the date from"
            )
        return cleaned
