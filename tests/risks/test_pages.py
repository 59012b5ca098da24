"""The register, a risk's page, the matrix and the risk form: what each role sees, the form's
errors, the guard against saving over a colleague's change, and a fixed number of queries."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from risks.models import Risk
from tests.conflicts import assert_refused, page_version
from tests.queries import page_queries
from tests.risks.factories import RiskFactory, risk_post
from tests.test_user_text_escaped import ATTACKS, PAYLOAD, assert_escaped

pytestmark = pytest.mark.django_db


def detail_url(risk):
    return reverse("risks:risk_detail", kwargs={"risk_uuid": risk.uuid})


def edit_url(risk):
    return reverse("risks:risk_edit", kwargs={"risk_uuid": risk.uuid})


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_new_risks_are_numbered_in_order(people, client_for):
    client = client_for(people.sendops)
    url = reverse("risks:risk_new")
    for title in ("First", "Second"):
        response = client.post(url, risk_post(title=title, owner=people.board.pk))
        assert response.status_code == 302
    first, second = Risk.objects.order_by("number")
    assert (first.reference, first.title, second.reference) == ("R1", "First", "R2")
    assert first.status == Risk.Status.OPEN
    assert response["Location"] == detail_url(second)
    assert first.history.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"likelihood": "6"},
            "likelihood",
            "Select the likelihood, from 1 Rare to 5 Almost certain",
        ),
        ({"impact": "0"}, "impact", "Select the impact, from 1 Negligible to 5 Severe"),
        ({"target_likelihood": ""}, "target_likelihood", "Select the target likelihood"),
        ({"title": ""}, "title", "Enter the risk"),
        (
            {"review_date_0": "31", "review_date_1": "2", "review_date_2": "2026"},
            "review_date_0",
            "Review date must be a real date",
        ),
        (
            {"review_date_0": "3", "review_date_1": "", "review_date_2": "2026"},
            "review_date_1",
            "Review date must include a month",
        ),
        ({"owner": "999999"}, "owner", "Select the risk's owner from the list"),
    ],
)
def test_a_bad_risk_is_refused_with_the_error_summary(people, client_for, changes, field, message):
    response = client_for(people.sendops).post(reverse("risks:risk_new"), risk_post(**changes))
    assert response.status_code == 200
    page = text(response)
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert f'href="#id_{field}' in page
    assert message in page
    assert "<title>Error: " in page
    assert not Risk.objects.exists()


def test_a_stale_save_of_a_risk_is_refused(people, client_for):
    risk = RiskFactory(title="Before")
    client = client_for(people.sendops)
    url = edit_url(risk)
    opened = page_version(client.get(url))
    Risk.objects.filter(pk=risk.pk).update(likelihood=5)  # a colleague re-scores it
    response = client.post(url, {**risk_post(risk, title="Mine"), "version": opened})
    assert_refused(response, "risk", url)
    risk.refresh_from_db()
    assert (risk.title, risk.likelihood) == ("Before", 5)
    fresh = page_version(client.get(url))
    response = client.post(url, {**risk_post(risk, title="Mine"), "version": fresh})
    assert response.status_code == 302
    risk.refresh_from_db()
    assert (risk.title, risk.likelihood) == ("Mine", 5)


def test_closing_a_risk_keeps_it_in_the_register_under_closed(people, client_for):
    risk = RiskFactory(title="To close")
    client = client_for(people.sendops)
    version = page_version(client.get(edit_url(risk)))
    client.post(edit_url(risk), {**risk_post(risk, status="closed"), "version": version})
    listed = reverse("risks:risk_list")
    assert "To close" not in text(client.get(listed))
    assert "To close" in text(client.get(listed, {"status": "closed"}))
    assert "To close" in text(client.get(listed, {"status": "all"}))


def test_the_register_lists_highest_score_first_with_words_and_colour(people, client_for):
    RiskFactory(likelihood=2, impact=2, title="Low one")
    RiskFactory(likelihood=4, impact=5, title="High one")
    RiskFactory(likelihood=3, impact=2, title="Medium one")
    page = text(client_for(people.board).get(reverse("risks:risk_list")))
    assert page.index("High one") < page.index("Medium one") < page.index("Low one")
    assert '<strong class="govuk-tag govuk-tag--red">High (20)</strong>' in page
    assert '<strong class="govuk-tag govuk-tag--yellow">Medium (6)</strong>' in page
    assert '<strong class="govuk-tag govuk-tag--green">Low (4)</strong>' in page
    assert "Add a risk" not in page  # the board reads the register


def test_a_risk_page_shows_its_scores_review_and_mitigating_actions(people, client_for):
    risk = RiskFactory(
        likelihood=4,
        impact=4,
        target_likelihood=2,
        target_impact=3,
        review_date=datetime.date.today() - datetime.timedelta(days=1),
    )
    page = text(client_for(people.sendops).get(detail_url(risk)))
    assert "High (16)" in page and "Medium (6)" in page
    assert "4 Likely" in page and "4 Major" in page
    assert "Review overdue" in page
    assert "Mitigating actions" in page
    assert reverse("risks:risk_history", kwargs={"risk_uuid": risk.uuid}) in page
    board_page = text(client_for(people.board).get(detail_url(risk)))
    assert "Change the risk" not in board_page
    assert "History of changes" not in board_page


def test_a_review_date_to_come_is_not_overdue(people, client_for):
    risk = RiskFactory(review_date=datetime.date.today())
    assert "Review overdue" not in text(client_for(people.sendops).get(detail_url(risk)))


def test_the_history_names_each_change(people, client_for):
    risk = RiskFactory(likelihood=2)
    client = client_for(people.sendops)
    version = page_version(client.get(edit_url(risk)))
    client.post(edit_url(risk), {**risk_post(risk, likelihood=5), "version": version})
    page = text(client.get(reverse("risks:risk_history", kwargs={"risk_uuid": risk.uuid})))
    assert "Likelihood" in page and "2 Unlikely" in page and "5 Almost certain" in page


def test_the_pages_run_a_fixed_number_of_queries(people, client_for):
    client = client_for(people.board)
    first = RiskFactory()
    urls = [
        reverse("risks:risk_list"),
        reverse("risks:risk_list") + "?status=all",
        reverse("risks:risk_matrix"),
        detail_url(first),
    ]
    few = [page_queries(client, url) for url in urls]
    for n in range(12):
        RiskFactory(likelihood=1 + n % 5, impact=1 + n % 3)
    assert [page_queries(client, url) for url in urls] == few


CELL_SVG = re.compile(
    r'<g class="app-risk-matrix__cell" data-likelihood="(\d)" data-impact="(\d)" data-count="(\d+)">'
    r"\s*<rect [^>]*/>\s*<text [^>]*>(\d+)</text>\s*<text [^>]*>([^<]+)</text>"
)
CELL_TABLE = re.compile(
    r'<td class="govuk-table__cell" data-likelihood="(\d)" data-impact="(\d)" data-count="(\d+)">'
    r'\s*<strong class="govuk-tag govuk-tag--\w+">([^<]+)</strong><br>\s*'
    r'<span class="app-risk-matrix__count">(\d+)</span> risks?(?:: ([^<]*?))?\s*</td>'
)


def test_the_matrix_and_its_table_give_the_same_counts(people, client_for):
    r1 = RiskFactory(likelihood=5, impact=1)
    r2 = RiskFactory(likelihood=1, impact=5)
    r3 = RiskFactory(likelihood=4, impact=4)
    r4 = RiskFactory(likelihood=4, impact=4)
    RiskFactory(likelihood=3, impact=3, status=Risk.Status.CLOSED)  # not counted
    page = text(client_for(people.board).get(reverse("risks:risk_matrix")))
    assert 'role="img"' in page and 'aria-label="Risk matrix of open risks"' in page
    assert "<title" in page
    svg = {
        (int(lk), int(i)): (int(n), int(shown), rating)
        for lk, i, n, shown, rating in CELL_SVG.findall(page)
    }
    table = {
        (int(lk), int(i)): (int(n), int(shown), rating, refs)
        for lk, i, n, rating, shown, refs in CELL_TABLE.findall(page)
    }
    assert len(svg) == len(table) == 25
    expected = {(5, 1): [r1], (1, 5): [r2], (4, 4): [r3, r4]}
    for cell, (count, shown, rating) in svg.items():
        risks = expected.get(cell, [])
        assert count == shown == len(risks), cell
        assert table[cell][:3] == (count, shown, rating), cell
        assert table[cell][3] == ", ".join(r.reference for r in risks), cell
    assert svg[(4, 4)][2] == "High (16)" and svg[(5, 1)][2] == "Medium (5)"
    assert svg[(1, 1)][2] == "Low (1)"
    assert f"{r3.reference}, {r4.reference}" in page  # also in the SVG's description


def test_a_risk_s_words_are_escaped_wherever_shown(people, client_for):
    risk = RiskFactory(title=ATTACKS[0], cause=PAYLOAD, consequence=ATTACKS[1], controls=ATTACKS[2])
    risk.owner_title = ATTACKS[3]
    risk.save()
    client = client_for(people.sendops)
    for url in [
        reverse("risks:risk_list"),
        detail_url(risk),
        edit_url(risk),
        reverse("risks:risk_history", kwargs={"risk_uuid": risk.uuid}),
    ]:
        assert_escaped(client.get(url).content.decode(), url)


def test_a_long_register_is_paged_keeping_its_filter(people, client_for):
    for _ in range(27):
        RiskFactory(status=Risk.Status.CLOSED)
    client = client_for(people.board)
    first = text(client.get(reverse("risks:risk_list"), {"status": "closed"}))
    assert "27 risks" in first and "Page 1 of 2" in first
    assert "?status=closed&page=2" in first
    second = client.get(reverse("risks:risk_list"), {"status": "closed", "page": 2})
    assert len(second.context["page"].object_list) == 2
