"""The report's narrative and the board's commentary given random and malicious text: saved as
typed and shown escaped, or a page with the errors; never a server error."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from send_qa.reports.models import NARRATIVE, Report
from tests.conflicts import page_version
from tests.reports.factories import a_report
from tests.strategies import NASTY, assert_stored_valid, checked, mostly, nasty_text

pytestmark = pytest.mark.django_db

CHECKED = checked(30)
WRITTEN = [name for name, _ in NARRATIVE if name != "board_commentary"]


@CHECKED
@given(
    text=st.one_of(st.sampled_from(NASTY), nasty_text(max_size=500)),
    board_day=mostly(["", "20", "30"]),
    board_month=mostly(["", "1", "2"]),
    board_year=mostly(["", "2027"]),
    author=nasty_text(max_size=300),
)
def test_the_narrative_saves_as_typed_and_is_shown_escaped(
    people, client_for, text, board_day, board_month, board_year, author
):
    report = a_report()
    client = client_for(people.sendops)
    url = reverse("reports:report_edit", kwargs={"report_uuid": report.uuid})
    data = dict.fromkeys(WRITTEN, text)
    data |= {"version": page_version(client.get(url)), "author": author}
    data |= {"board_date_0": board_day, "board_date_1": board_month, "board_date_2": board_year}
    data |= {"purpose": "Purpose", "period_covered": "Autumn"}
    response = client.post(url, data)
    assert response.status_code in (200, 302, 409)
    assert_stored_valid(Report)
    page = client.get(reverse("reports:report_detail", kwargs={"report_uuid": report.uuid}))
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.content.decode()
    assert "<img src=x onerror" not in page.content.decode()
