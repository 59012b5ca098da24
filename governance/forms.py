"""Forms of the meetings app: each gives the GOV.UK error summary; edits carry the version of
the record they were opened on (decision 0006)."""

from typing import Any, cast

from crispy_forms_gds.choices import Choice
from django import forms

from governance.models import Decision, ForwardPlanItem, Meeting
from send_qa.core.concurrency import VersionedFormMixin
from send_qa.core.forms import GDSFormMixin, GOVUKDateField
from send_qa.core.models import User
from send_qa.core.papers import Paper, kind_label


class MeetingForm(VersionedFormMixin, GDSFormMixin, forms.ModelForm):
    submit_label = "Save the meeting"
    edit_thing = "meeting"

    class Meta:
        model = Meeting
        field_classes = {"date": GOVUKDateField}
        fields = ["forum", "date", "time", "place", "title"]
        labels = {
            "forum": "Forum",
            "date": "Date of the meeting",
            "time": "Time (optional)",
            "place": "Place (optional)",
            "title": "Title (optional)",
        }
        help_texts = {"time": "For example, 14:00", "title": "For example, Extraordinary meeting"}
        widgets = {
            "forum": forms.RadioSelect,
            "time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        error_messages = {
            "forum": {"required": "Choose the forum that meets"},
            "date": {"required": "Enter the date of the meeting"},
            "time": {"invalid": "Enter a time such as 14:00"},
        }


class PaperAddForm(GDSFormMixin, forms.Form):
    """Choose one of the papers the other apps offer (send_qa.core.papers)."""

    submit_label = "Add the paper"

    paper = forms.ChoiceField(
        label="Paper",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a paper to add"},
    )
    fulfils = forms.ModelChoiceField(
        label="Paper for this forward-plan item (optional)",
        queryset=ForwardPlanItem.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, meeting: Meeting, papers: list[Paper], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.papers = {f"{paper.kind}:{paper.ref}": paper for paper in papers}
        cast(forms.ChoiceField, self.fields["paper"]).choices = [
            Choice(key, paper.title, hint=kind_label(paper.kind))
            for key, paper in self.papers.items()
        ]
        fulfils = cast(forms.ModelChoiceField, self.fields["fulfils"])
        fulfils.queryset, fulfils.empty_label = meeting.plan_items.all(), "None"

    def chosen(self) -> Paper:
        return self.papers[self.cleaned_data["paper"]]


class DecisionForm(GDSFormMixin, forms.ModelForm):
    submit_label = "Record it"

    class Meta:
        model = Decision
        fields = ["kind", "text"]
        labels = {"kind": "Decision or recommendation", "text": "What was decided or recommended"}
        widgets = {"kind": forms.RadioSelect, "text": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            "kind": {"required": "Choose decision or recommendation"},
            "text": {"required": "Enter what was decided or recommended"},
        }

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            (kind, label) for kind, label in Decision.Kind.choices if kind in kinds
        ]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]
            self.fields["kind"].widget = forms.HiddenInput()


class PlanItemForm(VersionedFormMixin, GDSFormMixin, forms.ModelForm):
    """An item of the forward plan, added or moved by hand."""

    submit_label = "Save the item"
    edit_thing = "forward-plan item"

    class Meta:
        model = ForwardPlanItem
        fields = ["title", "meeting", "lead", "lead_name", "status", "deferred_reason"]
        labels = {
            "title": "Paper",
            "meeting": "Meeting it goes to",
            "lead": "Lead (optional)",
            "lead_name": "Or the lead's role or name (optional)",
            "status": "Status",
            "deferred_reason": "Why it was deferred",
        }
        help_texts = {"deferred_reason": "Needed when the paper is deferred."}
        widgets = {
            "status": forms.RadioSelect,
            "deferred_reason": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "title": {"required": "Enter the paper's title"},
            "meeting": {"required": "Choose the meeting it goes to"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meeting = cast(forms.ModelChoiceField, self.fields["meeting"])
        meeting.queryset = Meeting.objects.order_by("date", "time", "pk")
        meeting.empty_label = "Choose a meeting"
        lead = cast(forms.ModelChoiceField, self.fields["lead"])
        lead.queryset, lead.empty_label = User.objects.active(), "No one named"

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        deferred = cleaned.get("status") == ForwardPlanItem.Status.DEFERRED
        if deferred and not (cleaned.get("deferred_reason") or "").strip():
            self.add_error("deferred_reason", "Say why the paper was deferred")
        if not deferred:
            cleaned["deferred_reason"] = ""
        return cleaned
