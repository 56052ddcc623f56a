"""API: ranked candidates with contributions, 400 on protected attributes, referrals, scoping."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseload.models import AccessLog, Referral
from tests.caseload.matching.factories import forklift_vacancy, get_query_count, matching_client
from tests.factories import ClientFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def candidates_url(vacancy):
    return f"/api/vacancies/{vacancy.vacancy_id}/candidates/"


def test_candidates_have_rank_score_contributions_and_knock_outs(login, coach_a):
    vacancy = forklift_vacancy()
    matching_client(coach_a, "FIT")
    matching_client(coach_a, "HALF", work_experience=[], preferred_sectors=[])
    matching_client(coach_a, "NOLIC", driving_licence=False)
    body = login(coach_a).get(candidates_url(vacancy)).json()
    assert body["concepts_version"] == "concepts-v1"
    assert "36 hours" in body["notes"][0]
    assert [(c["rank"], c["client_number"]) for c in body["ranked"]] == [(1, "FIT"), (2, "HALF")]
    for candidate in body["ranked"]:
        assert sum(Decimal(c["points"]) for c in candidate["contributions"]) == Decimal(
            candidate["score"]
        )
    assert body["knocked_out"][0]["knock_outs"][0]["code"] == "driving_licence"
    assert body["knocked_out"][0]["rank"] is None


@pytest.mark.parametrize(
    "query",
    [
        "ordering=gender",
        "ordering=-age",
        "sort=date_of_birth",
        "gender=M",
        "filter=household:single",
        "children=0",
        "fields=rank,nationality",
        "marital_status=married",
        "youngest_child_birth_date__gte=2020-01-01",
        "team_kind=asylum",
    ],
)
def test_protected_attribute_in_query_is_a_400_naming_it(login, coach_a, query):
    response = login(coach_a).get(candidates_url(forklift_vacancy()) + "?" + query)
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()["detail"]


def test_candidates_are_scoped(login, cast):
    vacancy = forklift_vacancy()
    body = login(cast["coach_b"]).get(candidates_url(vacancy)).json()
    assert [c["client_number"] for c in body["ranked"] + body["knocked_out"]] == ["CB0001"]
    assert login(cast["quality_officer"]).get(candidates_url(vacancy)).status_code == 403
    assert login(cast["coach_a"]).get("/api/vacancies/NOPE/candidates/").status_code == 404


def test_flagged_vacancy_is_a_409_until_decided(login, coach_a):
    response = login(coach_a).get(candidates_url(forklift_vacancy(description="no kids")))
    body = response.json()
    assert response.status_code == 409
    assert body["screening"][0]["matched_text"] == "no kids" and "ranked" not in body


def test_referrals_via_the_api(login, cast):
    vacancy = forklift_vacancy()
    client = login(cast["coach_a"])
    url = f"/api/vacancies/{vacancy.vacancy_id}/referrals/"
    refused = client.post(url, {"clients": ["CB0001"]}, content_type="application/json")
    assert refused.status_code == 400 and "CB0001" in str(refused.json()["clients"])
    created = client.post(url, {"clients": ["CA0001"]}, content_type="application/json")
    assert created.status_code == 201 and created.json()[0]["outcome"] == "proposed"
    sent = client.post(
        url + "send/",
        {"referrals": [created.json()[0]["referral_id"]]},
        content_type="application/json",
    )
    assert sent.json() == {"sent": 1} and Referral.objects.get().outcome == "sent"
    manager = login(cast["team_manager"]).post(
        url, {"clients": ["CA0001"]}, content_type="application/json"
    )
    assert manager.status_code == 403


def test_send_through_another_vacancys_url_is_refused(login, coach_a):
    forklift_vacancy(vacancy_id="VA")
    forklift_vacancy(vacancy_id="VB")
    matching_client(coach_a, "C1")
    client = login(coach_a)
    created = client.post(
        "/api/vacancies/VB/referrals/", {"clients": ["C1"]}, content_type="application/json"
    )
    referral_id = created.json()[0]["referral_id"]
    wrong = client.post(
        "/api/vacancies/VA/referrals/send/",
        {"referrals": [referral_id]},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "referrals" in wrong.json()
    assert Referral.objects.get().outcome == "proposed"
    assert client.post(
        "/api/vacancies/VB/referrals/send/",
        {"referrals": [referral_id]},
        content_type="application/json",
    ).json() == {"sent": 1}


@pytest.mark.parametrize("role", ["team_manager", "superuser"])
@pytest.mark.parametrize("path", ["referrals/", "referrals/send/"])
def test_write_right_is_checked_before_the_body(login, cast, role, path):
    vacancy = forklift_vacancy()
    response = login(cast[role]).post(
        f"/api/vacancies/{vacancy.vacancy_id}/{path}", {}, content_type="application/json"
    )
    assert response.status_code == 403


def outcome_url(referral):
    return f"/api/vacancies/{referral.vacancy.vacancy_id}/referrals/{referral.referral_id}/outcome/"


def test_record_an_outcome_via_the_api(login, cast):
    referral = ReferralFactory(client=cast["client_a"], outcome="sent")
    client = login(cast["coach_a"])
    recorded = client.post(
        outcome_url(referral), {"outcome": "interview"}, content_type="application/json"
    )
    assert recorded.status_code == 200 and recorded.json()["outcome"] == "interview"
    unknown = client.post(
        outcome_url(referral), {"outcome": "promoted"}, content_type="application/json"
    )
    assert unknown.status_code == 400 and "outcome" in unknown.json()
    backwards = client.post(
        outcome_url(referral), {"outcome": "sent"}, content_type="application/json"
    )
    assert backwards.status_code == 400 and "cannot become" in backwards.json()["outcome"][0]
    other_vacancy = (
        f"/api/vacancies/{forklift_vacancy().vacancy_id}/referrals/{referral.referral_id}/outcome/"
    )
    assert (
        client.post(
            other_vacancy, {"outcome": "hired"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        login(cast["coach_b"])
        .post(outcome_url(referral), {"outcome": "hired"}, content_type="application/json")
        .status_code
        == 404
    )
    assert (
        login(cast["team_manager"])
        .post(outcome_url(referral), {}, content_type="application/json")
        .status_code
        == 403
    )
    referral.refresh_from_db()
    assert referral.outcome == "interview"


def test_candidates_are_logged_as_a_list_access_in_one_insert(login, coach_a):
    vacancy = forklift_vacancy()
    matching_client(coach_a, "FIT")
    matching_client(coach_a, "NOLIC", driving_licence=False)
    with CaptureQueriesContext(connection) as queries:
        assert login(coach_a).get(candidates_url(vacancy)).status_code == 200
    logged = AccessLog.objects.filter(action="list")
    assert sorted(logged.values_list("client_number", flat=True)) == ["FIT", "NOLIC"]
    assert {row.path for row in logged} == {candidates_url(vacancy)}
    inserts = [
        q
        for q in queries.captured_queries
        if q["sql"].startswith('INSERT INTO "caseload_accesslog"')
    ]
    assert len(inserts) == 1


def test_candidates_query_count_is_constant(login, coach_a):
    vacancy = forklift_vacancy()
    ClientFactory.create_batch(10, coach=coach_a)
    client = login(coach_a)
    small = get_query_count(client, candidates_url(vacancy))
    ClientFactory.create_batch(140, coach=coach_a)
    assert get_query_count(client, candidates_url(vacancy)) == small
