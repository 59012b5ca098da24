"""Migration wsoa/0009 renames the stored standard RAG key from "Seed 004 RAG rating key" (a
maker's word that pages showed) to "RAG rating key", its history too, and back."""

import pytest

# The autouse fixture applies to this module by being imported into it.
from tests.migrations import back_to_the_latest_migrations, migrate  # noqa: F401
from wsoa.models import SEED_RAG_KEY_NAME, RagKey

pytestmark = pytest.mark.django_db(transaction=True)

OLD_NAME = "Seed 004 RAG rating key"
BEFORE = [("wsoa", "0008_action_raised_from_evidence")]
AFTER = [("wsoa", "0009_rag_key_in_the_users_words")]


def test_the_stored_key_takes_the_name_the_council_uses_and_back():
    old = migrate(BEFORE)
    OldKey = old.get_model("wsoa", "RagKey")
    key = OldKey.objects.create(name=OLD_NAME)
    old.get_model("wsoa", "HistoricalRagKey").objects.create(
        id=key.pk, name=OLD_NAME, history_date="2026-01-05T09:00Z", history_type="+"
    )
    own = OldKey.objects.create(name="Our own key")

    new = migrate(AFTER)
    names = dict(new.get_model("wsoa", "RagKey").objects.values_list("pk", "name"))
    assert names == {key.pk: SEED_RAG_KEY_NAME, own.pk: "Our own key"}
    history = new.get_model("wsoa", "HistoricalRagKey").objects.filter(id=key.pk)
    assert set(history.values_list("name", flat=True)) == {SEED_RAG_KEY_NAME}

    back = migrate(BEFORE)
    assert back.get_model("wsoa", "RagKey").objects.get(pk=key.pk).name == OLD_NAME


def test_the_standard_key_is_found_again_after_the_rename():
    old = migrate(BEFORE)
    key = old.get_model("wsoa", "RagKey").objects.create(name=OLD_NAME)
    migrate(AFTER)
    assert RagKey.seed_default().pk == key.pk
