"""Forms of the KPI app."""

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from kpis.models import (
    Area,
    ExceptionNote,
    Indicator,
    Measurement,
    Scorecard,
    ScorecardIndicator,
    Target,
)
from kpis.validity import kept, measurement_problems
from send_qa.core.concurrency import VersionedFormMixin
from send_qa.core.forms import DatePicker, GDSFormMixin, SpreadsheetUploadForm
from send_qa.core.models import User


class KpiUploadForm(SpreadsheetUploadForm):
    submit_label = "Check the file"
    max_megabytes = 50
    hint = (
        "One row per indicator, period and area, with the column headers in the guide below. "
        "You see what will change before anything is saved."
    )


class MeasurementForm(VersionedFormMixin, GDSFormMixin, forms.Form):
    """One period's values of one indicator: this area's with its commentary, and benchmarks."""

    submit_label = "Save values"
    edit_thing = "period's values"
    period_start = forms.DateField(
        label="Period starts",
        widget=DatePicker(),
        error_messages={"required": "Enter the date the period starts"},
    )
    period_end = forms.DateField(
        label="Period ends",
        widget=DatePicker(),
        error_messages={"required": "Enter the date the period ends"},
    )
    period_label = forms.CharField(
        label="Name of the period (optional)",
        required=False,
        help_text="For example Autumn 2026.",
    )
    local = forms.DecimalField(label="This area's value", required=False)
    numerator = forms.DecimalField(label="Numerator (optional)", required=False)
    denominator = forms.DecimalField(label="Denominator (optional)", required=False)
    commentary = forms.CharField(
        label="Commentary (optional)",
        help_text="The story behind the data: why it moved, and what is being done.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    england = forms.DecimalField(label="England (optional)", required=False)
    region = forms.DecimalField(label="Region (optional)", required=False)
    statistical_neighbours = forms.DecimalField(
        label="Statistical neighbours' average (optional)", required=False
    )

    AREA_FIELDS: dict[str, str] = {
        Area.LOCAL: "local",
        Area.ENGLAND: "england",
        Area.REGION: "region",
        Area.STATISTICAL_NEIGHBOURS: "statistical_neighbours",
    }
    NUMBERS = ("numerator", "denominator", *AREA_FIELDS.values())

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        self.indicator = indicator
        super().__init__(*args, **kwargs)
        for name in self.NUMBERS:
            self.fields[name].error_messages["invalid"] = "Enter a number, for example 72.5"
        if indicator.computed:
            for name in ("local", "numerator", "denominator"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Calculated by the portal."

    def guarded_rows(self) -> list[QuerySet]:
        """The period's values in every area, as stored: the one the page was opened for, or
        on saving the one the form names (none yet is a version too)."""
        period = (getattr(self, "cleaned_data", None) if self.is_bound else self.initial) or {}
        start, end = period.get("period_start"), period.get("period_end")
        if start is None or end is None:
            return [Measurement.objects.none()]
        return [
            Measurement.objects.filter(indicator=self.indicator, period_start=start, period_end=end)
        ]

    def current_url(self) -> str:
        """The page of the period the form names, freshly loaded."""
        url = reverse("kpis:measurement_edit", kwargs={"code": self.indicator.code})
        start, end = self.cleaned_data["period_start"], self.cleaned_data["period_end"]
        return f"{url}?{urlencode({'start': start.isoformat(), 'end': end.isoformat()})}"

    def clean(self) -> dict[str, Any]:
        """Each area's value through the one rule for a KPI value (kpis/validity.py)."""
        super().clean()
        cleaned = self.cleaned_data
        for name in self.NUMBERS:
            if name in cleaned:
                cleaned[name] = kept(cleaned[name])
        given = any(cleaned.get(name) is not None for name in self.AREA_FIELDS.values())
        shown = set()
        for area, name in self.AREA_FIELDS.items():
            local = area == Area.LOCAL
            if local and self.indicator.computed:
                continue  # the portal calculates it: only the commentary is saved
            problems = measurement_problems(
                unit=self.indicator.unit,
                computed=self.indicator.computed,
                code=self.indicator.code,
                period_start=cleaned.get("period_start"),
                period_end=cleaned.get("period_end"),
                area=area,
                value=cleaned.get(name),
                numerator=cleaned.get("numerator") if local else None,
                denominator=cleaned.get("denominator") if local else None,
                period_label=cleaned.get("period_label", ""),
            )
            for problem in problems:
                field = name if problem.field in ("value", "area") else problem.field
                if (field, problem.message) not in shown and field in self.fields:
                    shown.add((field, problem.message))
                    self.add_error(field, problem.message)
        if not given and not any(name in self.errors for name in self.AREA_FIELDS.values()):
            raise ValidationError("Enter at least one value")
        return cleaned


class ExceptionNoteForm(VersionedFormMixin, GDSFormMixin, forms.ModelForm):
    submit_label = "Save commentary"
    edit_thing = "commentary"

    class Meta:
        model = ExceptionNote
        fields = ["happening", "doing", "improve_by"]
        widgets = {
            "happening": forms.Textarea(attrs={"rows": 4}),
            "doing": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "happening": {"required": "Enter what is happening"},
            "doing": {"required": "Enter what is being done about it"},
            "improve_by": {"required": "Enter when it will improve, for example by summer 2027"},
        }


class ScorecardForm(VersionedFormMixin, GDSFormMixin, forms.ModelForm):
    submit_label = "Save scorecard"
    edit_thing = "scorecard"
    indicators = forms.ModelMultipleChoiceField(
        queryset=Indicator.objects.none(),
        label="Indicators",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one indicator"},
    )

    class Meta:
        model = Scorecard
        fields = ["name"]
        labels = {"name": "Name of the scorecard"}
        error_messages = {
            "name": {
                "required": "Enter a name for the scorecard",
                "unique": "A scorecard with this name already exists",
            }
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        indicators = cast("forms.ModelMultipleChoiceField[Indicator]", self.fields["indicators"])
        indicators.queryset = (
            Indicator.objects.active()
        )  # labelled "code: name" by Indicator.__str__
        if self.instance.pk:
            self.initial["indicators"] = list(
                self.instance.entries.values_list("indicator_id", flat=True)
            )

    def guarded_rows(self) -> list[QuerySet]:
        """The scorecard and its list of indicators, which a save replaces."""
        if self.instance.pk is None:
            return []
        return [
            Scorecard.objects.filter(pk=self.instance.pk),
            ScorecardIndicator.objects.filter(scorecard=self.instance),
        ]


class IndicatorSettingsForm(VersionedFormMixin, GDSFormMixin, forms.ModelForm):
    """What SENDOPS set per indicator: who owns it, what it serves, and the RAG tolerance."""

    submit_label = "Save settings"
    edit_thing = "indicator's settings"

    class Meta:
        model = Indicator
        fields = ["owner", "owner_title", "priority", "tolerance", "is_active"]
        labels = {
            "owner": "Owner",
            "owner_title": "Owner's role (shown when no person is set)",
            "priority": "Outcome or priority it serves",
            "tolerance": "Amber tolerance",
            "is_active": "Show it on the scorecard",
        }
        help_texts = {
            "owner": "Asked for commentary when the indicator is red or declining.",
            "tolerance": "How far from target still counts as amber, in the indicator's unit "
            "(for example 5 for 5 percentage points). 0 makes any miss red.",
        }
        error_messages = {"tolerance": {"invalid": "Enter the tolerance as a number, like 5"}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = cast("forms.ModelChoiceField[User]", self.fields["owner"])
        owner.queryset = User.objects.active().order_by("full_name")
        owner.empty_label = "No one yet"
        owner.required = False

    def clean_tolerance(self) -> Decimal:
        tolerance: Decimal = self.cleaned_data["tolerance"]
        if tolerance < 0:
            raise ValidationError("The tolerance cannot be below zero")
        return tolerance


class TargetForm(GDSFormMixin, forms.ModelForm):
    submit_label = "Add target"

    class Meta:
        model = Target
        fields = ["period_start", "period_end", "label", "value"]
        labels = {
            "period_start": "From",
            "period_end": "To",
            "label": "Name of the period (optional)",
            "value": "Target",
        }
        help_texts = {"label": "For example 2026/27, year one."}
        widgets = {
            "period_start": DatePicker(),
            "period_end": DatePicker(),
        }
        error_messages = {
            "period_start": {"required": "Enter the date the target starts"},
            "period_end": {"required": "Enter the date the target ends"},
            "value": {"required": "Enter the target", "invalid": "Enter the target as a number"},
        }

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The target must end on or after the day it starts")
        value = cleaned.get("value")
        if value is not None and self.indicator.unit == "percentage" and not 0 <= value <= 100:
            self.add_error("value", "Enter a percentage between 0 and 100")
        if (
            start
            and end
            and Target.objects.filter(indicator=self.indicator, period_start=start, period_end=end)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("period_start", "There is already a target for this period")
        return cleaned
