"""The visibility report in a real browser: the chart draws, a flagged group opens onto its
neighbours, the table filters, axe finds nothing serious."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = timezone.localdate()


def test_manager_reads_the_visibility_report(page, log_in, axe, coach_a, coach_b, team_manager):
    old = TODAY - datetime.timedelta(days=400)
    for _ in range(40):
        ContactFactory(
            client=ClientFactory(coach=coach_a, gender="F", intake_date=old),
            date=TODAY - datetime.timedelta(days=5),
        )
    for _ in range(12):
        c = ClientFactory(
            coach=coach_b,
            gender="M",
            household="single_parent",
            intake_date=old,
            youngest_child_birth_date=TODAY - datetime.timedelta(days=900),
        )
        ContactFactory(client=c, date=TODAY - datetime.timedelta(days=200))
    log_in(team_manager)
    page.goto("/quality/visibility/?depth=2&measure=seen_recently")
    assert page.locator("ul.gaps li").count() >= 1
    page.wait_for_selector("[data-plotly-figure] .main-svg", timeout=10000)
    finding = page.locator("table.findings tbody").first
    neighbours = finding.locator("tr.sibling")
    assert neighbours.count() >= 1 and neighbours.first.is_hidden()
    finding.locator("button.siblings-toggle").click()
    assert neighbours.first.is_visible()
    assert finding.locator("button.siblings-toggle").get_attribute("aria-expanded") == "true"
    page.select_option("#finding-measure", "seen_recently")
    assert finding.is_visible()
    assert axe(page) == []
