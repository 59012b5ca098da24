"""Shared form pieces."""

import datetime

from django import forms

from send_qa.core.forms import DatePicker


def test_the_date_picker_shows_its_value_in_iso_form_whatever_the_locale(settings):
    settings.LANGUAGE_CODE = "en-gb"

    class Form(forms.Form):
        day = forms.DateField(widget=DatePicker())

    html = str(Form(initial={"day": datetime.date(2026, 11, 24)})["day"])
    assert 'type="date"' in html and 'value="2026-11-24"' in html
    assert Form(data={"day": "2026-11-24"}).is_valid()
