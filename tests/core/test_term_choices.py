"""Every place a term is chosen lists the term in hand first, as the default, then the terms to
come, then the past (Period.objects.terms_for_choice): never "Start the report for Summer" in
December."""

import datetime

import pytest
from django.utils import timezone

from audits.forms import ModerationSessionForm, SkillsSendForm
from send_qa.core.models import ensure_academic_year
from send_qa.reports.forms import NewReportForm

pytestmark = pytest.mark.django_db

DECEMBER = datetime.date(2026, 12, 1)


@pytest.fixture
def in_december(monkeypatch):
    ensure_academic_year(2025)
    ensure_academic_year(2026)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: DECEMBER)


def test_the_report_is_started_for_this_term_by_default(in_december):
    choices = [label for _, label in NewReportForm().fields["term"].choices]
    assert choices[:2] == ["Autumn term 2026/27", "Spring term 2026/27"]
    assert choices[-1] == "Autumn term 2025/26"


def test_moderation_is_set_up_for_this_term_by_default(in_december):
    form = ModerationSessionForm()
    term = form.fields["term"]
    assert [label for _, label in term.choices][0] == "Autumn term 2026/27"
    assert term.queryset.get(pk=form.initial["term"]).name == "Autumn term 2026/27"


def test_an_optional_term_lists_no_term_then_this_term(in_december):
    labels = [label for _, label in SkillsSendForm().fields["term"].choices]
    assert labels[:3] == ["No term", "Autumn term 2026/27", "Spring term 2026/27"]
