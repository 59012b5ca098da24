"""Migration audits/0006 keeps "not applicable" in one place: the answers (and their history
rows) that said it with a yes/no value of "na" say it with the not_applicable flag alone."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from audits.models import Answer, TemplateItem
from tests.audits.factories import AuditFactory

# The autouse fixture applies to this module by being imported into it.
from tests.migrations import back_to_the_latest_migrations, migrate  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("audits", "0005_service_and_template_uuid")]
AFTER = [("audits", "0006_answer_not_applicable_only_as_a_flag")]


def test_yes_no_answers_stored_as_na_become_not_applicable_and_scoring_reads_them_so():
    audit = AuditFactory()
    items = {i.code: i for i in TemplateItem.objects.filter(section__template=audit.template)}
    # B2 (golden thread, weight 1) and A2 are yes/no items, B1 a score item.
    audit.save_answers(
        values={
            items["A2"].pk: {"yes_no": "yes"},
            items["B1"].pk: {"score": 3},
            items["B2"].pk: {"yes_no": "no"},
        },
        version=audit.edit_version(),
    )
    old = migrate(BEFORE)
    OldAnswer = old.get_model("audits", "Answer")
    # The two old ways: "na" with the flag (the form's) and "na" alone (an early import's).
    OldAnswer.objects.filter(item_id=items["B2"].pk).update(yes_no="na", not_applicable=True)
    OldAnswer.objects.filter(item_id=items["A2"].pk).update(yes_no="na")
    old.get_model("audits", "HistoricalAnswer").objects.filter(item_id=items["B2"].pk).update(
        yes_no="na"
    )

    new = migrate(AFTER)
    rows = new.get_model("audits", "Answer").objects.filter(audit_id=audit.pk)
    assert sorted(rows.values_list("item_id", "yes_no", "not_applicable", "score")) == sorted(
        [
            (items["A2"].pk, "", True, None),
            (items["B1"].pk, "", False, 3),
            (items["B2"].pk, "", True, None),
        ]
    )
    history = new.get_model("audits", "HistoricalAnswer").objects.filter(item_id=items["B2"].pk)
    assert set(history.values_list("yes_no", "not_applicable")) == {("", True)}

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert Answer.objects.filter(yes_no="na").count() == 0
    result = audit.result()
    assert (result.golden_thread.answered, result.golden_thread.max_points) == (1, 0)
    assert (result.total.points, result.total.max_points) == (3, 5)  # B1 only
