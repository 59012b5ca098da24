"""Forms of the action plans app. Wherever a RAG is chosen its key's definitions are shown."""

import datetime
from typing import Any, ClassVar, cast

from crispy_forms_gds.choices import Choice
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from send_qa.core.concurrency import VersionedFormMixin
from send_qa.core.forms import GDSFormMixin, GOVUKDateField, SpreadsheetUploadForm
from send_qa.core.models import User
from send_qa.core.roles import Role
from send_qa.core.uploads import MB, UploadRefused, check_evidence_file, safe_display_name
from wsoa.models import Action, ActionPlan, Evidence, RagKey, RagStatus, Weakness
from wsoa.models import DueDate as DueDateRecord
from wsoa.timescales import DueDate, Timescale, TimescaleError, parse_timescale


def status_choices(key: RagKey) -> list[Choice]:
    return [Choice(s.pk, s.name, hint=s.definition) for s in key.statuses.order_by("order")]


class PlanForm(VersionedFormMixin, GDSFormMixin, forms.ModelForm):
    date_subjects: ClassVar[dict[str, str]] = {
        "inspection_start": "The date the inspection started",
        "inspection_end": "The date the inspection ended",
        "submitted_on": "The date the plan was submitted",
        "revisit_due": "The date the revisit is due",
    }
    submit_label = "Save the plan"
    edit_thing = "action plan"

    class Meta:
        model = ActionPlan
        field_classes = {
            "inspection_start": GOVUKDateField,
            "inspection_end": GOVUKDateField,
            "submitted_on": GOVUKDateField,
            "revisit_due": GOVUKDateField,
        }
        fields = [
            "name",
            "kind",
            "inspection_start",
            "inspection_end",
            "submitted_on",
            "revisit_due",
            "governance_forums",
            "stale_after_weeks",
        ]
        labels = {
            "name": "Name of the plan",
            "kind": "Kind of plan",
            "inspection_start": "Inspection started (optional)",
            "inspection_end": "Inspection ended (optional)",
            "submitted_on": "Submitted on (optional)",
            "revisit_due": "Revisit due (optional)",
            "governance_forums": "Governance forums (optional)",
            "stale_after_weeks": "An action is stale after how many weeks without an update?",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "governance_forums": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "name": {
                "required": "Enter a name for the plan",
                "unique": "A plan with this name already exists",
            }
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("inspection_start"), cleaned.get("inspection_end")
        if start and end and end < start:
            self.add_error("inspection_end", "The inspection must end on or after it started")
        return cleaned


class WeaknessForm(VersionedFormMixin, GDSFormMixin, forms.ModelForm):
    submit_label = "Save"
    edit_thing = "weakness"

    class Meta:
        model = Weakness
        fields = ["number", "heading", "text", "aim", "kpis", "indicators"]
        labels = {
            "number": "Number",
            "heading": "Heading as the plan writes it (optional)",
            "text": "Significant weakness (or area for priority action)",
            "aim": "Aim of this programme of work (optional)",
            "kpis": "KPIs / targets for assessing overall success (optional)",
            "indicators": "Scorecard indicators it is measured by (optional)",
        }
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "aim": forms.Textarea(attrs={"rows": 4}),
            "kpis": forms.Textarea(attrs={"rows": 4}),
            "indicators": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "text": {"required": "Enter the weakness as the inspection letter states it"}
        }

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["indicators"].required = False  # labelled "code: name" by Indicator.__str__

    def guarded_rows(self) -> list[QuerySet[Any]]:
        """The weakness and the indicators it is measured by."""
        if self.instance.pk is None:
            return []
        links = Weakness.indicators.through.objects.filter(weakness_id=self.instance.pk)
        return [Weakness.objects.filter(pk=self.instance.pk), links]

    def clean_number(self) -> int:
        number: int = self.cleaned_data["number"]
        clash = Weakness.objects.filter(plan=self.plan, number=number).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(f"Weakness {number} already exists in this plan")
        return number


