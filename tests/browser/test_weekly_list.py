"""The weekly list's three tasks in a real browser, each page checked with axe: a coach explains
three findings at once; a quality officer narrows the team's list to one coach and one rule,
returns a finding with a note and exports the list; a team manager finds this week's completeness
trend on a fresh demo, without building anything by hand."""

from pathlib import Path

import pytest
from django.core.management import call_command

from caseload.demo import DEMO_PASSWORD
from caseload.models import User
from quality.models import FindingAction, FindingExplanation, WeeklyListEntry
from quality.weekly import services, weeks
from tests.quality.factories import CASES

pytestmark = pytest.mark.django_db(transaction=True)


def test_coach_explains_three_findings_at_once(page, log_in, axe, coach_a):
    for number in ("NO-CV-1", "NO-CV-2", "NO-CV-3"):
        CASES["no_cv_on_file"][0](coach=coach_a, client_number=number)
    CASES["cv_not_registered"][0](coach=coach_a, client_number="CV-UNKNOWN")
    services.build_weekly_list()

    log_in(coach_a)
    page.goto("/quality/my-list/")
    assert page.locator("#weekly-list tbody tr[data-client]").count() == 4
    assert axe(page) == []
    for number in ("NO-CV-1", "NO-CV-2", "NO-CV-3"):
        page.locator(f'tr[data-client="{number}"] li[data-rule="no_cv_on_file"] input').check()
    page.get_by_label("Reason or note").fill("Client refuses to give a CV")
    page.get_by_role("button", name="Mark as explained").click()
    page.wait_for_load_state("networkidle")

    assert "Marked as explained: 3 findings" in page.content()
    # the coach's list shows what is still open: only the client whose CV is not registered
    assert (
        page.locator("#weekly-list tbody tr[data-client]").all_inner_texts()[0].count("CV-UNKNOWN")
    )
    assert page.locator("#weekly-list tbody tr[data-client]").count() == 1
    assert set(FindingExplanation.objects.values_list("reason", flat=True)) == {
        "Client refuses to give a CV"
    }
    assert FindingExplanation.objects.in_force().count() == 3
    assert axe(page) == []

    page.select_option("#id_state", "explained")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#weekly-list tbody tr[data-client]").count() == 3
    assert "Client refuses to give a CV" in page.locator("#weekly-list").inner_text()
    assert axe(page) == []


def test_quality_officer_filters_returns_a_finding_and_exports(
    page, log_in, axe, coach_a, coach_b, quality_officer
):
    for n in range(3):
        CASES["gender_not_registered"][0](coach=coach_a, client_number=f"A-G{n}")
        CASES["cv_not_registered"][0](coach=coach_a, client_number=f"A-CV{n}")
        CASES["cv_not_registered"][0](coach=coach_b, client_number=f"B-CV{n}")
    services.build_weekly_list()
    services.explain_finding(
        user=coach_a,
        client=coach_a.clients.get(client_number="A-CV0"),
        rule_id="cv_not_registered",
        reason="Will bring it next month",
    )

    log_in(quality_officer)
    page.goto("/quality/weekly/")
    assert axe(page) == []
    page.select_option("#id_coach", str(coach_a.pk))
    page.select_option("#id_rule", "cv_not_registered")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state("networkidle")
    rows = page.locator("#weekly-list tbody tr[data-client]")
    assert sorted(rows.evaluate_all("rows => rows.map(r => r.dataset.client)")) == [
        "A-CV0",
        "A-CV1",
        "A-CV2",
    ]
    assert "Will bring it next month" in page.locator("#weekly-list").inner_text()
    assert axe(page) == []

    page.locator('tr[data-client="A-CV0"] li[data-rule="cv_not_registered"] input').check()
    page.get_by_label("Reason or note").fill("Ask again: the vacancy fair is next week")
    page.get_by_role("button", name="Return to the coach").click()
    page.wait_for_load_state("networkidle")
    assert "Returned to the coach: 1 finding" in page.content()
    assert "coach=" in page.url and "rule=cv_not_registered" in page.url  # the filters stay
    action = FindingAction.objects.filter(action="returned").get()
    assert (action.by, action.note) == (quality_officer, "Ask again: the vacancy fair is next week")
    assert not FindingExplanation.objects.in_force().exists()
    assert axe(page) == []

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"weekly-list-{weeks.current_iso_week()}-full")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    assert "A-CV1" in text and "B-CV0" not in text and "A-G0" not in text  # the filtered list
    assert "Ask again" not in text  # a return note is not a reason; no free text but the reason


def test_team_manager_sees_this_weeks_completeness_trend_on_a_fresh_demo(page, axe):
    call_command("seed_demo", clients=300, seed=1, force=True)  # as `make run` does
    this_week = weeks.current_iso_week()
    assert WeeklyListEntry.objects.filter(iso_week=this_week).exists()  # built by the import

    manager = User.objects.get(username="team.manager")
    page.goto("/login/")
    page.fill("input[name=username]", manager.username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")

    page.goto("/quality/")
    header = page.locator("#completeness-trend thead").inner_text()
    assert this_week in header and weeks.previous(this_week) in header
    assert page.locator("#completeness-trend thead th").count() == 1 + 12  # twelve weeks
    assert page.locator("#trend-table tbody tr").count() > 5
    assert "Data as of the import of" in page.locator("#freshness").inner_text()
    assert page.locator("#stale-data").count() == 0
    assert axe(page) == []

    page.goto("/team/")
    trend = page.locator("section[aria-labelledby=trend-heading] table").inner_text()
    assert this_week in trend and weeks.previous(this_week) in trend
    assert axe(page) == []

    page.goto("/quality/weekly/")  # the team's list, read-only for a manager
    assert page.locator("#weekly-list tbody tr[data-client]").count() == 50
    assert page.locator("#weekly-list input[type=checkbox]").count() == 0
    assert axe(page) == []
