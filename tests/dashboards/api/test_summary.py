"""GET /api/clients/summary/: the dashboard's figures through the API, each equal to its list."""

import pytest
from django.urls import reverse

from tests.dashboards.coach.factories import EXPECTED, known_caseload
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db
URL = reverse("client-summary")


def test_summary_figures_equal_their_api_lists(login, coach_a, coach_b):
    known_caseload(coach_a)
    ClientFactory(coach=coach_b)
    client = login(coach_a)
    response = client.get(URL)
    assert response.status_code == 200
    figures = {figure["key"]: figure for figure in response.json()["figures"]}
    assert figures["active_clients"]["count"] == EXPECTED["active_clients"]
    assert figures["no_cv"]["definition"]
    for figure in figures.values():
        assert figure["count"] == EXPECTED.get(figure["key"], figure["count"])
        listed = client.get(figure["api_url"])
        assert listed.status_code == 200
        assert listed.json()["count"] == figure["count"], figure["key"]


def test_summary_applies_the_same_filters(login, coach_a):
    known_caseload(coach_a)
    response = login(coach_a).get(URL + "?gender=unknown")
    figures = {figure["key"]: figure for figure in response.json()["figures"]}
    assert figures["active_clients"]["count"] == 1  # K-OVERDUE is the one without a gender
    assert "gender=unknown" in figures["active_clients"]["list_url"]
    assert response.json()["filters"] == {"gender": ["unknown"]}


def test_summary_bad_filter_is_400_naming_it(login, coach_a):
    response = login(coach_a).get(URL + "?gender=Q")
    assert response.status_code == 400
    assert "gender" in response.json()


def test_summary_is_scoped(login, cast):
    figures = {f["key"]: f for f in login(cast["other_manager"]).get(URL).json()["figures"]}
    assert figures["active_clients"]["count"] == 1  # only the other team's client


def test_summary_needs_authentication(client):
    assert client.get(URL).status_code in (401, 403)


def test_summary_is_in_the_schema(login, coach_a):
    schema = login(coach_a).get(reverse("api-schema")).content.decode()
    assert "/api/clients/summary/" in schema
