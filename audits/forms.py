"""Forms of the audits app."""

import datetime
import json
from collections.abc import Iterator
from typing import Any, cast

from crispy_forms_gds.choices import Choice
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.boundfield import BoundField
from django.urls import reverse
from django.utils import timezone

from audits.models import (
    Advice,
    AdviceService,
    Answer,
    Audit,
    ChecklistTemplate,
    ModerationSession,
    Plan,
    Profession,
    SampledPlan,
    TemplateItem,
)
from audits.models.advice import ADVICE_DUE_AFTER
from audits.roles import AUDIT_ASSIGNEES
from send_qa.core.concurrency import VersionedFormMixin
from send_qa.core.forms import GDSFormMixin, GOVUKDateField, SpreadsheetUploadForm
from send_qa.core.models import Period, Team, User
from send_qa.core.roles import Role, group_name


def _item_field(item: TemplateItem) -> forms.Field:
    if item.kind == TemplateItem.Kind.TEXT:
        return forms.CharField(
            label=item.text, required=False, widget=forms.Textarea(attrs={"rows": 3})
        )
    return forms.ChoiceField(
        label=item.text,
        choices=Answer.choices_for(item),
        required=False,
        widget=forms.RadioSelect,
    )


def extra_choices(extra: dict[str, Any]) -> list[tuple[str, str]]:
    """An extra field's choices, given as plain strings or as {"value", "label"} objects."""
    return [
        (c, c) if isinstance(c, str) else (c["value"], c["label"]) for c in extra.get("choices", [])
    ]


def _extra_field(extra: dict[str, Any]) -> forms.Field:
    if extra["kind"] == "date":
        return GOVUKDateField(label=extra["label"], required=False)
    if extra["kind"] == "multi_choice":
        return forms.MultipleChoiceField(
            label=extra["label"],
            required=False,
            choices=extra_choices(extra),
            widget=forms.CheckboxSelectMultiple,
        )
    return forms.CharField(label=extra["label"], required=False, max_length=500)


class AuditFormMixin(VersionedFormMixin):
    """A page of an audit carries the version of the audit and its answers it was built from;
    the audit's own methods check it when they save."""

    edit_thing = "audit"
    audit: Audit

    def guarded_rows(self) -> list[QuerySet[Any]]:
        return self.audit.edit_rows()


