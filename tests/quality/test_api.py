"""API: findings (live) and the stored weekly list, scoped; bad parameters are a 400 naming the field."""

import pytest

from caseload.access_log import AccessAction
from caseload.models import AccessLog
from quality.weekly import services, weeks

from .factories import CASES

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    CASES["cv_not_registered"][0](coach=cast["coach_a"], client_number="A-CV")
    CASES["gender_not_registered"][0](coach=cast["coach_a"], client_number="A-GENDER")
    CASES["cv_not_registered"][0](coach=cast["coach_b"], client_number="B-CV")
    CASES["cv_not_registered"][0](coach=cast["other_coach"], client_number="O-CV")
    return cast


def numbers(response):
    return sorted({row["client_number"] for row in response.json()["results"]})


def test_findings_are_scoped(login, world):
    assert numbers(
        login(world["coach_a"]).get("/api/quality/findings/?rule=cv_not_registered")
    ) == ["A-CV"]
    officer = login(world["quality_officer"]).get("/api/quality/findings/?rule=cv_not_registered")
    assert numbers(officer) == ["A-CV", "B-CV"]
    assert numbers(
        login(world["other_manager"]).get("/api/quality/findings/?rule=cv_not_registered")
    ) == ["O-CV"]


def test_findings_filter_by_coach_and_show_explanations(login, world):
    coach_a = world["coach_a"]
    client = coach_a.clients.get(client_number="A-CV")
    services.build_weekly_list()
    services.explain_finding(
        user=coach_a, client=client, rule_id="cv_not_registered", reason="Refuses"
    )
    rows = (
        login(world["quality_officer"])
        .get(f"/api/quality/findings/?coach={coach_a.pk}")
        .json()["results"]
    )
    assert {(r["client_number"], r["rule"], r["explained"]) for r in rows} >= {
        ("A-CV", "cv_not_registered", True),
        ("A-GENDER", "gender_not_registered", False),
    }
    assert all(r["coach"] == coach_a.pk for r in rows)


@pytest.mark.parametrize("query, field", [("rule=nope", "rule"), ("coach=abc", "coach")])
def test_bad_finding_parameters_are_a_400_naming_the_field(login, world, query, field):
    response = login(world["quality_officer"]).get(f"/api/quality/findings/?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_client_api_finding_filter(login, world):
    client = login(world["quality_officer"])
    rows = client.get("/api/clients/?finding=cv_not_registered").json()["results"]
    assert sorted(r["client_number"] for r in rows) == ["A-CV", "B-CV"]
    bad = client.get("/api/clients/?finding=nope")
    assert bad.status_code == 400 and "finding" in bad.json()


def test_weekly_list_api_is_scoped(login, world):
    week = weeks.current_iso_week()
    services.build_weekly_list(week)
    coach_rows = login(world["coach_a"]).get(f"/api/quality/weekly/{week}/").json()["results"]
    coach_numbers = {r["client_number"] for r in coach_rows}
    assert {"A-CV", "A-GENDER"} <= coach_numbers and not {"B-CV", "O-CV"} & coach_numbers
    assert (coach_rows[0]["rank"], coach_rows[0]["client_number"]) == (1, "A-CV")
    officer_rows = (
        login(world["quality_officer"]).get(f"/api/quality/weekly/{week}/").json()["results"]
    )
    assert "O-CV" not in {r["client_number"] for r in officer_rows}


def test_weekly_list_api_bad_week_is_a_400(login, world):
    response = login(world["coach_a"]).get("/api/quality/weekly/2026-48/")
    assert response.status_code == 400
    assert "week" in response.json()


def test_api_needs_authentication(client):
    assert client.get("/api/quality/findings/").status_code in (401, 403)
    assert client.get("/api/quality/weekly/2026-W48/").status_code in (401, 403)


def listed(user) -> list[str]:
    return sorted(
        AccessLog.objects.filter(user=user, action=AccessAction.LIST).values_list(
            "client_number", flat=True
        )
    )


def accesslog_inserts(queries) -> int:
    return len(
        [
            q
            for q in queries.captured_queries
            if "INSERT INTO" in q["sql"] and "accesslog" in q["sql"]
        ]
    )


def test_findings_api_logs_who_saw_which_clients_in_one_insert(
    login, world, django_assert_max_num_queries
):
    officer = world["quality_officer"]
    api = login(officer)
    with django_assert_max_num_queries(40) as queries:
        response = api.get("/api/quality/findings/")
    assert response.status_code == 200
    assert listed(officer) == numbers(response)
    assert {"A-CV", "A-GENDER", "B-CV"} <= set(listed(officer)) and "O-CV" not in listed(officer)
    assert accesslog_inserts(queries) == 1


def test_findings_api_logs_only_the_filtered_rows(login, world):
    login(world["coach_a"]).get("/api/quality/findings/?rule=gender_not_registered")
    assert listed(world["coach_a"]) == ["A-GENDER"]


def test_a_refused_query_logs_nothing(login, world):
    assert (
        login(world["quality_officer"]).get("/api/quality/findings/?rule=nope").status_code == 400
    )
    assert not AccessLog.objects.exists()


def test_weekly_list_api_logs_the_listed_clients(login, world, django_assert_max_num_queries):
    week = weeks.current_iso_week()
    services.build_weekly_list(week)
    officer = world["quality_officer"]
    api = login(officer)
    with django_assert_max_num_queries(20) as queries:
        response = api.get(f"/api/quality/weekly/{week}/")
    assert listed(officer) == numbers(response) and "O-CV" not in listed(officer)
    assert accesslog_inserts(queries) == 1
