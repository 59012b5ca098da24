import datetime
from typing import Any

from django import forms
from django.utils import timezone

from send_qa.api.models import Scope
from send_qa.api.tokens import LONGEST_LIFE
from send_qa.core.forms import GDSFormMixin, GOVUKDateField


class TokenForm(GDSFormMixin, forms.Form):
    submit_label = "Make the token"

    name = forms.CharField(
        label="Name",
        help_text="What will use it, so that you know which to revoke: for example, Power BI: KPI dashboard",
        max_length=100,
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "Enter a name of 100 characters or fewer",
        },
    )
    scopes = forms.MultipleChoiceField(
        label="What it may read",
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. Every table holds aggregates only, with small numbers withheld as for the board.",
        error_messages={"required": "Select at least one thing the token may read"},
    )
    expires_on = GOVUKDateField(
        label="Last day it works",
        subject="The last day the token works",
        error_messages={"required": "Enter the last day the token works"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_90_days = timezone.localdate() + datetime.timedelta(days=90)
        self.fields[
            "expires_on"
        ].help_text = f"For example, {in_90_days.day} {in_90_days.month} {in_90_days.year}. At most a year from today."

    def clean_expires_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError(
                "The last day the token works must be today or in the future"
            )
        if day > today + LONGEST_LIFE:
            raise forms.ValidationError(
                "The last day the token works must be within a year from today"
            )
        return day