class ActionForm(VersionedFormMixin, GDSFormMixin, forms.ModelForm):
    submit_label = "Save the action"
    edit_thing = "action"
    lead_user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Lead (a person)",
        required=False,
        empty_label="No one named yet",
        help_text="They can update this action's progress, and nothing else.",
    )
    # and "initial", the RAG when the plan was written: added in __init__, as a field declared
    # here by that name would hide the form's own `initial` from the type checker
    parsed_timescale: Timescale | None

    class Meta:
        model = Action
        fields = [
            "number",
            "improvement_area",
            "text",
            "success_measures",
            "lead_title",
            "senior_responsible_officer",
            "governance_forum",
            "start",
            "timescale",
        ]
        labels = {
            "number": "Reference",
            "improvement_area": "Improvement area",
            "text": "Actions",
            "success_measures": "Success measure(s)",
            "lead_title": "Lead (a role title, optional)",
            "senior_responsible_officer": "Senior responsible officer (optional)",
            "governance_forum": "Governance forum",
            "start": "Start (optional, as the plan writes it)",
            "timescale": "Timescale",
        }
        help_texts = {
            "number": "As the plan writes it, such as 1.1, 2.1(A) or 5.1.3.",
            "timescale": "As in the plan: a month and year (Dec 2019), a date, a term (Summer "
            "term 2020) or several (July 2020 July 2021); 'ongoing' or 'quarterly' are kept.",
        }
        widgets = {
            "improvement_area": forms.Textarea(attrs={"rows": 3}),
            "text": forms.Textarea(attrs={"rows": 4}),
            "success_measures": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "number": {"required": "Enter the action's reference"},
            "text": {"required": "Enter the action"},
        }

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        cast("forms.ModelChoiceField[User]", self.fields["lead_user"]).queryset = (
            User.objects.active().with_role(Role.ACTION_OWNER).order_by("full_name")
        )
        self.fields["initial"] = forms.TypedChoiceField(
            label="RAG when the plan was written",
            coerce=int,
            widget=forms.RadioSelect,
            choices=status_choices(plan.rag_key),
            error_messages={"required": "Select the RAG the action started at"},
        )
        if self.instance.pk:
            self.initial["lead_user"] = self.instance.lead_id
            self.initial["initial"] = self.instance.initial_status_id

    def guarded_rows(self) -> list[QuerySet[Any]]:
        """The action (its RAG and lead too) and the dates its timescale gives."""
        pk = self.instance.pk
        if pk is None:
            return []
        return [Action.objects.filter(pk=pk), DueDateRecord.objects.filter(action_id=pk)]

    def clean_timescale(self) -> str:
        text: str = self.cleaned_data["timescale"].strip()
        if not text:
            self.parsed_timescale = None
            return text
        try:
            self.parsed_timescale = parse_timescale(text)
        except TimescaleError as error:
            raise ValidationError(str(error)) from None
        return text

    def initial_status(self) -> RagStatus:
        return RagStatus.objects.get(pk=self.cleaned_data["initial"], key=self.plan.rag_key)

    def due_dates(self) -> list[DueDate]:
        parsed = getattr(self, "parsed_timescale", None)
        return parsed.due_dates if parsed else []


