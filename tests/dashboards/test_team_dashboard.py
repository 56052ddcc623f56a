"""Team manager dashboard: figures equal their lists, scope, query counts, export, API."""

import csv
import io
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from caseload.models import Role, Team
from dashboards.team_selectors import team_overview
from tests.factories import ClientFactory, ContactFactory, UserFactory

from .team_factories import KNOWN, known_caseload

pytestmark = pytest.mark.django_db


def list_count(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def test_figures_have_the_known_answers_and_equal_their_lists(login, team_manager, coach_a, coach_b, other_coach):
    known_caseload(coach_a, "A")
    known_caseload(other_coach, "O")  # another team: must not leak into anything
    ClientFactory(coach=coach_b, client_number="B1")
    browser = login(team_manager)
    response = browser.get(reverse("team_dashboard"))
    assert response.status_code == 200
    rows = {row.coach: row for row in response.context["rows"]}
    assert set(rows) == {coach_a, coach_b}
    assert rows[coach_a].counts == KNOWN
    assert rows[coach_b].counts["team_active_caseload"] == 1
    for row in rows.values():
        for key, url in row.links.items():
            assert list_count(browser, url) == row.counts[key], key
            assert f'href="{url.replace("&", "&amp;")}"'.encode() in response.content
    totals = response.context["totals"]
    for key, url in totals.links.items():
        assert list_count(browser, url) == totals.counts[key] == KNOWN[key] + rows[coach_b].counts[key], key
    # shares come from the same counts
    row = rows[coach_a]
    assert row.seen_share == pytest.approx(4 / 6)
    assert row.plan_coverage == pytest.approx(1 / 7)
    assert row.completeness == pytest.approx(6 / 7)


def test_other_roles_and_other_teams(login, cast, other_team):
    assert login(cast["coach_a"]).get(reverse("team_dashboard")).status_code == 403
    assert login(cast["quality_officer"]).get(reverse("team_dashboard")).status_code == 403
    manager = login(cast["team_manager"])
    assert manager.get(reverse("team_dashboard") + f"?team={other_team.pk}").status_code == 404
    assert manager.get(reverse("team_dashboard") + "?team=abc").status_code == 404
    assert manager.get(reverse("team_export_csv") + f"?team={other_team.pk}").status_code == 404
    assert manager.get(f"/api/teams/{other_team.pk}/summary/").status_code == 404
    assert manager.get(f"/api/teams/{other_team.pk}/capacity/").status_code == 404
    response = login(cast["superuser"]).get(reverse("team_dashboard") + f"?team={other_team.pk}")
    assert response.status_code == 200
    assert [row.coach for row in response.context["rows"]] == [cast["other_coach"]]
    assert response.context["totals"].links == {}  # /clients/ would list every team to a superuser


def test_login_required(client):
    response = client.get(reverse("team_dashboard"))
    assert response.status_code == 302
    assert client.get("/api/teams/1/summary/").status_code in (401, 403)


def make_team(size, clients_each):
    team = Team.objects.create(code=f"Q{size}", name=f"Team {size}")
    manager = UserFactory(username=f"manager{size}", role=Role.TEAM_MANAGER, team=team)
    for n in range(size):
        coach = UserFactory(username=f"c{size}-{n}", role=Role.WORK_COACH, team=team)
        for _ in range(clients_each):
            ContactFactory(client=ClientFactory(coach=coach), channel="phone")
    return manager


def test_query_count_is_constant_in_team_size(login, django_assert_max_num_queries):
    browser = login(make_team(3, 1))
    with django_assert_max_num_queries(14) as captured:
        assert browser.get(reverse("team_dashboard")).status_code == 200
    queries = len(captured.captured_queries)
    browser = login(make_team(12, 4))
    with django_assert_max_num_queries(queries):
        assert browser.get(reverse("team_dashboard")).status_code == 200
    with django_assert_max_num_queries(queries):
        assert browser.get(reverse("team_export_xlsx")).status_code == 200
    with django_assert_max_num_queries(queries):
        assert browser.get(reverse("team_export_csv")).status_code == 200


def test_overloaded_coach_is_flagged(team, coach_a, coach_b):
    for _ in range(30):
        ClientFactory(coach=coach_a, contact_frequency_weeks=1)  # 30 × 45 min = 22.5 h > 18 h
    rows = {row.coach: row for row in team_overview(UserFactory(username="m", role=Role.TEAM_MANAGER, team=team), team)}
    assert rows[coach_a].capacity.overloaded
    assert rows[coach_a].capacity.needed_minutes == 30 * 45
    assert not rows[coach_b].capacity.overloaded


def test_export_csv_and_xlsx(login, team_manager, coach_a):
    known_caseload(coach_a, "A")
    browser = login(team_manager)
    response = browser.get(reverse("team_export_csv"))
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0][0] == "Work coach"
    coach_line = next(line for line in lines if line[0] == "Coach A")
    assert coach_line[2] == "7"
    response = browser.get(reverse("team_export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Work coach"
    assert next(row for row in values if row[0] == "Coach A")[:3] == ["Coach A", 1.0, 7]


def test_export_neutralises_formulas(login, team_manager, team):
    UserFactory(username="evil", full_name="=HYPERLINK(1)", role=Role.WORK_COACH, team=team)
    content = login(team_manager).get(reverse("team_export_csv")).content.decode()
    assert "'=HYPERLINK(1)" in content


def test_api_summary_and_capacity(login, team_manager, coach_a, team):
    known_caseload(coach_a, "A")
    browser = login(team_manager)
    summary = browser.get(f"/api/teams/{team.pk}/summary/").json()
    coach = next(c for c in summary["coaches"] if c["id"] == coach_a.pk)
    assert {key: value["count"] for key, value in coach["figures"].items()} == KNOWN
    link = coach["figures"]["contact_overdue"]["list"]
    api_count = browser.get("/api/clients/?" + urlparse(link).query).json()["count"]
    assert api_count == KNOWN["contact_overdue"]
    capacity = browser.get(f"/api/teams/{team.pk}/capacity/").json()
    coach = next(c for c in capacity["coaches"] if c["id"] == coach_a.pk)
    assert coach["clients_without_frequency"] == 1
    assert coach["planned_clients"] == 6
    assert coach["available_hours_per_week"] == 18.0
