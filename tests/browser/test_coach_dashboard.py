"""A work coach's morning in a real browser: dashboard, two filters, a figure's list, a client,
a CSV export — and no serious or critical accessibility violations on the way."""

import csv
import io
from pathlib import Path

import pytest

from tests.dashboards.coach.factories import known_caseload
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_coach_morning(page, log_in, axe, coach_a, coach_b):
    known_caseload(coach_a)
    ClientFactory(coach=coach_b, client_number="K-THEIRS", gender=None)
    log_in(coach_a)

    # Landing page: the dashboard, with charts drawn by the locally served Plotly.
    page.goto("/")
    assert page.url.endswith("/dashboard/")
    assert page.locator("h1").inner_text() == "My caseload"
    page.wait_for_selector("#chart-monitoring .main-svg")
    assert axe(page) == []

    # Two filters on the client list, combined, kept in the URL.
    page.goto("/clients/")
    page.click("details.more-filters > summary")  # gender is not one of the filters shown first
    gender = page.locator("details.filter-dropdown", has=page.locator("input[name=gender]"))
    gender.locator("summary").click()
    gender.locator("input[name=gender][value=unknown]").check()
    page.check("input[name=contact_overdue]")
    page.click("form >> text=Apply filters")
    page.wait_for_load_state()
    assert "gender=unknown" in page.url and "contact_overdue=on" in page.url
    rows = page.locator("table.data tbody tr th a")
    assert rows.all_inner_texts() == ["K-OVERDUE"]
    assert axe(page) == []

    # A figure's list: the number on the dashboard equals the length of the list it opens.
    page.goto("/dashboard/")
    link = page.locator("[data-figure=quiet] a[data-count]")
    shown = int(link.inner_text())
    link.click()
    page.wait_for_load_state()
    assert page.locator("table.data tbody tr th a").count() == shown == 2
    assert "K-THEIRS" not in page.content()

    # A client.
    page.click("text=K-NEVER")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().endswith("K-NEVER")
    assert page.locator(".unknown").count() > 0  # unknowns shown as not registered
    assert axe(page) == []

    # Export the filtered list to CSV.
    page.goto("/clients/?gender=unknown&contact_overdue=on")
    with page.expect_download() as download_info:
        page.click(".list-actions >> text=CSV")
    path = download_info.value.path()
    rows = list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["K-OVERDUE"]


@pytest.mark.parametrize("width", [1280, 768])  # a desktop and a tablet held upright
def test_pages_fit_the_screen(page, log_in, coach_a, width):
    """No page scrolls sideways at desktop or tablet width; wide tables scroll inside their box."""
    known_caseload(coach_a)
    page.set_viewport_size({"width": width, "height": 1000})
    log_in(coach_a)
    client_number = coach_a.clients.order_by("client_number").first().client_number
    for url in [
        "/dashboard/",
        "/clients/",
        f"/clients/{client_number}/",
        "/vacancies/",
        "/legend/",
    ]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{url} is {overflow}px wider than a {width}px screen"
