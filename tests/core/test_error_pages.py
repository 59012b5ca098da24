"""Refusal and error pages are the portal's own, with a way back (issue 20, item 2)."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_a_refused_page_says_why_and_links_home(people, client_for):
    response = client_for(people.board).get(reverse("benchmarks:index"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "<title>You cannot see this page" in page
    assert "Your role does not give you access to this page." in page
    assert f'href="{reverse("dashboard:home")}">Go to your home page</a>' in page
    assert "govuk-header" in page


def test_a_missing_page_is_the_portals_own(people, client_for):
    response = client_for(people.sendops).get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<title>Page not found" in page
    assert "Go to your home page" in page


def test_a_server_error_page_needs_no_request_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert 'href="/">Go to your home page</a>' in page


def test_an_expired_form_says_nothing_was_saved(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.sendops)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
    assert "Nothing was saved." in response.content.decode()
