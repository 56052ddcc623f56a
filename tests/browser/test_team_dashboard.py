"""A team manager sees an overloaded coach flagged, tries a reassignment, and saves it."""

import pytest

from caseload.models import Client
from dashboards.models import Reassignment
from dashboards.team.services import take_team_snapshots
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_relieves_an_overloaded_coach(page, log_in, axe, team_manager, coach_a, coach_b):
    # 36 weekly face-to-face clients: 36 × (45 min contact + 9 min administration) = 32.4 h
    # needed, 36 h × 0.75 = 27 h available
    for n in range(36):
        ClientFactory(coach=coach_a, contact_frequency_weeks=1, client_number=f"OV{n:02d}")
    ClientFactory(coach=coach_b, client_number="B0001")
    take_team_snapshots()
    log_in(team_manager)
    page.goto("/team/")
    overloaded_row = page.locator(f"#capacity-table tr[data-coach='{coach_a.pk}']")
    assert "Overloaded by 5.4 h/week" in overloaded_row.inner_text()
    assert (
        "Overloaded"
        not in page.locator(f"#capacity-table tr[data-coach='{coach_b.pk}']").inner_text()
    )
    assert axe(page) == []

    overloaded_row.get_by_role("link", name="Try a reassignment").click()
    page.wait_for_load_state("networkidle")
    for number in ("OV00", "OV01", "OV02", "OV03", "OV04", "OV05", "OV06", "OV07"):
        page.get_by_label(number, exact=True).check()
    page.select_option("#id_to_coach", str(coach_b.pk))
    page.get_by_role("button", name="Preview the effect").click()
    page.wait_for_load_state("networkidle")
    preview = page.locator("#preview-table").inner_text()
    assert "25.2" in preview  # coach A after: 28 × 54 min
    assert Client.objects.filter(coach=coach_b).count() == 1  # nothing saved by the preview
    assert axe(page) == []

    page.get_by_role("button", name="Save this reassignment").click()
    page.wait_for_load_state("networkidle")
    assert "Reassignment saved" in page.content()
    assert Client.objects.filter(coach=coach_b).count() == 9
    assert Reassignment.objects.get().client_ids
    assert (
        "Overloaded"
        not in page.locator(f"#capacity-table tr[data-coach='{coach_a.pk}']").inner_text()
    )
    assert page.locator("#reassignment-log").get_by_role("button", name="Undo").count() == 1
    assert axe(page) == []
