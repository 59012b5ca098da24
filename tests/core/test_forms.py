"""Shared form pieces: the GOV.UK date input."""

import datetime
import importlib

import pytest
from crispy_forms.utils import render_crispy_form
from django import forms
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from send_qa.core.forms import DateProblem, GDSFormMixin, GOVUKDateField, date_from_parts


class UpdateForm(GDSFormMixin, forms.Form):
    date = GOVUKDateField(label="Date of the update")

    def clean_date(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["date"]
        if day > datetime.date(2026, 12, 31):
            raise forms.ValidationError("Date of the update must be today or in the past")
        return day


def posted(day: str, month: str, year: str) -> UpdateForm:
    return UpdateForm(data={"date_0": day, "date_1": month, "date_2": year})


def summary(form: forms.Form) -> str:
    return Template("{% load crispy_forms_gds %}{% error_summary form %}").render(
        Context({"form": form})
    )


@pytest.mark.parametrize(
    ("parts", "day"),
    [
        (("24", "11", "2026"), datetime.date(2026, 11, 24)),
        ((" 4 ", " 03 ", " 2027 "), datetime.date(2027, 3, 4)),
        (("1st", "Jan", "2027"), datetime.date(2027, 1, 1)),
        (("29", "february", "2028"), datetime.date(2028, 2, 29)),
    ],
)
def test_a_date_is_read_from_its_parts_with_spaces_zeros_and_month_names(parts, day):
    assert date_from_parts(*parts) == day


@pytest.mark.parametrize(
    ("parts", "message", "marked"),
    [
        (("24", "", "2026"), "{subject} must include a month", (1,)),
        (("", "", "2026"), "{subject} must include a day and month", ()),
        (("24", "11", "26"), "Year must include 4 numbers", (2,)),
        (("24", "13", "2026"), "{subject} must be a real date", (1,)),
        (("32", "11", "2026"), "{subject} must be a real date", (0,)),
        (("31", "2", "2027"), "{subject} must be a real date", (0,)),
        (("x", "y", "2026"), "{subject} must be a real date", ()),
        (("24", "11", "20z6"), "{subject} must be a real date", (2,)),
        (("24", "11", "0000"), "{subject} must be a real date", (2,)),
        (("²", "11", "2026"), "{subject} must be a real date", (0,)),
        (("9" * 5000, "11", "2026"), "{subject} must be a real date", (0,)),
        (("24", "11", "2" * 5000), "Year must include 4 numbers", (2,)),
        (("24", "11", "20266"), "Year must include 4 numbers", (2,)),
    ],
)
def test_what_is_wrong_with_a_date_names_and_marks_the_part(parts, message, marked):
    assert date_from_parts(*parts) == DateProblem(message, marked)


@given(st.dates(min_value=datetime.date(1000, 1, 1)), st.booleans())
def test_every_real_date_typed_in_its_parts_is_read_back(day, zeros):
    width = 2 if zeros else 1
    typed = (f"{day.day:0{width}d}", f"{day.month:0{width}d}", str(day.year))
    assert date_from_parts(*typed) == day


@given(st.text(), st.text(), st.text())
def test_anything_typed_is_a_date_a_problem_or_nothing(day, month, year):
    found = date_from_parts(day, month, year)
    assert found is None or isinstance(found, datetime.date | DateProblem)


def test_nothing_typed_is_no_date():
    assert date_from_parts(" ", "", "") is None


def test_the_field_says_what_is_missing_in_the_dates_own_name():
    form = posted("24", "", "2026")
    assert not form.is_valid()
    assert form.errors["date"] == ["Date of the update must include a month"]


def test_the_field_asks_for_a_date_not_entered_in_its_own_words_or_the_forms():
    assert UpdateForm(data={}).errors["date"] == ["Enter the date of the update"]

    class Own(forms.Form):
        date = GOVUKDateField(label="Date", error_messages={"required": "Enter the meeting date"})

    assert Own(data={}).errors["date"] == ["Enter the meeting date"]


def test_an_optional_date_may_be_left_empty_but_not_half_typed():
    class Optional(forms.Form):
        due = GOVUKDateField(label="Due date (optional)", required=False)

    assert Optional(data={"due_0": "", "due_1": "", "due_2": ""}).is_valid()
    assert Optional(data={"due_0": "3", "due_1": "", "due_2": ""}).errors["due"] == [
        "Due date must include a month and year"
    ]


@pytest.mark.parametrize("whole", ["2026-11-24", "24/11/2026", " 24/11/2026 "])
def test_a_whole_date_posted_under_the_fields_name_is_read_too(whole):
    form = UpdateForm(data={"date": whole})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date"] == datetime.date(2026, 11, 24)


def test_a_whole_date_that_is_no_date_is_refused():
    assert UpdateForm(data={"date": "next Tuesday"}).errors["date"] == [
        "Date of the update must be a real date"
    ]
    assert UpdateForm(data={"date": "31/2/2026"}).errors["date"] == [
        "Date of the update must be a real date"
    ]


def test_the_forms_own_rule_still_applies_after_the_date_is_read():
    form = posted("1", "1", "2027")
    assert form.errors["date"] == ["Date of the update must be today or in the past"]


def test_the_date_input_is_three_labelled_number_boxes_holding_the_value():
    form = UpdateForm(initial={"date": datetime.date(2026, 11, 24)})
    html = render_crispy_form(form)
    assert 'class="govuk-date-input"' in html and 'type="date"' not in html
    assert html.count('inputmode="numeric"') == 3
    for part, value in [("Day", "24"), ("Month", "11"), ("Year", "2026")]:
        assert f">{part}</label>" in html
        assert f'value="{value}"' in html
    assert "govuk-fieldset__legend" in html and "Date of the update" in html


def test_the_part_that_is_wrong_is_marked_and_the_summary_links_to_it():
    form = posted("24", "", "2026")
    form.is_valid()
    html = render_crispy_form(form)
    assert 'id="id_date_1"' in html
    marked = [chunk for chunk in html.split("<input") if "govuk-input--error" in chunk]
    assert len(marked) == 1 and 'id="id_date_1"' in marked[0]
    assert '<a href="#id_date_1">Date of the update must include a month</a>' in summary(form)


def test_an_error_about_the_whole_date_links_to_its_first_box_once():
    form = posted("1", "1", "2027")
    form.is_valid()
    links = summary(form)
    assert links.count("<li>") == 1
    assert '<a href="#id_date_0">Date of the update must be today or in the past</a>' in links
    html = render_crispy_form(form)
    assert html.count("govuk-input--error") == 3


def test_the_field_has_changed_only_when_the_date_does():
    field = GOVUKDateField(label="Date")
    assert not field.has_changed(datetime.date(2026, 11, 4), ["04", "11", "2026"])
    assert field.has_changed(datetime.date(2026, 11, 4), ["5", "11", "2026"])
    assert field.has_changed(None, ["5", "", ""])


def test_a_number_is_typed_in_a_govuk_box_with_the_number_keypad():
    class Sample(GDSFormMixin, forms.Form):
        plans = forms.IntegerField(label="Number of plans", min_value=6)
        value = forms.DecimalField(label="Value")

    form = Sample(data={"plans": " 12 ", "value": "72.5"})
    assert form.is_valid(), form.errors
    html = render_crispy_form(Sample())
    assert 'type="number"' not in html
    assert html.count('class="govuk-input govuk-input--width-') == 2
    assert 'inputmode="numeric"' in html and 'inputmode="decimal"' in html
    assert Sample(data={"plans": "5", "value": "x"}).errors == {
        "plans": ["Ensure this value is greater than or equal to 6."],
        "value": ["Enter a number."],
    }
    wrong = Sample(data={"plans": "x", "value": "1"})
    wrong.is_valid()
    assert "govuk-input--error" in render_crispy_form(wrong)


FORM_MODULES = [
    "audits.forms",
    "benchmarks.forms",
    "governance.forms",
    "kpis.forms",
    "risks.forms",
    "send_qa.core.forms",
    "send_qa.reports.forms",
    "wsoa.forms",
]


def every_form() -> list[type[forms.BaseForm]]:
    found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        found += [
            member
            for member in vars(module).values()
            if isinstance(member, type)
            and issubclass(member, forms.BaseForm)
            and member.__module__ == name
        ]
    return found


@pytest.mark.parametrize("form_class", every_form(), ids=lambda form: form.__name__)
def test_no_form_asks_for_a_date_or_a_number_in_a_browser_control(form_class):
    for name, field in form_class.base_fields.items():
        assert not isinstance(field, forms.DateField), f"{name}: use GOVUKDateField"
        assert not isinstance(field.widget, forms.DateInput), f"{name}: use GOVUKDateField"
        if isinstance(field.widget, forms.NumberInput):
            assert issubclass(form_class, GDSFormMixin), f"{name}: a GDSFormMixin form boxes it"


def test_an_error_summary_link_to_radios_leads_to_the_first_radio():
    """crispy-forms-gds numbers radios and checkboxes from 1: the summary must lead there."""
    import re

    from django import forms as django_forms
    from django.template import Context, Template

    from send_qa.core.forms import GDSFormMixin

    class Choose(GDSFormMixin, django_forms.Form):
        colour = django_forms.ChoiceField(
            choices=[("red", "Red"), ("blue", "Blue")], widget=django_forms.RadioSelect
        )
        extras = django_forms.MultipleChoiceField(
            choices=[("a", "A"), ("b", "B")], widget=django_forms.CheckboxSelectMultiple
        )

    form = Choose({})
    assert not form.is_valid()
    page = Template(
        '{% include "includes/_error_summary.html" %}{% load crispy_forms_tags %}{% crispy form %}'
    ).render(Context({"form": form}))
    links = re.findall(r"govuk-error-summary__list.*?</ul>", page, re.S)[0]
    for target in re.findall(r'href="#([^"]+)"', links):
        assert f'id="{target}"' in page, target
