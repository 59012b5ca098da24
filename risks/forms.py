"""The form of a risk: its words, owner, scores now and at target, and review date."""

from typing import Any, cast

from django import forms

from risks.models import Risk
from risks.scoring import IMPACT, LIKELIHOOD
from send_qa.core.concurrency import VersionedFormMixin
from send_qa.core.forms import GDSFormMixin, GOVUKDateField
from send_qa.core.models import User


def level_field(label: str, words: dict[int, str], what: str) -> forms.TypedChoiceField:
    """A level from 1 to 5 in its words; anything else is refused with the words to choose."""
    message = f"Select the {what}, from 1 {words[1]} to 5 {words[5]}"  # noqa: S608 - words, not SQL
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        choices=[(level, f"{level} {word}") for level, word in words.items()],
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class RiskForm(VersionedFormMixin, GDSFormMixin, forms.ModelForm):
    submit_label = "Save the risk"
    edit_thing = "risk"

    likelihood = level_field("Likelihood now", LIKELIHOOD, "likelihood")
    impact = level_field("Impact now", IMPACT, "impact")
    target_likelihood = level_field("Target likelihood", LIKELIHOOD, "target likelihood")
    target_impact = level_field("Target impact", IMPACT, "target impact")

    class Meta:
        model = Risk
        field_classes = {"review_date": GOVUKDateField}
        fields = [
            "title",
            "cause",
            "consequence",
            "owner",
            "owner_title",
            "likelihood",
            "impact",
            "controls",
            "target_likelihood",
            "target_impact",
            "review_date",
            "status",
        ]
        labels = {
            "title": "Risk",
            "cause": "Cause",
            "consequence": "Consequence",
            "owner": "Owner",
            "owner_title": "Owner's role (optional)",
            "controls": "Controls in place (optional)",
            "review_date": "Review date",
            "status": "Status",
        }
        help_texts = {
            "title": "A short name for the risk, as the board will read it.",
            "cause": "What could cause it.",
            "consequence": "What would happen to children, young people and families.",
            "owner_title": 'As the register writes it, such as "Head of SEND".',
            "controls": "What is already done to reduce it.",
        }
        widgets = {
            "cause": forms.Textarea(attrs={"rows": 3}),
            "consequence": forms.Textarea(attrs={"rows": 3}),
            "controls": forms.Textarea(attrs={"rows": 4}),
            "status": forms.RadioSelect,
        }
        error_messages = {
            "title": {"required": "Enter the risk"},
            "cause": {"required": "Enter what could cause the risk"},
            "consequence": {"required": "Enter the consequence of the risk"},
            "owner": {
                "required": "Select the risk's owner",
                "invalid_choice": "Select the risk's owner from the list",
            },
            "review_date": {"required": "Enter the date the risk is next reviewed"},
            "status": {"required": "Select whether the risk is open or closed"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = cast("forms.ModelChoiceField[User]", self.fields["owner"])
        owner.queryset = User.objects.active().order_by("full_name", "email")
        owner.empty_label = "Choose the owner"
        if self.instance.pk is None:
            del self.fields["status"]  # a new risk is open
