"""Smoke test: a coach logs in and lands on a page that lists their caseload — and only theirs."""

import pytest

from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_coach_logs_in_and_sees_own_caseload(page, log_in, axe, coach_a, coach_b):
    ClientFactory(coach=coach_a, client_number="CMINE01")
    ClientFactory(coach=coach_b, client_number="CTHEIRS1")
    log_in(coach_a)
    page.goto("/clients/")
    body = page.content()
    assert "CMINE01" in body
    assert "CTHEIRS1" not in body
    assert axe(page) == []


def test_login_page_is_accessible(page, axe):
    page.goto("/login/")
    assert page.locator("input[name=password]").count() == 1
    assert axe(page) == []
