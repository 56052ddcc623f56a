"""caseload.access: the one place that decides who sees which clients and opens which pages."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from caseload import access
from caseload.models import Client, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_scopes_follow_the_role(cast):
    assert access.scope_of(cast["coach_a"]) is access.Scope.OWN_CASELOAD
    assert access.scope_of(cast["quality_officer"]) is access.Scope.TEAM
    assert access.scope_of(cast["team_manager"]) is access.Scope.TEAM
    assert access.scope_of(cast["superuser"]) is access.Scope.EVERYTHING
    teamless = UserFactory(username="teamless", role=Role.TEAM_MANAGER, team=None)
    assert access.scope_of(teamless) is access.Scope.NOTHING
    inactive = UserFactory(username="gone", role=Role.WORK_COACH, is_active=False)
    assert access.scope_of(inactive) is access.Scope.NOTHING


def test_visible_clients_are_the_scope(cast):
    def numbers(user):
        return sorted(Client.objects.visible_to(user).values_list("client_number", flat=True))

    assert numbers(cast["coach_a"]) == ["CA0001"]
    assert numbers(cast["team_manager"]) == ["CA0001", "CB0001"]
    assert numbers(cast["other_manager"]) == ["CO0001"]
    assert numbers(cast["superuser"]) == ["CA0001", "CB0001", "CO0001"]
    assert numbers(UserFactory(username="norole", role="")) == []


@pytest.mark.parametrize(
    ("who", "page", "allowed"),
    [
        ("coach_a", "coach_dashboard", True),
        ("coach_a", "team_dashboard", False),
        ("team_manager", "team_dashboard", True),
        ("quality_officer", "visibility_report", True),
        ("coach_a", "visibility_report", False),
        ("quality_officer", "vacancies", False),
        ("coach_a", "refer_clients", True),
        ("team_manager", "refer_clients", False),
        # a superuser opens every page except the coach's own writes
        ("superuser", "team_dashboard", True),
        ("superuser", "access_log", True),
        ("superuser", "refer_clients", False),
        ("coach_a", "access_log", False),
    ],
)
def test_may_open(cast, who, page, allowed):
    assert access.may_open(cast[who], page) is allowed


def test_pages_that_work_on_a_team_need_one():
    officer = UserFactory(username="teamless.officer", role=Role.QUALITY_OFFICER, team=None)
    assert access.may_open(officer, "quality_dashboard")
    assert not access.may_open(officer, "build_weekly_list")
    assert not access.may_open(officer, "visibility_report")


def test_require_page_refuses_with_the_pages_reason(cast):
    @access.require_page("team_dashboard")
    def view(request):
        return "shown"

    request = RequestFactory().get("/")
    request.user = cast["team_manager"]
    assert view(request) == "shown"
    request.user = cast["coach_a"]
    with pytest.raises(PermissionDenied, match="team managers"):
        view(request)


def test_an_unknown_page_is_a_bug_not_a_refusal():
    with pytest.raises(KeyError):
        access.require_page("no_such_page")
    with pytest.raises(KeyError):
        access.PagePermission.to("no_such_page")


def test_the_menu_shows_exactly_the_pages_a_role_may_open(cast):
    def labels(user):
        return [str(item["label"]) for item in access.menu(user, "/")]

    # the landing page first, no page twice ("Home" was the landing page again)
    assert labels(cast["coach_a"]) == [
        "My caseload",
        "Data quality",
        "Clients",
        "Vacancies",
        "Workshops",
        "Legend",
    ]
    assert labels(cast["team_manager"]) == [
        "Team",
        "Data quality",
        "Team caseload",
        "Clients",
        "Vacancies",
        "Workshops",
        "Visibility",
        "Legend",
    ]
    assert labels(cast["quality_officer"]) == [
        "Data quality",
        "Team caseload",
        "Clients",
        "Visibility",
        "Legend",
    ]
    assert labels(cast["superuser"])[0] == "Clients"
    assert "Team caseload" in labels(cast["superuser"])
    assert "My caseload" not in labels(cast["superuser"])  # a superuser holds no caseload
    for who in ("coach_a", "team_manager", "quality_officer", "superuser"):
        urls = [item["url"] for item in access.menu(cast[who], "/")]
        assert len(urls) == len(set(urls)), who
    assert access.menu(cast["coach_a"], reverse("caseload:legend"))[-1]["active"]


def test_only_a_reader_of_several_teams_picks_a_team(cast, other_team):
    assert access.picks_team(cast["superuser"])
    assert not access.picks_team(cast["team_manager"])
    assert not access.picks_team(cast["coach_a"])
    from caseload.selectors import teams_visible_to

    assert list(teams_visible_to(cast["team_manager"])) == [cast["team_manager"].team]
    assert teams_visible_to(cast["superuser"]).count() == 2
    assert list(teams_visible_to(cast["coach_a"])) == [cast["coach_a"].team]  # their own


def test_each_role_lands_on_its_own_dashboard(cast):
    assert access.landing_page(cast["coach_a"]) == "coach_dashboard"
    assert access.landing_page(cast["quality_officer"]) == "quality_dashboard"
    assert access.landing_page(cast["team_manager"]) == "team_dashboard"
    assert access.landing_page(cast["superuser"]) == access.DEFAULT_LANDING_PAGE
