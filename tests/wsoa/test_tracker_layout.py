"""The tracker fits the page: what the seed's table gives a column of its own is read under the
action; the summary's weakness titles are cut at a word; the summary says what "done" means."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.wsoa.factories import ActionFactory, WeaknessFactory
from wsoa.summaries import cut_at_word

pytestmark = pytest.mark.django_db

words = st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=15), min_size=1, max_size=40)


@given(words)
def test_a_title_is_cut_after_a_whole_word_with_an_ellipsis(parts):
    text = " ".join(parts)
    cut = cut_at_word(text)
    if len(text) <= 80:
        assert cut == text
        return
    assert cut.endswith("…") and len(cut) <= 81
    kept = cut.removesuffix("…").split(" ")
    assert kept == parts[: len(kept)]


def test_one_overlong_word_is_cut_where_it_must_be():
    assert cut_at_word("x" * 100) == "x" * 80 + "…"


def test_the_tracker_shows_the_details_under_the_action_in_five_columns(people, client_for):
    action = ActionFactory(
        improvement_area="Quality of plans",
        success_measures="90% of plans good",
        governance_forum="SEND Board",
    )
    url = reverse("wsoa:plan_detail", kwargs={"plan_uuid": action.weakness.plan.uuid})
    html = client_for(people.board).get(url).content.decode()
    assert "app-table-scroll" not in html
    assert html.count('<th scope="col" class="govuk-table__header') == 5
    row = html[html.index(f">{action.number}.</a>") :]
    row = row[: row.index("</td>")]
    for detail in (
        "Improvement area: Quality of plans",
        "Success measures: 90% of plans good",
        "Governance forum: SEND Board",
    ):
        assert detail in row


def test_the_summary_says_which_statuses_count_as_done_and_cuts_titles_at_a_word(
    people, client_for
):
    weakness = WeaknessFactory(text="Leaders do not " + "understand the needs of children " * 5)
    action = ActionFactory(weakness=weakness)
    plan = action.weakness.plan
    done = [s.name for s in plan.rag_key.statuses.order_by("order") if s.counts_as_done]
    url = reverse("wsoa:plan_summary", kwargs={"plan_uuid": plan.uuid})
    html = client_for(people.board).get(url).content.decode()
    assert done
    assert f"counts as done when its RAG is “{done[0]}”" in html
    assert f"{weakness}: {cut_at_word(weakness.text)}:" in html
    assert "the needs of children understand the needs of children…" in html