class SectionAnswersForm(AuditFormMixin, forms.Form):
    """The answers to one section. Drafts may be partial: required answers are checked on submit."""

    def __init__(
        self,
        *args: Any,
        audit: Audit,
        items: list[TemplateItem],
        answers: dict[int, Answer],
        **kwargs: Any,
    ) -> None:
        self.audit = audit
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            answer = answers.get(item.pk)
            self.fields[f"item_{item.pk}"] = _item_field(item)
            self.fields[f"comment_{item.pk}"] = forms.CharField(
                label="Comments (optional)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            for extra in item.extra_fields:
                self.fields[f"extra_{item.pk}_{extra['key']}"] = _extra_field(extra)
            if answer is not None:
                value = answer.value_for(item)
                self.initial[f"item_{item.pk}"] = "" if value is None else str(value)
                self.initial[f"comment_{item.pk}"] = answer.comment
                for extra in item.extra_fields:
                    self.initial[f"extra_{item.pk}_{extra['key']}"] = answer.extras.get(
                        extra["key"]
                    )

    def rows(self) -> Iterator[tuple[TemplateItem, BoundField, BoundField, list[BoundField]]]:
        """(item, answer field, comment field, extra fields) for the template, in order."""
        for item in self.items:
            yield (
                item,
                self[f"item_{item.pk}"],
                self[f"comment_{item.pk}"],
                [self[f"extra_{item.pk}_{e['key']}"] for e in item.extra_fields],
            )

    def answer_values(self) -> dict[int, dict[str, Any]]:
        """Item id -> fields for Audit.save_answers: the answer as given, comment and extras."""
        values = {}
        for item in self.items:
            extras = {}
            for extra in item.extra_fields:
                value = self.cleaned_data.get(f"extra_{item.pk}_{extra['key']}")
                if isinstance(value, datetime.date):  # a date field: stored as ISO text
                    value = value.isoformat()
                extras[extra["key"]] = value
            values[item.pk] = {
                "value": self.cleaned_data.get(f"item_{item.pk}") or "",
                "comment": self.cleaned_data.get(f"comment_{item.pk}", ""),
                "extras": {k: v for k, v in extras.items() if v not in (None, "", [])},
            }
        return values


class OverallForm(AuditFormMixin, GDSFormMixin, forms.Form):
    submit_label = "Save and continue"

    def __init__(self, *args: Any, audit: Audit, **kwargs: Any) -> None:
        self.audit = audit
        super().__init__(*args, **kwargs)
        template = audit.template
        if scale := template.overall_rating_scale:  # the template has an overall rating
            labels = scale.get("labels", {})
            self.fields["overall_rating"] = forms.TypedChoiceField(
                label="Rating of the plan as a whole",
                help_text=template.overall_rating_text,
                choices=[
                    (str(v), f"{v}" + (f" – {labels[str(v)]}" if str(v) in labels else ""))
                    for v in range(scale["min"], scale["max"] + 1)
                ],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
        if template.final_comments:
            self.fields["final_comments"] = forms.CharField(
                label="Final comments (optional)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
            )


class SubmitForm(AuditFormMixin, forms.Form):
    def __init__(self, *args: Any, audit: Audit, **kwargs: Any) -> None:
        self.audit = audit
        super().__init__(*args, **kwargs)


class AssignForm(GDSFormMixin, forms.Form):
    submit_label = "Assign audits"
    confirm = forms.CharField(widget=forms.HiddenInput, initial="1", required=False)
    plans = forms.ModelMultipleChoiceField(
        queryset=Plan.objects.none(), to_field_name="uuid", widget=forms.MultipleHiddenInput
    )
    auditor = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Auditor",
        empty_label="Select an auditor",
        error_messages={"required": "Select the auditor who will score these plans"},
    )
    template = forms.ModelChoiceField(
        queryset=ChecklistTemplate.objects.none(),
        label="Checklist",
        empty_label=None,
        help_text="Audits keep the version they are scored against.",
    )
    term = forms.ModelChoiceField(
        queryset=Period.objects.none(),
        label="Term the audits count in",
        empty_label=None,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.form_action = reverse("audits:assign")
        plans = cast("forms.ModelMultipleChoiceField[Plan]", self.fields["plans"])
        plans.queryset = Plan.objects.filter(is_active=True)
        plans.error_messages["required"] = "Select at least one plan to assign"
        cast("forms.ModelChoiceField[User]", self.fields["auditor"]).queryset = (
            User.objects.active()
            .filter(groups__name__in=[group_name(role) for role in AUDIT_ASSIGNEES])
            .distinct()
            .order_by("full_name")
        )
        template = cast("forms.ModelChoiceField[ChecklistTemplate]", self.fields["template"])
        template.queryset = ChecklistTemplate.objects.published().for_subject(
            ChecklistTemplate.Subject.EHCP
        )
        terms = Period.objects.terms_for_choice(timezone.localdate())
        cast("forms.ModelChoiceField[Period]", self.fields["term"]).queryset = terms
        current = Period.objects.term_in_hand(timezone.localdate())
        if current:
            self.initial.setdefault("term", current.pk)


class AssignMatchingForm(AssignForm):
    """Assigning every plan that matches the register's filters: the filters travel in the
    page's address, and `matching` is the count the person saw, so that a selection that has
    changed since is shown again rather than assigned unseen."""

    matching = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, query: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["plans"]
        self.helper.form_action = reverse("audits:assign_matching") + (f"?{query}" if query else "")


class ReopenForm(GDSFormMixin, forms.Form):
    submit_label = "Reopen audit"
    reason = forms.CharField(
        label="Why are you reopening this audit?",
        help_text="The auditor will see this. It is kept in the audit's history.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why you are reopening this audit"},
    )


class PlanUploadForm(SpreadsheetUploadForm):
    submit_label = "Import plans"
    hint = (
        "One row per plan, with the column headers in the guide below. Nothing is saved if "
        "any row is wrong."
    )


class TemplateUploadForm(GDSFormMixin, forms.Form):
    """A checklist template as JSON (docs/templates.md). Cleans to the parsed JSON object."""

    submit_label = "Import checklist"
    file = forms.FileField(
        label="Upload a checklist template (JSON)",
        help_text="In the format of an exported checklist. A draft with the same name and "
        "version is replaced; a published version is never changed.",
        error_messages={"required": "Select a JSON file"},
    )
    publish = forms.BooleanField(
        label="Publish it now, so that audits can be scored against it",
        required=False,
    )

    def clean_file(self) -> Any:
        """The parsed JSON, whatever it holds (the import says what is wrong with it)."""
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise ValidationError("The selected file must be smaller than 2 MB")
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
            where = (
                f" (line {error.lineno}, column {error.colno})"
                if isinstance(error, json.JSONDecodeError)
                else ""
            )
            raise ValidationError(
                f"The selected file must be a checklist template in JSON{where}"
            ) from None


def _moderator_choices() -> list[Choice]:
    people = (
        User.objects.active()
        .with_role(Role.AUDITOR)
        .select_related("organisation")
        .order_by("organisation__name", "full_name")
    )
    return [
        Choice(
            person.pk,
            person.full_name or person.email,
            hint=person.organisation.name if person.organisation else "",
        )
        for person in people
    ]


class ModerationSessionForm(VersionedFormMixin, GDSFormMixin, forms.ModelForm):
    submit_label = "Save session"
    edit_thing = "moderation session"

    members = forms.TypedMultipleChoiceField(
        label="Members",
        help_text="People with the auditor or moderator role, from several agencies. "
        "Each re-audits every sampled plan independently.",
        choices=_moderator_choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the members of the moderation group"},
    )

    class Meta:
        model = ModerationSession
        field_classes = {"date": GOVUKDateField}
        fields = ["date", "term", "pool", "sample_size", "exclude_months"]
        labels = {
            "date": "Date of the meeting",
            "term": "Term the session moderates",
            "pool": "Draw the sample from",
            "sample_size": "Number of plans to sample",
            "exclude_months": "Leave out plans moderated in the last (months)",
        }
        help_texts = {
            "sample_size": "At least 6, as the quality assurance framework asks. The sample represents primary needs, with "
            "age bands and placement types spread within them.",
        }
        widgets = {"pool": forms.RadioSelect}
        error_messages = {
            "date": {"required": "Enter the date of the meeting"},
            "sample_size": {
                "min_value": "Sample at least 6 plans",
                "max_value": "Sample at most 60 plans",
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        term = cast("forms.ModelChoiceField[Period]", self.fields["term"])
        term.queryset = Period.objects.terms_for_choice(timezone.localdate())
        term.empty_label = None
        cast(forms.ChoiceField, self.fields["pool"]).choices = ModerationSession.Pool.choices
        if self.instance.pk:
            self.initial["members"] = list(self.instance.members.values_list("pk", flat=True))
        else:
            current = Period.objects.term_in_hand(timezone.localdate())
            if current:
                self.initial.setdefault("term", current.pk)

    def guarded_rows(self) -> list[QuerySet[Any]]:
        """The session and its members."""
        if self.instance.pk is None:
            return []
        members = ModerationSession.members.through.objects.filter(
            moderationsession_id=self.instance.pk
        )
        return [ModerationSession.objects.filter(pk=self.instance.pk), members]

    def save(self, commit: bool = True) -> ModerationSession:
        session: ModerationSession = super().save(commit=commit)
        if commit:
            session.members.set(self.cleaned_data["members"])
        return session


class AgreedGradeForm(VersionedFormMixin, GDSFormMixin, forms.ModelForm):
    submit_label = "Save the agreed grade"
    edit_thing = "agreed grade"

    class Meta:
        model = SampledPlan
        fields = ["agreed_grade", "agreed_notes"]
        labels = {"agreed_grade": "Grade agreed by the group", "agreed_notes": "Notes (optional)"}
        widgets = {"agreed_notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, grades: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreed_grade"] = forms.ChoiceField(
            label="Grade agreed by the group",
            choices=[(g, g) for g in grades],
            widget=forms.RadioSelect,
            error_messages={"required": "Select the grade the group agreed"},
        )


class KeyIssuesForm(VersionedFormMixin, GDSFormMixin, forms.ModelForm):
    submit_label = "Save the key issues report"
    edit_thing = "key issues report"

    class Meta:
        model = ModerationSession
        fields = ["themes", "agreed_actions", "learning"]
        labels = {
            "themes": "Themes",
            "agreed_actions": "Agreed actions",
            "learning": "Learning for staff",
        }
        help_texts = {
            "themes": "What the group saw across the plans: strengths and weaknesses.",
            "agreed_actions": "What will be done, by whom and when.",
            "learning": "What practitioners should take from this session.",
        }
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in fields}


class AdviceServiceForm(VersionedFormMixin, GDSFormMixin, forms.ModelForm):
    submit_label = "Save service"
    edit_thing = "service"

    class Meta:
        model = AdviceService
        fields = ["name", "profession", "contact_email", "is_active"]
        labels = {
            "name": "Name of the service",
            "profession": "Profession or service",
            "contact_email": "Contact email for reminders",
            "is_active": "Send reminders to this service",
        }
        error_messages = {
            "name": {
                "required": "Enter the name of the service",
                "unique": "A service with this name already exists",
            },
            "contact_email": {
                "required": "Enter the email address reminders go to",
                "invalid": "Enter an email address in the correct format, like team@example.org",
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["profession"]).choices = Profession.choices


class AdviceForm(VersionedFormMixin, GDSFormMixin, forms.ModelForm):
    """An advice request: which plan, which service, and the dates."""

    submit_label = "Save advice request"
    edit_thing = "advice request"
    case_reference = forms.CharField(
        label="Case reference of the plan",
        help_text="As in the plans register, for example EHC004512.",
        error_messages={"required": "Enter the case reference of the plan"},
    )

    class Meta:
        model = Advice
        field_classes = {
            "requested": GOVUKDateField,
            "due": GOVUKDateField,
            "received": GOVUKDateField,
        }
        fields = ["service", "requested", "due", "received"]
        labels = {
            "service": "Service asked for advice",
            "requested": "Date requested",
            "due": "Date due (optional)",
            "received": "Date received (optional)",
        }
        help_texts = {
            "due": "Leave empty for 6 weeks after the request.",
            "received": "Leave empty until the advice arrives.",
        }
        error_messages = {
            "service": {"required": "Select the service asked for advice"},
            "requested": {"required": "Enter the date the advice was requested"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        service = cast("forms.ModelChoiceField[AdviceService]", self.fields["service"])
        service.queryset = AdviceService.objects.filter(is_active=True)
        service.empty_label = "Select a service"
        self.fields["due"].required = False
        if self.instance.pk:
            self.initial["case_reference"] = self.instance.plan.case_reference

    def clean_case_reference(self) -> Plan:
        reference = self.cleaned_data["case_reference"].strip()
        plan = Plan.objects.filter(case_reference__iexact=reference).first()
        if plan is None:
            raise ValidationError(
                f"There is no plan with case reference {reference}. Check it, or import the plan"
            )
        return plan

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        requested, due, received = (cleaned.get(k) for k in ("requested", "due", "received"))
        if requested and due and due < requested:
            self.add_error("due", "The date due must be on or after the date requested")
        if requested and received and received < requested:
            self.add_error("received", "The date received must be on or after the date requested")
        return cleaned

    def save(self, commit: bool = True) -> Advice:
        advice: Advice = super().save(commit=False)
        advice.plan = self.cleaned_data["case_reference"]
        if not self.cleaned_data.get("due"):
            advice.due = advice.requested + ADVICE_DUE_AFTER
        if commit:
            advice.save()
        return advice


class AdviceScoringForm(GDSFormMixin, forms.Form):
    """Ask an auditor to score a piece of advice with the advice-writing QA tool."""

    submit_label = "Assign for scoring"
    auditor = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Auditor",
        empty_label="Select an auditor",
        error_messages={"required": "Select the auditor who will score this advice"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[User]", self.fields["auditor"]).queryset = (
            User.objects.active().with_role(Role.AUDITOR).order_by("full_name")
        )


class ResultsUploadForm(SpreadsheetUploadForm):
    """Past audit results (docs/imports.md), and the checklist they were scored against."""

    submit_label = "Check the file"
    hint = (
        "One row per audited plan, with the column headers in the guide below. You see what "
        "will be added before anything is saved."
    )
    template = forms.ChoiceField(label="Which checklist were these plans audited against?")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = (
            ChecklistTemplate.objects.published()
            .for_subject(ChecklistTemplate.Subject.EHCP)
            .order_by("name")
            .values_list("name", flat=True)
            .distinct()
        )
        cast(forms.ChoiceField, self.fields["template"]).choices = [(n, n) for n in names]


def _term_field() -> "forms.ModelChoiceField[Period]":
    """An optional term; its choices are set as each form is made (`_terms_now`), so that
    they follow the day the page is opened, not the day the server started."""
    return forms.ModelChoiceField(
        queryset=Period.objects.none(),
        to_field_name="uuid",
        required=False,
        label="Term (optional)",
        empty_label="No term",
    )


def _terms_now(form: forms.Form) -> None:
    term = cast("forms.ModelChoiceField[Period]", form.fields["term"])
    term.queryset = Period.objects.terms_for_choice(timezone.localdate())


class LocalOfferStartForm(GDSFormMixin, forms.Form):
    """Start a compliance check of the Local Offer as a whole (seed 002, Appendix A)."""

    submit_label = "Start the check"
    title = forms.CharField(
        label="Title (optional)",
        max_length=200,
        required=False,
        help_text="For example, Local Offer compliance check 2026/27. "
        "Leave it empty to use the checklist's name.",
    )
    term = _term_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _terms_now(self)


class SkillsSendForm(GDSFormMixin, forms.Form):
    """Send the workforce skills self-audit (seed 002, Appendix B) to a team or to people."""

    submit_label = "Send the self-audit"
    title = forms.CharField(
        label="Name of this round",
        max_length=200,
        help_text="For example, Skills self-audit autumn 2026. Sending the same round again "
        "reaches only the people who have not had it yet.",
        error_messages={"required": "Enter a name for this round"},
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        to_field_name="uuid",
        required=False,
        label="Send it to everyone in a team",
        empty_label="No team",
    )
    people = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        to_field_name="uuid",
        required=False,
        label="Or to these people",
        widget=forms.CheckboxSelectMultiple,
    )
    term = _term_field()
    email = forms.BooleanField(
        required=False, initial=True, label="Email each person a link to their self-audit"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each choice is named with its organisation: read with the teams, not one per team.
        teams = Team.objects.filter(is_active=True).select_related("organisation")
        cast("forms.ModelChoiceField[Team]", self.fields["team"]).queryset = teams
        people = cast("forms.ModelMultipleChoiceField[User]", self.fields["people"])
        people.queryset = _staff().order_by("full_name")
        _terms_now(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("team") and not cleaned.get("people"):
            self.add_error("team", "Choose a team or at least one person")
        return cleaned

    def recipients(self) -> list[User]:
        """Everyone active in the team chosen, and the people chosen."""
        chosen: list[User] = list(self.cleaned_data.get("people") or [])
        if team := self.cleaned_data.get("team"):
            chosen += list(_staff().filter(team=team))
        return chosen


def _staff() -> QuerySet[User]:
    """Active people who hold a role, and so may open the self-audit sent to them."""
    people: QuerySet[User] = User.objects.active().filter(groups__isnull=False).distinct()
    return people