class ProgressUpdateForm(GDSFormMixin, forms.Form):
    submit_label = "Save the update"
    date = GOVUKDateField(
        label="Date of the update",
        error_messages={"required": "Enter the date of the update"},
    )
    narrative = forms.CharField(
        label="Progress update",
        help_text="What has been done since the last update, and the evidence for it.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what progress has been made"},
    )
    status = forms.TypedChoiceField(
        label="RAG now",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the RAG the action is at now"},
    )

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        cast(forms.ChoiceField, self.fields["status"]).choices = status_choices(
            action.weakness.plan.rag_key
        )
        self.initial.setdefault("date", timezone.localdate())
        self.initial.setdefault("status", action.status_id)

    def clean_date(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise ValidationError("Date of the update must be today or in the past")
        return day

    def status_object(self) -> RagStatus:
        return RagStatus.objects.get(pk=self.cleaned_data["status"])


class EvidenceForm(GDSFormMixin, forms.ModelForm):
    submit_label = "Add evidence"
    link = forms.URLField(
        label="Or give a link (optional)",
        required=False,
        assume_scheme="https",
        help_text="For example to a document on the council's intranet.",
        error_messages={"invalid": "Enter a link starting with https://"},
    )

    class Meta:
        model = Evidence
        fields = ["description", "file"]
        labels = {"description": "What it shows", "file": "Upload a file (optional)"}
        error_messages = {"description": {"required": "Enter what the evidence shows"}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        file = cast(forms.FileField, self.fields["file"])
        # The stored name is random and short, so a long name on the uploader's disk is fine.
        file.max_length = None
        file.help_text = (
            "PDF, Word, Excel, PowerPoint, OpenDocument, CSV, text or an image (PNG or JPEG); "
            f"at most {settings.EVIDENCE_MAX_BYTES / MB:g} MB. No personal details of children."
        )

    def save(self, commit: bool = True) -> Evidence:
        evidence: Evidence = super().save(commit=False)
        evidence.link = self.cleaned_data.get("link", "")
        if commit:
            evidence.save()
        return evidence

    def clean_file(self) -> Any:
        """Checked by what the file holds: a PNG renamed .pdf, or a web page renamed .docx, is
        refused. The name is kept only to show (safely); the stored file gets a random one."""
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        try:
            check_evidence_file(upload, safe_display_name(upload.name))
        except UploadRefused as refusal:
            raise ValidationError(str(refusal)) from None
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not cleaned.get("file") and not cleaned.get("link"):
            raise ValidationError("Upload a file or give a link")
        return cleaned


class SnapshotForm(GDSFormMixin, forms.Form):
    submit_label = "Take the snapshot"
    taken_on = GOVUKDateField(
        label="Freeze every action's RAG as it stood on",
        subject="The date of the snapshot",
        error_messages={"required": "Enter the date of the snapshot"},
    )
    label = forms.CharField(
        label="Name of the snapshot",
        max_length=100,
        help_text="For example Q2 2026/27 monitoring with the DfE and NHS England.",
        error_messages={
            "required": "Enter a name for the snapshot",
            "max_length": "Name the snapshot in at most 100 characters",
        },
    )

    def clean_taken_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["taken_on"]
        if day > timezone.localdate():
            raise ValidationError("A snapshot is of a day that has come: choose today or before")
        return day


class ActionTableUploadForm(SpreadsheetUploadForm):
    submit_label = "Check the table"
    max_megabytes = 10
    hint = "The plan's table with its own column headings. Nothing is saved if any row is wrong."


class RagStatusForm(forms.ModelForm):
    class Meta:
        model = RagStatus
        fields = ["name", "definition", "colour", "counts_as_done"]
        labels = {
            "name": "Name",
            "definition": "Definition",
            "colour": "Colour",
            "counts_as_done": "Counts as done",
        }
        widgets = {"definition": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "name": {"required": "Enter the status's name"},
            "definition": {"required": "Enter what the status means"},
        }


RagStatusFormSet = forms.modelformset_factory(
    RagStatus, form=RagStatusForm, extra=1, can_delete=False
)


class RagKeyVersionForm(VersionedFormMixin, forms.Form):
    """The version of a plan's RAG key that its page was built from: the statuses are edited
    in a formset, which this form guards as one record."""

    edit_thing = "RAG key"

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        self.plan = plan
        super().__init__(*args, **kwargs)

    def guarded_rows(self) -> list[QuerySet[Any]]:
        return [
            ActionPlan.objects.filter(pk=self.plan.pk),
            RagStatus.objects.filter(key_id=self.plan.rag_key_id),
        ]


NEW_PLAN = "new"
NEW_AREA = "new"


class RaisePlanForm(GDSFormMixin, forms.Form):
    """Raising an action, step 1: the plan it goes in (an improvement plan by default)."""

    submit_label = "Continue"
    plan = forms.ChoiceField(
        label="Which plan should the action go in?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the plan the action goes in",
            "invalid_choice": "Select one of the plans listed: the one chosen no longer exists",
        },
    )

    def __init__(self, *args: Any, plans: list[ActionPlan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [Choice(str(p.uuid), p.name, hint=p.get_kind_display()) for p in plans]
        if not any(p.kind == ActionPlan.Kind.IMPROVEMENT for p in plans):
            choices.insert(0, Choice(NEW_PLAN, "A new improvement plan"))
        cast(forms.ChoiceField, self.fields["plan"]).choices = choices
        if choices:
            self.initial.setdefault("plan", choices[0].value)


class RaiseActionForm(ActionForm):
    """Raising an action, step 2: the action form, pre-filled from the evidence, with the area
    for improvement it belongs to (one of the plan's, or a new one named after the evidence)."""

    submit_label = "Raise the action"
    area = forms.ChoiceField(
        label="Area for improvement",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the area for improvement"},
    )
    area_text = forms.CharField(
        label="The new area for improvement",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    field_order = ["area", "area_text"]

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, plan=plan, **kwargs)
        weaknesses = list(plan.weaknesses.order_by("number")) if plan.pk else []
        self.weaknesses = {str(w.number): w for w in weaknesses}
        cast(forms.ChoiceField, self.fields["area"]).choices = [
            Choice(NEW_AREA, "A new area for improvement"),
            *[Choice(str(w.number), str(w)) for w in weaknesses],
        ]
        self.fields["number"].required = False
        self.fields[
            "number"
        ].help_text = "Leave blank for the next in the area, such as 3.1, or write the plan's own."
        self.order_fields(["area", "area_text", *self.fields])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if cleaned.get("area") == NEW_AREA and not (cleaned.get("area_text") or "").strip():
            self.add_error("area_text", "Enter the new area for improvement")
        return cleaned

    def chosen_weakness(self) -> Weakness | None:
        """The existing area chosen, or None for a new one."""
        return self.weaknesses.get(self.cleaned_data["area"])
