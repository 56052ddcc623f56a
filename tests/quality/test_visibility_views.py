"""Visibility report page, CSV and API: access, scope, disclosure control, bad input, reproducibility."""

import csv
import datetime
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from quality.models import VisibilityRun
from tests.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PAGE = reverse("visibility_report")
CSV_URL = reverse("visibility_report_csv")
API = "/api/reports/visibility/"


@pytest.fixture
def caseload(cast):
    """Team 1: 30 women seen recently, 20 men seen recently, 4 single fathers of young children
    nobody has seen (a cell under k); team 2 has its own clients."""
    coach_a, coach_b = cast["coach_a"], cast["coach_b"]
    old = TODAY - datetime.timedelta(days=400)
    for i in range(30):
        c = ClientFactory(coach=coach_a if i % 2 else coach_b, gender="F", intake_date=old)
        ContactFactory(client=c, date=TODAY - datetime.timedelta(days=5))
    for _ in range(20):
        c = ClientFactory(coach=coach_a, gender="M", intake_date=old)
        ContactFactory(client=c, date=TODAY - datetime.timedelta(days=5))
    for _ in range(4):
        ClientFactory(coach=coach_b, gender="M", household="single_parent", intake_date=old,
                      youngest_child_birth_date=TODAY - datetime.timedelta(days=700))
    ClientFactory.create_batch(12, coach=cast["other_coach"], gender="M")
    return cast


@pytest.mark.parametrize("role", ["coach_a", "coach_b", "other_coach"])
def test_coaches_get_403(caseload, login, role):
    client = login(caseload[role])
    assert client.get(PAGE).status_code == 403
    assert client.get(CSV_URL).status_code == 403
    assert client.get(API).status_code == 403


def test_anonymous_is_sent_to_login(client):
    assert client.get(PAGE).status_code == 302
    assert client.get(API).status_code in (401, 403)


@pytest.mark.parametrize("role, expected", [("team_manager", "56"), ("quality_officer", "56"), ("other_manager", "13")])
def test_managers_and_quality_officers_see_their_own_team(caseload, login, role, expected):
    response = login(caseload[role]).get(API, {"depth": 1})
    assert response.status_code == 200
    assert response.json()["total"]["n_label"] == expected


def test_superuser_sees_all_or_one_team(caseload, login):
    client = login(caseload["superuser"])
    assert client.get(API, {"depth": 1}).json()["total"]["n_label"] == "69"
    assert client.get(API, {"depth": 1, "team": "T2"}).json()["total"]["n_label"] == "13"
    narrowed = client.get(PAGE, {"team": "T1", "depth": 1})
    assert narrowed.status_code == 200 and b"/clients/?" not in narrowed.content
    assert b"/clients/?" in client.get(PAGE, {"depth": 1}).content


def test_team_parameter_is_ignored_for_managers(caseload, login):
    response = login(caseload["other_manager"]).get(API, {"depth": 1, "team": "T1"})
    assert response.json()["total"]["n_label"] == "13"


@pytest.mark.parametrize("params, field", [
    ({"depth": "4"}, "depth"), ({"depth": "x"}, "depth"), ({"measure": "bogus"}, "measure"),
    ({"stratify": "gender"}, "stratify"),
])
def test_invalid_parameters_are_a_400_naming_the_field(caseload, login, params, field):
    client = login(caseload["team_manager"])
    response = client.get(API, params)
    assert response.status_code == 400 and field in response.json()
    assert client.get(CSV_URL, params).status_code == 400
    page = client.get(PAGE, params)
    assert page.status_code == 400 and b"form-errors" in page.content


def small_numbers_in(text):
    return sorted({int(x) for x in re.findall(r"(?<![\d.,\-–])([1-9])(?![\d.,%])", text)})


def test_no_count_under_k_in_api(caseload, login):
    data = login(caseload["team_manager"]).get(API, {"depth": 3, "groups": "all"}).json()
    fathers = [g for g in data["groups"] if g["characteristics"] == [["household", "single_parent_young_child"]]]
    assert fathers and fathers[0]["suppressed"] and fathers[0]["n"] is None and fathers[0]["n_label"] == "< 10"
    for group in data["groups"]:
        for value in (group["n"], group["rest_n"]):
            assert value is None or value == 0 or value >= 10
        for m in group["measures"].values():
            for value in (m["events"], m["rest_events"]):
                assert value is None or value == 0 or value >= 10


def test_no_count_under_k_in_csv(caseload, login):
    response = login(caseload["team_manager"]).get(CSV_URL, {"depth": 3})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows
    assert any(row["clients"] == "< 10" for row in rows)
    for row in rows:
        for column in ("clients", "rest_of_caseload"):
            assert row[column] in ("< 10", "0", "withheld") or int(row[column]) >= 10, row


