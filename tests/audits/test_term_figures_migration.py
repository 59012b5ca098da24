"""Migration audits/0015 adds the kept term figures: before it nothing is kept; after it a
term's figures are counted from the audits already there and kept, and it goes back cleanly."""

import pytest
from django.db import connection

from audits.models import Audit
from audits.models.figures import TermFigures
from audits.queries import term_findings, term_findings_of
from send_qa.core.models import Period, ensure_academic_year
from tests.audits.factories import AuditFactory

# The autouse fixture applies to this module by being imported into it.
from tests.migrations import back_to_the_latest_migrations, migrate  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("audits", "0014_audit_about_what_its_checklist_is")]
AFTER = [("audits", "0015_term_figures_kept")]


def test_the_figures_table_comes_and_goes_and_counts_the_audits_already_there():
    audit = AuditFactory(term=None)
    migrate(BEFORE)
    assert TermFigures._meta.db_table not in connection.introspection.table_names()
    new = migrate(AFTER)
    assert new.get_model("audits", "TermFigures").objects.count() == 0
    ensure_academic_year(2025)
    term = Period.objects.terms().first()
    Audit.objects.filter(pk=audit.pk).update(term=term)  # no signal: nothing kept stamps it
    assert term_findings_of(term) == term_findings(Audit.objects.of_plans().filter(term=term))
    assert term_findings_of(term).total == 1
    assert TermFigures.objects.get(term=term).is_current
