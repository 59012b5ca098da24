"""Never a link that leads a role into a page it may not see (issue 20, item 2).

That every internal link on every page of the permission matrix opens for the role that sees
it is checked cell by cell in tests/test_permission_matrix.py (tests/page_checks.py,
`links_problems`); here, where a save sends a person."""

import pytest
from django.urls import reverse

from tests.permission_matrix import an_exception


@pytest.fixture
def people(people_shared):
    """The same people for every test of this module, made once (tests/conftest.py)."""
    return people_shared


def test_an_owner_who_does_not_read_the_scorecard_goes_back_to_their_indicators(people, client_for):
    """Saving an exception note sends its owner where they may go, as its back link does."""
    url = reverse("kpis:exception_note", kwargs=an_exception(people))
    saved = client_for(people.action_owner).post(
        url, {"happening": "More appeals", "doing": "Mediation first", "improve_by": "Summer"}
    )
    assert saved.status_code == 302
    assert saved["Location"] == reverse("kpis:my_indicators")
