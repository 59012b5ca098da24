"""Forms of the comparator data pages."""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from benchmarks.area import OWN_GROUP_NAME, AreaProblem, area_find, choosable_sets, own_group
from benchmarks.models import Authority, Neighbour, NeighbourSet, OwnArea
from benchmarks.registry import tables
from send_qa.core.concurrency import VersionedFormMixin
from send_qa.core.forms import GDSFormMixin, GOVUKDateField, SpreadsheetUploadForm


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


class NeighboursUploadForm(SpreadsheetUploadForm):
    submit_label = "Check the file"
    hint = (
        "The list from the DfE's Children's Services Statistical Neighbour Benchmarking Tool, "
        "in its long layout as published or one row per authority. You see what it holds "
        "before anything is saved."
    )
    release = forms.CharField(
        label="Release",
        max_length=40,
        help_text="The year the DfE gives the list, for example 2025.",
        error_messages={"required": "Enter the release, for example 2025"},
    )
    effective_from = GOVUKDateField(
        label="In use from (optional)",
        subject="The date the set is used from",
        required=False,
        help_text="Leave it empty for today. Figures of earlier periods keep the set before.",
    )


class SetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: NeighbourSet) -> str:
        release = f" {obj.release}" if obj.release else ""
        return f"{obj.name}{release}, in use from {obj.effective_from:%-d %B %Y}"


class AuthorityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Authority) -> str:
        return f"{obj.name} ({obj.code})"


class AuthoritiesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Authority) -> str:
        return f"{obj.name} ({obj.code})"


class OwnAreaForm(VersionedFormMixin, GDSFormMixin, forms.Form):
    """Which local authority the portal is, and the comparator set it reads."""

    submit_label = "Save"
    edit_thing = "area's settings"
    authority = AuthorityChoiceField(
        queryset=Authority.objects.none(),
        label="Choose the authority",
        required=False,
        empty_label="Choose an authority",
        help_text="The local authorities the portal knows from the files imported so far.",
    )
    code = forms.CharField(
        label="Or give its ONS code",
        required=False,
        max_length=9,
        help_text="For example E10000032 for West Sussex, or its DfE number (938).",
    )
    name = forms.CharField(
        label="Its name (only for an authority the portal does not know yet)",
        required=False,
        max_length=100,
    )
    neighbour_set = SetChoiceField(
        queryset=NeighbourSet.objects.none(),
        label="Compare this area with",
        required=False,
        widget=forms.RadioSelect,
        blank=True,  # without it Django drops the empty choice from radios
        empty_label="The latest DfE statistical neighbours",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        cast(
            AuthorityChoiceField, fields["authority"]
        ).queryset = Authority.objects.local_authorities()
        sets = cast(SetChoiceField, fields["neighbour_set"])
        sets.queryset = NeighbourSet.objects.filter(pk__in=[s.pk for s in choosable_sets()])
        current = OwnArea.objects.first()
        if current is not None and not self.is_bound:
            self.initial["authority"] = current.authority_id
            self.initial["neighbour_set"] = current.neighbour_set_id

    def guarded_rows(self) -> list[QuerySet[Any]]:
        """The one own-area row, or that there is none yet."""
        return [OwnArea.objects.all()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen: Authority | None = data.get("authority")
        code = (data.get("code") or "").strip()
        if code:
            try:
                chosen = area_find(code, name=data.get("name") or "")
            except AreaProblem as problem:
                self.add_error("code", str(problem))
                return data
        if chosen is None:
            self.add_error("authority", "Choose the authority, or give its ONS code")
            return data
        data["area"] = chosen
        found: NeighbourSet | None = data.get("neighbour_set")
        if found is not None and (
            chosen.pk is None
            or not Neighbour.objects.filter(neighbour_set=found, authority=chosen).exists()
        ):
            self.add_error(
                "neighbour_set",
                f"{found.name} lists no neighbours of {chosen.name}: choose another set, or "
                "the latest DfE statistical neighbours",
            )
        return data


class ComparatorGroupForm(VersionedFormMixin, GDSFormMixin, forms.Form):
    """The partnership's own comparator group: a name and the authorities in it."""

    submit_label = "Save the group"
    edit_thing = "comparator group"
    name = forms.CharField(
        label="Name of the group",
        max_length=200,
        error_messages={"required": "Enter a name for the group"},
    )
    members = AuthoritiesField(
        queryset=Authority.objects.none(),
        label="Authorities in the group",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one authority"},
    )

    def __init__(self, *args: Any, area: Authority, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = cast(AuthoritiesField, self.fields["members"])
        members.queryset = Authority.objects.local_authorities().exclude(pk=area.pk)
        current = own_group()
        self.initial["name"] = current.name if current else OWN_GROUP_NAME
        if current is not None:
            self.initial["members"] = list(
                Neighbour.objects.filter(neighbour_set=current, authority=area).values_list(
                    "neighbour_id", flat=True
                )
            )

    def guarded_rows(self) -> list[QuerySet[Any]]:
        """Every version of the group: a colleague's save adds one."""
        return [NeighbourSet.objects.filter(kind=NeighbourSet.Kind.OWN)]
