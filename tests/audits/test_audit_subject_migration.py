"""Migration audits/0013 gives every audit so far its checklist's subject, which the database
then checks (audits/0014): an audit of advice scored with the advice checklist says "advice"."""

import pytest

from audits.models import Audit
from tests.audits.factories import AdviceFactory, AuditFactory, small_template

# The autouse fixture applies to this module by being imported into it.
from tests.migrations import back_to_the_latest_migrations, migrate  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("audits", "0012_audit_without_plan_subject_respondent_title")]
AFTER = [("audits", "0013_audit_subject_from_checklist")]


def test_each_audit_so_far_gets_its_checklists_subject():
    ehcp = AuditFactory()
    advice = AdviceFactory()
    of_advice = Audit.objects.create(
        plan=advice.plan,
        advice=advice,
        template=small_template(name="Advice QA tool", subject="advice"),
        auditor=ehcp.auditor,
    )
    old = migrate(BEFORE)
    old.get_model("audits", "Audit").objects.update(subject="ehcp")  # as 0012 left them
    new = migrate(AFTER)
    subjects = dict(new.get_model("audits", "Audit").objects.values_list("pk", "subject"))
    assert subjects == {ehcp.pk: "ehcp", of_advice.pk: "advice"}
