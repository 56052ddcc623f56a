"""Data quality in a real browser: a quality officer drills from a figure to the clients behind it
(the weekly list's tasks: test_weekly_list.py)."""

from urllib.parse import parse_qs, urlparse

import pytest

from quality.weekly import services, weeks
from tests.quality.factories import CASES, seen_client

pytestmark = pytest.mark.django_db(transaction=True)


def test_quality_officer_drills_from_a_figure_to_the_clients(
    page, log_in, axe, coach_a, coach_b, quality_officer
):
    for number in ("CV-A1", "CV-A2"):
        CASES["cv_not_registered"][0](coach=coach_a, client_number=number)
    CASES["cv_not_registered"][0](coach=coach_b, client_number="CV-B1")
    seen_client(coach=coach_a, client_number="CLEAN-A")
    services.build_weekly_list(weeks.current_iso_week())  # a snapshot, so the trend chart renders

    log_in(quality_officer)
    page.goto("/quality/")
    assert "service quality" in page.content()
    assert axe(page) == []

    figure = page.locator(f'a[data-figure="cv_not_registered:{coach_a.pk}"]')
    assert figure.inner_text() == "2"
    figure.click()
    page.wait_for_load_state("networkidle")
    url = urlparse(page.url)
    assert url.path == "/clients/"
    assert parse_qs(url.query) == {"coach": [str(coach_a.pk)], "finding": ["cv_not_registered"]}
    rows = page.locator("table.data tbody th[scope=row]").all_inner_texts()
    assert sorted(rows) == ["CV-A1", "CV-A2"]
    assert axe(page) == []
