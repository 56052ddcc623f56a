import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_anonymous_is_refused(api, cast):
    assert api.get("/api/clients/").status_code in (401, 403)


def test_client_list_is_scoped(api, cast):
    api.force_authenticate(cast["coach_a"])
    body = api.get("/api/clients/").json()
    assert [c["client_number"] for c in body["results"]] == ["CA0001"]


def test_detail_outside_scope_is_404(api, cast):
    api.force_authenticate(cast["coach_a"])
    assert api.get("/api/clients/CA0001/").status_code == 200
    assert api.get("/api/clients/CB0001/").status_code == 404
    assert api.get("/api/clients/NOPE/").status_code == 404


def test_contacts_are_scoped(api, cast):
    mine = ContactFactory(client=cast["client_a"])
    theirs = ContactFactory(client=cast["client_b"])
    api.force_authenticate(cast["coach_a"])
    ids = [c["contact_id"] for c in api.get("/api/contacts/").json()["results"]]
    assert ids == [mine.contact_id]
    assert api.get(f"/api/contacts/{theirs.contact_id}/").status_code == 404


def test_token_auth(api, cast):
    token = Token.objects.create(user=cast["team_manager"])
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    numbers = {c["client_number"] for c in api.get("/api/clients/").json()["results"]}
    assert numbers == {"CA0001", "CB0001"}


def test_bad_filter_value_is_a_400_naming_the_field(api, cast):
    api.force_authenticate(cast["coach_a"])
    response = api.get("/api/clients/?gender=Q")
    assert response.status_code == 400
    assert "gender" in response.json()


def test_filters_work_through_the_api(api, cast):
    cast["client_a"].driving_licence = None
    cast["client_a"].save()
    api.force_authenticate(cast["team_manager"])
    unknown = api.get("/api/clients/?driving_licence=unknown").json()["results"]
    assert [c["client_number"] for c in unknown] == ["CA0001"]
    assert unknown[0]["driving_licence"] is None


def test_schema_is_served(api, cast):
    api.force_authenticate(cast["coach_a"])
    response = api.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/clients/" in response.content
