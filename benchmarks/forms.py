"""Forms of the comparator data pages."""

from typing import Any, cast

from django import forms

from benchmarks.registry import tables
from send_qa.core.forms import SpreadsheetUploadForm


class DfeUploadForm(SpreadsheetUploadForm):
    submit_label = "Check the file"
    max_megabytes = 50
    hint = (
        "The CSV exactly as downloaded from explore-education-statistics. You see what will "
        "change before anything is saved."
    )
    table = forms.ChoiceField(
        label="Which table is it? (optional)",
        required=False,
        help_text="Leave this as it is and the portal recognises the table by its headings.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["table"]).choices = [
            ("", "Recognise it from the headings")
        ] + [(key, f"{table.title} ({key})") for key, table in tables().items()]