def test_no_count_under_k_in_html(caseload, login):
    response = login(caseload["team_manager"]).get(PAGE, {"depth": 2})
    assert response.status_code == 200
    html = response.content.decode()
    body = html[html.index('<main id="main">'):]
    body = re.sub(r"<script.*?</script>", "", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)  # text only: attributes and ids are not counts
    counts = re.findall(r"(\d+) active clients|(\d+) clients", body)
    assert counts
    for match in counts:
        value = int(next(x for x in match if x))
        assert value == 0 or value >= 10
    for cell in re.findall(r"<td>(\d+)</td>", html):
        assert int(cell) == 0 or int(cell) >= 10


def test_flagged_group_is_told_in_plain_words_with_a_drilldown_of_the_same_size(
    coach_a, coach_b, team_manager, login
):
    cast = {"coach_a": coach_a, "coach_b": coach_b, "team_manager": team_manager}
    old = TODAY - datetime.timedelta(days=400)
    for _i in range(60):
        c = ClientFactory(coach=cast["coach_a"], gender="F", intake_date=old)
        ContactFactory(client=c, date=TODAY - datetime.timedelta(days=5))
    for _i in range(12):  # single fathers: none seen in 90 days
        c = ClientFactory(coach=cast["coach_b"], gender="M", household="single_parent", intake_date=old,
                          youngest_child_birth_date=TODAY - datetime.timedelta(days=900))
        ContactFactory(client=c, date=TODAY - datetime.timedelta(days=200))
    client = login(cast["team_manager"])
    response = client.get(PAGE, {"depth": 1, "measure": "seen_recently"}, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "Single parent with a child under 12: 12 clients; 0% seen in the last 90 days vs 100% of the rest" in html
    link = re.search(r'href="(/clients/\?[^"]*single_parent_young_child=on[^"]*)"', html).group(1)
    listing = client.get(link.replace("&amp;", "&"))
    assert listing.context["page"].paginator.count == 12
    assert 'data-plotly-figure="visibility-chart"' in html
    figure = json.loads(re.search(r'<script id="visibility-chart" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert figure["data"][0]["x"] and figure["data"][0]["x"][0] == 0


def test_same_data_and_options_reuse_the_recorded_run(caseload, login):
    client = login(caseload["team_manager"])
    first = client.get(API, {"depth": 2}).json()
    second = client.get(API, {"depth": 2}).json()
    assert first == second
    assert VisibilityRun.objects.count() == 1
    run = VisibilityRun.objects.get()
    assert run.team == caseload["team_manager"].team and run.created_by == caseload["team_manager"]
    assert run.parameters["depth"] == 2 and len(run.data_fingerprint) == 64
    client.get(API, {"depth": 1})
    assert VisibilityRun.objects.count() == 2


def test_query_count_does_not_grow_with_the_caseload(caseload, login, django_assert_max_num_queries):
    client = login(caseload["team_manager"])
    with django_assert_max_num_queries(12) as small:
        client.get(API, {"depth": 1, "measure": "seen_recently"})
    ClientFactory.create_batch(40, coach=caseload["coach_a"], gender="X")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(API, {"depth": 1, "measure": "seen_recently"})


def test_measure_accepts_a_comma_separated_list(caseload, login):
    data = login(caseload["team_manager"]).get(API, {"depth": 1, "measure": "seen_recently,referral"}).json()
    assert data["parameters"]["measures"] == ["seen_recently", "referral"]
    assert set(data["groups"][0]["measures"]) == {"seen_recently", "referral"}


def test_api_answers_main_groups_unless_all_are_asked_for(caseload, login):
    client = login(caseload["team_manager"])
    main = client.get(API, {"depth": 2}).json()["groups"]
    everything = client.get(API, {"depth": 2, "groups": "all"}).json()["groups"]
    assert all(g["depth"] == 1 or g["flagged_measures"] for g in main)
    assert len(everything) > len(main) and any(g["depth"] == 2 for g in everything)
    assert client.get(API, {"groups": "some"}).status_code == 400


def test_team_kind_drilldown_filter_and_stratified_page(cast, login):
    from caseload.models import Team

    Team.objects.filter(code="T2").update(kind="asylum")
    client = login(cast["superuser"])
    listing = client.get("/clients/", {"team_kind": "asylum", "status": "active"})
    assert [c.client_number for c in listing.context["page"]] == ["CO0001"]
    page = client.get(PAGE, {"depth": 1, "stratify": "team_kind"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "Compared within each value of Team kind" in page.content.decode()
