"""Team manager dashboard: figures equal their lists, scope, query counts, export, API."""

import csv
import io
import re
from decimal import Decimal
from fractions import Fraction
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from caseload.models import Role, Team, TeamKind, User
from dashboards.team.selectors import CoachRow, team_overview
from tests.factories import ClientFactory, ContactFactory, TeamFactory, UserFactory

from .factories import KNOWN, TODAY, known_caseload

pytestmark = pytest.mark.django_db


def list_count(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def test_figures_have_the_known_answers_and_equal_their_lists(
    login, team_manager, coach_a, coach_b, other_coach
):
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
        assert (
            list_count(browser, url) == totals.counts[key] == KNOWN[key] + rows[coach_b].counts[key]
        ), key
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
    for _ in range(31):
        # 31 × (45 min contact + 9 min administration) = 27.9 h > 27 h available
        ClientFactory(coach=coach_a, contact_frequency_weeks=1)
    rows = {
        row.coach: row
        for row in team_overview(UserFactory(username="m", role=Role.TEAM_MANAGER, team=team), team)
    }
    assert rows[coach_a].capacity.overloaded
    assert rows[coach_a].capacity.contact_minutes == 31 * 45
    assert rows[coach_a].capacity.needed_minutes == 31 * (45 + 9)
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
    assert coach["available_hours_per_week"] == 27.0  # 36 h × 0.75
    assert coach["administration_hours_per_week"] == 1.05  # 7 active clients × 9 min


def test_norm_and_maximum_scale_with_fte_and_equal_is_not_over():
    def row(active, fte):
        return CoachRow(
            coach=User(fte=Decimal(fte)),
            counts={"team_active_caseload": active},
            links={},
            caseload_norm=80,
            caseload_max=120,
        )

    assert (row(80, "1").norm_for_fte, row(80, "1").max_for_fte) == (80, 120)
    assert not row(80, "1").over_norm and row(81, "1").over_norm
    half = row(41, "0.5")  # norm 40, maximum 60
    assert (half.norm_for_fte, half.max_for_fte, half.over_norm, half.over_max) == (
        40,
        60,
        True,
        False,
    )
    assert not row(60, "0.5").over_max and row(61, "0.5").over_max
    assert row(31, "0.38").norm_for_fte == Fraction("30.4") and row(31, "0.38").over_norm


def test_a_team_without_its_own_norm_gets_80_and_120(team):
    team = Team.objects.get(
        pk=team.pk
    )  # as stored: the model default is the one default (no setting)
    assert (team.caseload_norm, team.caseload_max) == (80, 120)


@pytest.mark.parametrize("kind", [TeamKind.ASYLUM, TeamKind.EX_OFFENDER, TeamKind.MULTIPROBLEM])
def test_specialised_team_flags_against_its_own_norm(login, kind):
    team = TeamFactory(code="S1", kind=kind, caseload_norm=10, caseload_max=15)
    manager = UserFactory(username="special.manager", role=Role.TEAM_MANAGER, team=team)
    coaches = {}
    for name, fte, active in [("full", "1", 10), ("half", "0.5", 6), ("small", "0.4", 7)]:
        coaches[name] = UserFactory(
            username=f"coach.{name}", role=Role.WORK_COACH, team=team, fte=Decimal(fte)
        )
        ClientFactory.create_batch(active, coach=coaches[name])
        ClientFactory(
            coach=coaches[name], status="exited", exit_reason="work", exit_date=TODAY
        )  # not active
    browser = login(manager)
    response = browser.get(reverse("team_dashboard"))
    rows = {row.coach.username: row for row in response.context["rows"]}
    # full: 10 of norm 10 (not over); half: 6 of norm 5, max 7.5; small: 7 of norm 4, max 6
    assert {
        name: (row.active, row.norm_for_fte, row.max_for_fte, row.over_norm, row.over_max)
        for name, row in rows.items()
    } == {
        "coach.full": (10, 10, 15, False, False),
        "coach.half": (6, 5, Fraction(15, 2), True, False),
        "coach.small": (7, 4, 6, True, True),
    }
    content = response.content.decode()
    assert "caseload norm 10, maximum 15" in content
    assert (
        content.count('<span class="badge warn">over norm</span>') == 1
    )  # half (small shows the maximum)
    assert content.count('<span class="badge bad">over maximum</span>') == 1
    summary = browser.get(f"/api/teams/{team.pk}/summary/").json()
    assert (
        summary["team"]["kind"],
        summary["team"]["caseload_norm"],
        summary["team"]["caseload_max"],
    ) == (kind, 10, 15)
    assert {c["name"]: (c["norm_for_fte"], c["max_for_fte"]) for c in summary["coaches"]} == {
        str(coaches["full"]): (10.0, 15.0),
        str(coaches["half"]): (5.0, 7.5),
        str(coaches["small"]): (4.0, 6.0),
    }


def test_team_page_over_norm_fte_needed_coach_links_and_chart_csv(
    login, team, team_manager, coach_a, coach_b
):
    team.caseload_norm, team.caseload_max = 5, 8
    team.save()
    for n in range(8):
        ClientFactory(coach=coach_a, client_number=f"A{n}")
    for n in range(4):
        ClientFactory(coach=coach_b, client_number=f"B{n}")
    browser = login(team_manager)
    response = browser.get(reverse("team_dashboard"))
    rows = {row.coach: row for row in response.context["rows"]}
    assert (rows[coach_a].over_norm_by, rows[coach_b].over_norm_by) == (3, 0)
    balance = response.context["balance"]
    # 12 clients, norm 5 × 2 FTE = 10: 3 clients above their coach's norm, 0.4 FTE short
    assert balance.over_norm_by == 3 and balance.fte_needed == Fraction(2, 5)
    html = response.content.decode()
    assert f'href="/dashboard/?coach={coach_a.pk}"' in html  # coach names lead to their caseload
    assert "teams" in response.context and response.context["teams"] is None  # one team: no picker
    lines = list(
        csv.reader(
            io.StringIO(
                browser.get(reverse("team_chart_csv"), {"chart": "caseload"}).content.decode()
            )
        )
    )
    assert lines[0][:4] == ["Work coach", "Active caseload", "Norm for FTE", "Maximum for FTE"]
    assert ["Coach A", "8", "5.0", "8.0", "3"] in lines
    assert browser.get(reverse("team_chart_csv"), {"chart": "trend"}).status_code == 200
    assert browser.get(reverse("team_chart_csv"), {"chart": "nope"}).status_code == 400
    summary = browser.get(f"/api/teams/{team.pk}/summary/").json()
    assert summary["over_norm_by"] == 3 and summary["fte_needed"] == 0.4


def test_superuser_gets_a_team_picker(login, superuser, team, other_team):
    response = login(superuser).get(reverse("team_dashboard"), {"team": other_team.pk})
    assert list(response.context["teams"]) == [team, other_team]
    assert b'id="team-select"' in response.content


def test_dutch_team_page_writes_numbers_the_dutch_way(login, team_manager, coach_a):
    ClientFactory(coach=coach_a)
    html = login(team_manager).get(reverse("team_dashboard"), HTTP_ACCEPT_LANGUAGE="nl").content
    html = re.sub(r"<script.*?</script>", "", html.decode(), flags=re.S)  # chart data is JSON
    assert "80,0" in html and "80.0" not in html  # the norm for 1.0 FTE
    assert "Face to face" not in html and "Face-to-face" not in html and "face_to_face" not in html
