"""Forms of the KPI app."""

from decimal import Decimal
from typing import Any, ClassVar, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from kpis.access import owner_may_enter_values, values_right_set
from kpis.catalogue import catalogue_codes
from kpis.models import (
    Area,
    ExceptionNote,
    Indicator,
    Measurement,
    Origin,
    Scorecard,
    ScorecardIndicator,
    Target,
    TargetKind,
)
from kpis.roles import VALUE_ENTERERS
from kpis.validity import kept, measurement_problems, value_problem
from send_qa.core.concurrency import VersionedFormMixin
from send_qa.core.forms import GDSFormMixin, GOVUKDateField, SpreadsheetUploadForm
from send_qa.core.models import User
from send_qa.core.uploads import MB


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
    period_start = GOVUKDateField(
        label="Period starts",
        subject="The date the period starts",
        error_messages={"required": "Enter the date the period starts"},
    )
    period_end = GOVUKDateField(
        label="Period ends",
        subject="The date the period ends",
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
    """What SENDOPS set per indicator: who owns it (and whether they enter its values), what
    it serves, its baseline, the RAG tolerance and whether it is in use. Of the council's own
    indicators they also keep the definition; a new indicator is always the council's own.
    The shipped catalogue's definitions change only with the catalogue (kpis/catalogue.py)."""

    submit_label = "Save settings"
    edit_thing = "indicator's settings"
    DEFINING = (
        "name",
        "definition",
        "unit",
        "polarity",
        "oba_category",
        "source",
        "frequency",
        "describes",
    )
    owner_enters_values = forms.BooleanField(
        label="The owner may enter its values",
        required=False,
        help_text="For a partner who owns it (an NHS or social-care member with the action "
        "owner's role): they find it under My indicators and may enter its values, and no "
        "other indicator's. Changing the owner takes the right away from the old one.",
    )

    class Meta:
        model = Indicator
        field_classes = {"baseline_date": GOVUKDateField}
        fields = [
            "code",
            "name",
            "definition",
            "unit",
            "polarity",
            "oba_category",
            "source",
            "frequency",
            "describes",
            "owner",
            "owner_title",
            "priority",
            "baseline_value",
            "baseline_date",
            "tolerance",
            "is_active",
        ]
        labels = {
            "code": "Code",
            "name": "Name",
            "definition": "Definition",
            "unit": "Unit",
            "polarity": "Better when",
            "oba_category": "Which question it answers",
            "source": "Where its values come from",
            "frequency": "How often it is measured",
            "describes": "What its values are about",
            "owner": "Owner",
            "owner_title": "Owner's role (shown when no person is set)",
            "priority": "Outcome or priority it serves",
            "baseline_value": "Baseline value (optional)",
            "baseline_date": "Date of the baseline",
            "tolerance": "Amber tolerance",
            "is_active": "In use: show it on the scorecard",
        }
        help_texts = {
            "code": "2 to 30 capital letters, digits and underscores, starting with a letter, "
            "for example LOCAL_SURVEY_VOICE. It cannot be changed later.",
            "definition": "What is counted, over what, and where the data comes from.",
            "describes": "Decides how small numbers are protected on board pages and exports.",
            "owner": "Asked for commentary when the indicator is red or declining.",
            "baseline_value": "Where the indicator started, in its unit, to measure progress from.",
            "tolerance": "How far from target still counts as amber, in the indicator's unit "
            "(for example 5 for 5 percentage points). 0 makes any miss red.",
            "is_active": "Untick to retire it: its values and history are kept, and ticking it "
            "again brings it back.",
        }
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 4}),
            "describes": forms.RadioSelect,  # its two answers are sentences, too long for a box
        }
        error_messages = {
            "code": {
                "required": "Enter a code for the indicator",
                "unique": "An indicator with this code already exists",
            },
            "name": {"required": "Enter the indicator's name"},
            "definition": {"required": "Enter what the indicator measures"},
            "unit": {"required": "Select the unit"},
            "polarity": {"required": "Select whether higher or lower is better"},
            "oba_category": {"required": "Select which question it answers"},
            "source": {"required": "Select where its values come from"},
            "frequency": {"required": "Select how often it is measured"},
            "tolerance": {"invalid": "Enter the tolerance as a number, like 5"},
            "baseline_value": {"invalid": "Enter the baseline as a number, like 42.5"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        adding = self.instance.pk is None
        if not adding:
            del self.fields["code"]
            self.initial.setdefault("owner_enters_values", owner_may_enter_values(self.instance))
        if not adding and not self.instance.is_councils_own:
            for name in self.DEFINING:
                del self.fields[name]
        owner = cast("forms.ModelChoiceField[User]", self.fields["owner"])
        owner.queryset = User.objects.active().order_by("full_name")
        owner.empty_label = "No one yet"
        owner.required = False

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]  # the model's validate_code has checked it
        if code in catalogue_codes():
            raise ValidationError(
                f"{code} is an indicator of the shipped catalogue: load the catalogue "
                "(manage.py load_indicators) to use it, or choose another code"
            )
        return code

    def clean_tolerance(self) -> Decimal:
        tolerance: Decimal = self.cleaned_data["tolerance"]
        if tolerance < 0:
            raise ValidationError("The tolerance cannot be below zero")
        return tolerance

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        unit = cleaned.get("unit")
        if unit and (wrong := self.instance.unit_change_problem(unit)):
            self.add_error("unit", wrong)
        baseline = Indicator(
            unit=unit or self.instance.unit,
            baseline_value=cleaned.get("baseline_value"),
            baseline_date=cleaned.get("baseline_date"),
        )
        for field, message in baseline.baseline_problems().items():
            if field not in self.errors:
                self.add_error(field, message)
        owner = cleaned.get("owner")
        if cleaned.get("owner_enters_values"):
            if owner is None:
                self.add_error("owner_enters_values", "Choose the owner who will enter its values")
            elif not owner.has_role(*VALUE_ENTERERS):
                self.add_error(
                    "owner_enters_values",
                    f"{owner.full_name or owner.email} does not hold the action owner's role, "
                    "which a partner needs to enter values: ask an admin to give it, or leave "
                    "this unticked",
                )
        return cleaned

    def save(self, commit: bool = True) -> Indicator:
        indicator: Indicator = super().save(commit=False)
        if indicator.pk is None:
            indicator.origin = Origin.COUNCIL
        if commit:
            indicator.save()
            values_right_set(indicator, granted=bool(self.cleaned_data.get("owner_enters_values")))
        return indicator


class IndicatorFileForm(GDSFormMixin, forms.Form):
    """The council's own indicators as JSON (docs/imports.md). Cleans to the file's text."""

    submit_label = "Import indicators"
    file = forms.FileField(
        label="Upload a file of indicators (JSON)",
        help_text='In the format "Export our indicators" writes. Indicators are added or '
        "updated by code; nothing is saved unless the whole file is right.",
        error_messages={"required": "Select a JSON file"},
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 2 * MB:
            raise ValidationError("The selected file must be smaller than 2 MB")
        try:
            return str(upload.read().decode("utf-8"))
        except UnicodeDecodeError:
            raise ValidationError("The selected file must be a JSON file in UTF-8") from None


class TargetForm(GDSFormMixin, forms.ModelForm):
    date_subjects: ClassVar[dict[str, str]] = {
        "period_start": "The date the target starts",
        "period_end": "The date the target ends",
    }
    submit_label = "Add target"

    class Meta:
        model = Target
        field_classes = {"period_start": GOVUKDateField, "period_end": GOVUKDateField}
        fields = ["kind", "period_start", "period_end", "label", "value"]
        labels = {
            "kind": "Kind of target",
            "period_start": "From",
            "period_end": "To",
            "label": "Name of the period (optional)",
            "value": "Target",
        }
        help_texts = {
            "kind": "A milestone is an interim target for a shorter period, such as a term, on "
            "the way to the final target. In its period it is the one values are rated against.",
            "label": "For example 2026/27, year one.",
        }
        widgets = {
            "kind": forms.RadioSelect,
        }
        error_messages = {
            "period_start": {"required": "Enter the date the target starts"},
            "period_end": {"required": "Enter the date the target ends"},
            "value": {"required": "Enter the target", "invalid": "Enter the target as a number"},
        }

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["kind"].required = False  # a final target unless it says milestone
        self.initial.setdefault("kind", TargetKind.FINAL)

    def clean_kind(self) -> str:
        return str(self.cleaned_data.get("kind") or TargetKind.FINAL)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The target must end on or after the day it starts")
        value = cleaned.get("value")
        if value is not None and (wrong := value_problem(self.indicator.unit, value)):
            self.add_error("value", wrong.removesuffix(", for example 72.5"))
        if (
            start
            and end
            and Target.objects.filter(indicator=self.indicator, period_start=start, period_end=end)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("period_start", "There is already a target for this period")
        return cleaned
