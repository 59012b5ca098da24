from typing import Any, ClassVar, cast

from django import forms
from django.urls import reverse
from django.utils import timezone

from send_qa.core.autosave import AutosaveFormMixin
from send_qa.core.concurrency import VersionedFormMixin
from send_qa.core.forms import GDSFormMixin, GOVUKDateField
from send_qa.core.models import Period
from send_qa.reports.models import NARRATIVE, Report

FORMATTING_HINT = (
    "Plain text. Leave a blank line between paragraphs, start a line with - for a bullet "
    "point, and put **two stars** around words to make them bold. Never name a child."
)


class ReportForm(AutosaveFormMixin, GDSFormMixin, forms.ModelForm):
    """The narrative SENDOPS write, saved as they write it (no work lost if the session
    times out). A save based on an out-of-date page is refused."""

    submit_label = "Save the report"
    edit_thing = "report"
    date_subjects: ClassVar[dict[str, str]] = {"board_date": "The date of the board meeting"}

    class Meta:
        model = Report
        field_classes = {"board_date": GOVUKDateField}
        fields = [
            "board_date",
            "author",
            "purpose",
            "period_covered",
            *[name for name, _ in NARRATIVE if name != "board_commentary"],
        ]
        labels = dict(NARRATIVE) | {
            "board_date": "Report to SEND Strategic Partnership Board on",
            "author": "Report author",
            "purpose": "Purpose of report",
            "period_covered": "Period covered",
        }
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 2}),
            **{
                name: forms.Textarea(attrs={"rows": 6})
                for name, _ in NARRATIVE
                if name != "board_commentary"
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, _ in NARRATIVE:
            if name in self.fields:
                self.fields[name].help_text = FORMATTING_HINT
                self.fields[name].required = False

    def autosave_url(self) -> str:
        return reverse("reports:report_autosave", kwargs={"report_uuid": self.instance.uuid})

    def save(self, commit: bool = True) -> Report:
        report: Report = super().save(commit=False)
        report.revision += 1
        if commit:
            report.save()
        return report


class BoardCommentaryForm(VersionedFormMixin, GDSFormMixin, forms.ModelForm):
    """The board's commentary: part of the report's row, so guarded like the narrative."""

    submit_label = "Save the board's commentary"
    edit_thing = "report"

    class Meta:
        model = Report
        fields = ["board_commentary"]
        labels = {
            "board_commentary": "Commentary from the SEND Strategic Partnership Board meeting"
        }
        widgets = {"board_commentary": forms.Textarea(attrs={"rows": 8})}
        error_messages = {"board_commentary": {"required": "Enter the board's commentary"}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["board_commentary"].required = True
        self.fields["board_commentary"].help_text = FORMATTING_HINT


class NewReportForm(GDSFormMixin, forms.Form):
    submit_label = "Start the report"
    term = forms.ModelChoiceField(
        queryset=Period.objects.none(),
        label="Term the report covers",
        empty_label=None,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        term = cast("forms.ModelChoiceField[Period]", self.fields["term"])
        term.queryset = Period.objects.terms_for_choice(timezone.localdate()).filter(
            report__isnull=True
        )
