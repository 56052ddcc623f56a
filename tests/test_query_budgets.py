"""Query budgets: every page and list endpoint runs the same number of queries whatever the data size.

Each endpoint is requested with a caseload of 10 and of 200 clients (each with its history), and
with page sizes 1 and 50; all four query counts must be identical, and within the endpoint's budget.
Every HTML page and export also reads when the last import finished (the freshness line of
base.html, the export's file name).
`grow` brings this week's data-quality list up to date too, so the list pages grow with it.
Adding a page is one `Endpoint` in ENDPOINTS. An entry whose URL name does not resolve fails: list
only pages that exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from quality.weekly.services import build_weekly_list

from .factories import (
    ActionPlanFactory,
    ClientFactory,
    ContactFactory,
    EnrolmentFactory,
    ReferralFactory,
    VacancyFactory,
    WorkshopFactory,
)

SMALL, LARGE = 10, 200
PAGE_SIZES = (1, 50)

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Endpoint:
    url_name: str
    role: str  # a member of the `cast` fixture
    budget: (
        int  # the most queries it may run, session and user lookups included (measured, kept tight)
    )
    args: Callable[[dict], list] = lambda world: []
    params: Callable[[dict], dict] = lambda world: {}
    # An API operation that is not a list takes no page_size (the API refuses what it does not use).
    paged: bool = True

    def __str__(self):
        return f"{self.url_name}-as-{self.role}"


def first_client(world: dict) -> list:
    return [world["client_a"].client_number]


def first_vacancy(world: dict) -> list:
    return [world["vacancy"].vacancy_id]


def own_team(world: dict) -> list:
    return [world["team_manager"].team_id]


def about_first_client(world: dict) -> dict:
    return {"client": world["client_a"].client_number}


ENDPOINTS = [
    Endpoint("caseload:client_list", "coach_a", 10),
    # + the coaches the manager may filter on (the filter bar's coach list)
    Endpoint("caseload:client_list", "team_manager", 11),
    Endpoint("caseload:client_list", "superuser", 12),  # + the teams to pick from
    Endpoint("caseload:client_detail", "coach_a", 15, first_client),
    Endpoint("caseload:legend", "coach_a", 6),
    Endpoint("client-list", "coach_a", 8),
    Endpoint("client-list", "team_manager", 8),
    Endpoint("client-detail", "coach_a", 7, first_client, paged=False),
    Endpoint("contact-list", "coach_a", 7),
    Endpoint("actionplan-list", "coach_a", 7),
    Endpoint("vacancy-list", "coach_a", 7),
    Endpoint("vacancy-detail", "coach_a", 6, first_vacancy, paged=False),
    # The role dashboards and reports: their figures are SQL aggregates, so the count is fixed.
    Endpoint("coach_dashboard", "coach_a", 10),
    Endpoint("client-summary", "coach_a", 6, paged=False),
    Endpoint("caseload:client_export_csv", "coach_a", 8),
    # the clients are read once for the eligible / near-miss counts of every vacancy
    Endpoint("vacancies", "coach_a", 8),
    Endpoint("vacancies", "team_manager", 8),
    Endpoint("workshops", "coach_a", 8),
    Endpoint("vacancy_detail", "coach_a", 14, first_vacancy),
    Endpoint("vacancy-candidates", "coach_a", 11, first_vacancy, paged=False),
    Endpoint("quality_my_list", "coach_a", 14),
    Endpoint(
        "quality_dashboard", "quality_officer", 12
    ),  # one query for every rule (counts_by_rule_and_coach)
    Endpoint("quality_weekly_latest", "quality_officer", 18),
    Endpoint("quality_weekly_export_csv", "quality_officer", 10),
    Endpoint("api-quality-findings", "quality_officer", 26),
    Endpoint("team_dashboard", "team_manager", 12),
    Endpoint("team_dashboard", "superuser", 13),  # + the teams to pick from
    Endpoint("coach_dashboard", "team_manager", 11),
    Endpoint("team_export_csv", "team_manager", 10),
    Endpoint("api-team-summary", "team_manager", 9, own_team, paged=False),
    Endpoint("api-team-capacity", "team_manager", 9, own_team, paged=False),
    # A recorded run is read in two steps: its parameters, then the run without its full result
    # (which the CSV then reads).
    Endpoint("visibility_report", "team_manager", 11),  # + the weekly figures for the trend
    Endpoint("visibility_report_csv", "team_manager", 11),
    Endpoint("api_visibility_report", "team_manager", 9, paged=False),
    Endpoint("caseload:access_log", "superuser", 6),
    Endpoint("api-access-log", "superuser", 6, params=about_first_client),
]


def grow(world: dict, clients: int) -> None:
    """Bring coach A's caseload to `clients` clients, each with contacts, a plan, a referral and an
    enrolment; coach A's first client gets a history of the same length."""
    coach = world["coach_a"]
    vacancy, workshop = world["vacancy"], world["workshop"]
    have = coach.clients.count()
    for _ in range(clients - have):
        client = ClientFactory(coach=coach, gender=None)  # a data-quality finding for the list
        ContactFactory(client=client)
        ActionPlanFactory(client=client, status="active")
        ReferralFactory(client=client, vacancy=vacancy)
        EnrolmentFactory(client=client, workshop=workshop)
        ContactFactory(client=world["client_a"])
        VacancyFactory()
    build_weekly_list()


def statements(captured) -> int:
    """Queries run, a bulk insert counted once: SQLite splits one into batches of 999 parameters
    (the access log's rows for a 200-client shortlist), PostgreSQL does not."""
    count, previous = 0, None
    for query in captured.captured_queries:
        sql = query["sql"]
        table = sql.split("(", 1)[0] if sql.startswith("INSERT INTO") else None
        count += not (table and table == previous)
        previous = table
    return count


def query_counts(
    browser, url: str, params: dict, budget: int, django_assert_max_num_queries, paged: bool
) -> list[int]:
    # A report stores what it computed for the data it saw (the visibility report's run) and reuses
    # it for an identical request: one request first, so every measured one takes the same path.
    browser.get(url, params)
    counts = []
    for size in PAGE_SIZES:
        with django_assert_max_num_queries(budget + 1) as captured:  # + a second batch on SQLite
            response = browser.get(url, {**params, "page_size": size} if paged else params)
        assert response.status_code == 200, url
        assert statements(captured) <= budget, (
            f"{url}: {statements(captured)} queries, budget {budget}"
        )
        counts.append(statements(captured))
    return counts


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_query_count_does_not_grow_with_caseload_or_page_size(
    endpoint, cast, login, django_assert_max_num_queries
):
    world = {**cast, "vacancy": VacancyFactory(), "workshop": WorkshopFactory()}
    url = reverse(endpoint.url_name, args=endpoint.args(world))
    browser = login(world[endpoint.role])
    browser.get(url)  # first request: session set-up, not part of the budget

    grow(world, SMALL)
    params = endpoint.params(world)
    small = query_counts(
        browser, url, params, endpoint.budget, django_assert_max_num_queries, endpoint.paged
    )
    grow(world, LARGE)
    large = query_counts(
        browser, url, params, endpoint.budget, django_assert_max_num_queries, endpoint.paged
    )

    assert small + large == [small[0]] * 4, (
        f"{endpoint}: queries for caseload {SMALL}/{LARGE} × page size 1/50"
    )
