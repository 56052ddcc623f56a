"""The work coach dashboard: known figures, every figure equals its list, scoping, query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ActionPlanFactory, ClientFactory, ContactFactory, UserFactory

from .factories import EXPECTED, days_ago, known_caseload

pytestmark = pytest.mark.django_db
URL = reverse("coach_dashboard")
FIGURE_LINK = re.compile(r'href="(/clients/\?[^"]*)" data-count="(\d+)"')


def figure_links(response):
    html = response.content.decode()
    return [(link.replace("&amp;", "&"), int(count)) for link, count in FIGURE_LINK.findall(html)]


def counts_by_key(response):
    context = response.context
    counted = [*context["overview"], *context["monitoring"]]
    for table in (context["last_contact"], *context["characteristics"]):
        counted += [*table.values, table.unknown]
    return {item.key: item.count for item in counted}


def test_known_figures(login, coach_a, coach_b):
    known_caseload(coach_a)
    ClientFactory(coach=coach_b, gender=None)  # someone else's client: never counted
    response = login(coach_a).get(URL)
    assert response.status_code == 200
    counts = counts_by_key(response)
    for key, expected in EXPECTED.items():
        assert counts[key] == expected, key


def test_every_figure_equals_the_length_of_its_list(login, coach_a, coach_b):
    known_caseload(coach_a)
    ClientFactory(coach=coach_b)
    client = login(coach_a)
    links = figure_links(client.get(URL))
    assert len(links) > 60  # overview, monitoring and every characteristic value
    for link, count in links:
        listed = client.get(link)
        assert listed.status_code == 200
        assert listed.context["filterset"].is_valid(), link
        assert listed.context["page"].paginator.count == count, link


def test_characteristic_counts_add_up_to_active_clients(login, coach_a):
    known_caseload(coach_a)
    response = login(coach_a).get(URL)
    active = EXPECTED["active_clients"]
    for table in response.context["characteristics"]:
        values = [item.count for item in table.values if item.key != "single_parent_young_child"]
        assert sum(values) + table.unknown.count == active, table.name


def test_todo_list_most_urgent_first_with_reasons(login, coach_a):
    known_caseload(coach_a)
    todo = login(coach_a).get(URL).context["todo"]
    numbers = [row.client_number for row in todo]
    # K-NEVER: not seen 5 + overdue 4 + no plan 2 + quiet 1 = 12; K-OVERDUE: 4 + 3 + 1 + 1 = 9.
    assert numbers == ["K-NEVER", "K-OVERDUE"]
    reasons = {figure.key for figure, _query in todo[0].reasons}
    assert reasons == {"not_seen", "contact_overdue", "no_active_plan", "quiet"}


def test_threshold_is_configurable_and_carried_into_the_link(login, coach_a):
    known_caseload(coach_a)
    response = login(coach_a).get(URL + "?not_seen_days=2")
    not_seen = next(item for item in response.context["monitoring"] if item.key == "not_seen")
    assert "not_seen_days=2" in not_seen.query
    assert not_seen.count == 3  # K-NEVER, K-OVERDUE (20 days ago) and K-OK (3 days ago)
    assert login(coach_a).get(URL + "?not_seen_days=abc").status_code == 200


def test_coach_cannot_open_another_coachs_dashboard(login, coach_a, coach_b):
    assert login(coach_a).get(URL + f"?coach={coach_b.pk}").status_code == 404
    assert login(coach_a).get(URL + "?coach=x").status_code == 404


def test_manager_sees_team_and_may_choose_a_coach_of_the_team(
    login, coach_a, coach_b, other_coach, team_manager
):
    ClientFactory(coach=coach_a)
    ClientFactory(coach=coach_b)
    ClientFactory(coach=other_coach)
    client = login(team_manager)
    assert counts_by_key(client.get(URL))["active_clients"] == 2
    chosen = client.get(URL + f"?coach={coach_a.pk}")
    assert counts_by_key(chosen)["active_clients"] == 1
    assert all(f"coach={coach_a.pk}" in link for link, _count in figure_links(chosen))
    assert client.get(URL + f"?coach={other_coach.pk}").status_code == 404


def test_quality_officer_may_open_it(login, quality_officer, coach_a):
    ClientFactory(coach=coach_a)
    assert login(quality_officer).get(URL).status_code == 200


def test_user_without_role_is_refused(login, db):
    nobody = UserFactory(username="nobody", role="", team=None)
    assert login(nobody).get(URL).status_code == 403


def test_needs_login(client):
    assert client.get(URL).status_code == 302


def test_page_has_legend_and_chart_data(login, coach_a):
    known_caseload(coach_a)
    html = login(coach_a).get(URL).content.decode()
    assert 'id="chart-monitoring-data"' in html
    assert 'data-plotly-figure="chart-age_band-data"' in html
    assert "plotly/plotly.min.js" in html
    assert 'id="legend-heading"' in html
    assert "Exited to work this quarter" in html or "quarter" in html


def make_caseload(coach, size):
    for index in range(size):
        client = ClientFactory(
            coach=coach, service_track=f"T{index % 4}", gender=None if index % 5 else "M"
        )
        ContactFactory(client=client)
        if index % 3:
            ActionPlanFactory(client=client)


@pytest.mark.parametrize("user_name", ["coach_a", "team_manager"])
def test_query_count_does_not_grow_with_caseload(
    login, coach_a, team_manager, user_name, django_assert_num_queries
):
    user = {"coach_a": coach_a, "team_manager": team_manager}[user_name]
    make_caseload(coach_a, 10)
    client = login(user)
    client.get(URL)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    make_caseload(coach_a, 190)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(URL)
    assert len(small.captured_queries) <= 11


def test_every_figure_has_its_definition_on_the_page(login, coach_a):
    known_caseload(coach_a)
    response = login(coach_a).get(URL)
    html = response.content.decode()
    defined = {entry.key for entry in response.context["legend_entries"]}
    for key in counts_by_key(response):
        figure = next(
            item
            for item in [
                *response.context["overview"],
                *response.context["monitoring"],
                *(
                    row
                    for t in (
                        response.context["last_contact"],
                        *response.context["characteristics"],
                    )
                    for row in (*t.values, t.unknown)
                ),
            ]
            if item.key == key
        )
        assert figure.definition in defined, key
    for entry in response.context["legend_entries"]:
        assert str(entry.text).replace("'", "&#x27;") in html, entry.key


def test_last_contact_table_bands_at_their_edges(login, coach_a):
    for number, days in [("L0", 0), ("L28", 28), ("L29", 29), ("L90", 90), ("L91", 91)]:
        ContactFactory(
            client=ClientFactory(coach=coach_a, client_number=number), date=days_ago(days)
        )
    ClientFactory(coach=coach_a, client_number="L-NEVER")
    exited = ClientFactory(
        coach=coach_a, client_number="L-EXITED", status="exited", exit_date=days_ago(1)
    )
    ContactFactory(client=exited, date=days_ago(5))
    browser = login(coach_a)
    table = browser.get(URL).context["last_contact"]
    counts = {item.key: item.count for item in [*table.values, table.unknown]}
    assert counts == {
        "last_contact=4_weeks": 2,
        "last_contact=1_3_months": 2,
        "last_contact=over_3_months": 1,
        "last_contact=unknown": 1,
    }
    listed = browser.get(reverse("caseload:client_list") + "?" + table.values[1].query)
    assert [c.client_number for c in listed.context["page"].object_list] == ["L29", "L90"]


def test_of_which_row_sits_under_its_parent_and_codes_show_their_labels(login, coach_a):
    known_caseload(coach_a)
    response = login(coach_a).get(reverse("coach_dashboard"))
    household = next(t for t in response.context["characteristics"] if t.name == "household")
    keys = [item.key for item in household.values]
    assert keys.index("single_parent_young_child") == keys.index("household=single_parent") + 1
    tracks = next(t for t in response.context["characteristics"] if t.name == "service_track")
    assert [item.label for item in tracks.values] == ["Work"]  # code WORK, shown by its label


def test_a_superuser_picks_a_team_and_its_figures_and_coaches_follow(
    login, superuser, coach_a, other_coach, other_team
):
    known_caseload(coach_a)
    ClientFactory(coach=other_coach)
    browser = login(superuser)
    everyone = browser.get(reverse("coach_dashboard"))
    assert b"Caseload of all teams" in everyone.content
    picked = browser.get(reverse("coach_dashboard"), {"team": other_team.pk})
    assert b"Caseload of Team Zuid" in picked.content
    assert [c.pk for c in picked.context["coaches"]] == [other_coach.pk]
    active = next(item for item in picked.context["overview"] if item.key == "active_clients")
    assert active.count == 1 and f"team={other_team.pk}" in active.query
    assert browser.get(reverse("coach_dashboard"), {"team": "999999"}).status_code == 404
