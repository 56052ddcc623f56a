"""A coach opens a vacancy, sees the shortlist with reasons, and refers two clients."""

import pytest

from caseload.models import Referral
from tests.caseload.matching.factories import forklift_vacancy, matching_client
from tests.factories import WorkshopFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_coach_refers_two_clients_from_a_shortlist(page, log_in, axe, coach_a, coach_b):
    vacancy = forklift_vacancy(vacancy_id="V900")
    matching_client(coach_a, "CFIT01")
    matching_client(coach_a, "CFIT02", work_experience=[])
    matching_client(coach_a, "CNOLIC", driving_licence=False)
    matching_client(coach_a, "CNOSKILL", skills=[])
    matching_client(coach_b, "CTHEIRS")
    WorkshopFactory(workshop_id="W03", title="Heftruckcertificaat")

    log_in(coach_a)
    page.goto("/vacancies/")
    page.get_by_role("link", name=vacancy.title).click()
    page.wait_for_load_state("networkidle")
    shortlist = page.locator("table.shortlist")
    assert (
        shortlist.locator("tbody tr").count() == 3
    )  # a missing skill lowers the score, never knocks out
    assert "CTHEIRS" not in page.content()
    assert "No driving licence; the vacancy requires one." in page.content()
    assert page.get_by_role("button", name="Enrol in Heftruckcertificaat").count() == 1
    assert axe(page) == []

    page.get_by_label("Select CFIT01").check()
    page.get_by_label("Select CFIT02").check()
    page.get_by_role("button", name="Review selected clients").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("table tbody tr").count() == 2
    assert Referral.objects.count() == 0  # nothing is written before the coach confirms
    assert axe(page) == []
    page.get_by_role("button", name="Propose referrals").click()
    page.wait_for_load_state("networkidle")
    assert set(Referral.objects.values_list("outcome", flat=True)) == {"proposed"}

    page.get_by_role("button", name="Confirm: send to the employer").click()
    page.wait_for_load_state("networkidle")
    assert sorted(Referral.objects.values_list("client__client_number", "outcome")) == [
        ("CFIT01", "sent"),
        ("CFIT02", "sent"),
    ]
    assert "2 referral(s) sent." in page.content()
    assert axe(page) == []


def test_flagged_vacancy_asks_for_a_decision_first(page, log_in, axe, coach_a):
    forklift_vacancy(vacancy_id="V901", description="Vrouw gezocht, max 35 jaar")
    matching_client(coach_a, "CFIT01")
    log_in(coach_a)
    page.goto("/vacancies/V901/")
    assert sorted(page.locator("mark").all_inner_texts()) == ["max 35 jaar", "vrouw gezocht"]
    assert page.locator("table.shortlist").count() == 0
    assert axe(page) == []
    for _ in range(2):
        page.locator("fieldset").first.get_by_label("Drop the requirement").check()
        page.locator("fieldset").first.get_by_role("button", name="Record decision").click()
        page.wait_for_load_state("networkidle")
    assert page.locator("table.shortlist tbody tr").count() == 1
    assert axe(page) == []
