"""Visibility report page, CSV and API: access, scope, disclosure control, bad input, reproducibility."""

import csv
import datetime
import io
import json
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from quality.models import VisibilityRun
from quality.visibility.engine import MEASURES, Parameters, main_groups
from tests.factories import ClientFactory, ContactFactory

from .fixtures import registered_people

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
        ClientFactory(
            coach=coach_b,
            gender="M",
            household="single_parent",
            intake_date=old,
            youngest_child_birth_date=TODAY - datetime.timedelta(days=700),
        )
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


@pytest.mark.parametrize(
    "role, expected", [("team_manager", "56"), ("quality_officer", "56"), ("other_manager", "13")]
)
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


@pytest.mark.parametrize(
    "params, field",
    [
        ({"depth": "4"}, "depth"),
        ({"depth": "x"}, "depth"),
        ({"measure": "bogus"}, "measure"),
        ({"stratify": "gender"}, "stratify"),
    ],
)
def test_invalid_parameters_are_a_400_naming_the_field(caseload, login, params, field):
    client = login(caseload["team_manager"])
    response = client.get(API, params)
    assert response.status_code == 400 and field in response.json()
    assert client.get(CSV_URL, params).status_code == 400
    page = client.get(PAGE, params)
    assert page.status_code == 400 and b"form-errors" in page.content


@pytest.fixture
def audited_caseload(cast):
    """Team 1: 42 women with household registered (40 + the cast's two), 28 men with household not
    registered (a group the data barely sees), 3 clients of gender X (a cell under k). Hiding the 3
    hides the women's or the men's count too; an audit row showing a count the table hides would
    give the 3 back as 73 − 42 − 28."""
    old = TODAY - datetime.timedelta(days=400)
    for i in range(40):
        c = ClientFactory(
            coach=cast["coach_a"] if i % 2 else cast["coach_b"], gender="F", intake_date=old
        )
        ContactFactory(client=c, date=TODAY - datetime.timedelta(days=5))
    for _ in range(28):
        c = ClientFactory(coach=cast["coach_a"], gender="M", household=None, intake_date=old)
        ContactFactory(client=c, date=TODAY - datetime.timedelta(days=5))
    ClientFactory.create_batch(3, coach=cast["coach_b"], gender="X", intake_date=old)
    return cast


def is_small(value, k=10):
    return value is not None and 0 < value < k


def api_counts(data):
    """(group key, label or number) for every client count the API answer shows, and every count
    one subtraction away from two shown ones."""
    total = data["total"]
    yield (), total["n"]
    for m in total["measures"].values():
        yield (), m["events"]
        if m["kind"] == "proportion" and m["size"] is not None:
            yield (), m["size"]
            yield (), m["size"] - m["events"]
    for group in data["groups"]:
        key = tuple(map(tuple, group["characteristics"]))
        yield key, group["n"] if group["n"] is not None else group["n_label"]
        yield key, group["rest_n"]
        for measure, m in group["measures"].items():
            yield key, m["events"]
            yield key, m["rest_events"]
            if MEASURES[measure].kind == "proportion" and m["size"] is not None:
                yield key, m["size"]
                yield key, m["rest_size"]
                yield key, m["size"] - m["events"]
                yield key, m["rest_size"] - m["rest_events"]
    for best in data["best_served"].values():
        yield tuple(map(tuple, best["characteristics"])), best["n"]
    for row in data["missing_data"]:
        key = tuple(map(tuple, row["characteristics"]))
        yield key, row["n"] if row["n"] is not None else row["n_label"]
        for value in (row["rest_n"], row["unknown"], row["rest_unknown"]):
            yield key, value
        if not row["suppressed"]:
            yield key, row["n"] - row["unknown"]
            yield key, row["rest_n"] - row["rest_unknown"]


def assert_withheld_everywhere(shown):
    """(group, value) pairs: a group's count withheld in one place is a number in none."""
    by_group = {}
    for key, value in shown:
        if value is None or value == "":
            continue
        by_group.setdefault(key, set()).add(
            "withheld" if value in ("< 10", "withheld") else "number"
        )
    assert not [key for key, kinds in by_group.items() if kinds == {"withheld", "number"}]


@pytest.mark.parametrize("depth", [1, 2, 3])
@pytest.mark.parametrize("fixture", ["caseload", "audited_caseload"])
def test_no_count_under_k_in_api(fixture, depth, request, login):
    cast = request.getfixturevalue(fixture)
    data = (
        login(cast["team_manager"])
        .get(API, {"depth": depth, "groups": "all"}, HTTP_ACCEPT_LANGUAGE="en")
        .json()
    )
    if fixture == "caseload":
        fathers = [
            g
            for g in data["groups"]
            if g["characteristics"] == [["household", "single_parent_young_child"]]
        ]
        assert (
            fathers
            and fathers[0]["suppressed"]
            and fathers[0]["n"] is None
            and fathers[0]["n_label"] == "< 10"
        )
    else:
        assert data["missing_data"]  # the audit is in the answer
    shown = list(api_counts(data))
    assert not [
        (key, value) for key, value in shown if isinstance(value, (int, float)) and is_small(value)
    ]
    assert_withheld_everywhere(shown)


def csv_counts(rows):
    for row in rows:
        for column in ("clients", "rest_of_caseload"):
            yield row["characteristics"], row[column]


@pytest.mark.parametrize("fixture", ["caseload", "audited_caseload"])
def test_no_count_under_k_in_csv(fixture, request, login):
    cast = request.getfixturevalue(fixture)
    response = login(cast["team_manager"]).get(CSV_URL, {"depth": 1}, HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert any(row["clients"] == "< 10" for row in rows)
    if fixture == "audited_caseload":
        assert any(row["section"] == "not_registered" for row in rows)
    for key, value in csv_counts(rows):
        assert value in ("< 10", "0", "withheld", "") or int(value) >= 10, (key, value)
    assert_withheld_everywhere(csv_counts(rows))


def html_counts(html):
    """(row label, count) from every count column of every table, and 'N clients' in sentences."""
    body = html[html.index('<main id="main">') :]
    body = re.sub(r"<script.*?</script>", "", body, flags=re.S)
    for table in re.findall(r"<table.*?</table>", body, re.S):
        headers = [
            re.sub(r"<[^>]+>", "", h).strip()
            for h in re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", table, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.split("</thead>")[-1], re.S):
            cells = [
                unescape(re.sub(r"<[^>]+>", "", c)).strip()
                for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            ]
            for header, cell in zip(headers, cells, strict=False):
                if header in ("Clients", "Not registered in group"):
                    number = re.match(r"(\d+)(?![\d.,%])", cell)
                    yield cells[0], int(number.group(1)) if number else cell
    text = re.sub(r"<[^>]+>", " ", body)  # text only: attributes and ids are not counts
    for label, count in re.findall(r"([^.;>]*?): (\d+) clients", text):
        yield label.strip(), int(count)
    for label, count in re.findall(r"([^.;>]*?) \((\d+) clients\)", text):
        yield label.strip(), int(count)
    for count in re.findall(r"(\d+) active clients", text):
        yield "", int(count)


@pytest.mark.parametrize("fixture", ["caseload", "audited_caseload"])
def test_no_count_under_k_in_html(fixture, request, login):
    cast = request.getfixturevalue(fixture)
    response = login(cast["team_manager"]).get(PAGE, {"depth": 1}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    shown = list(html_counts(response.content.decode()))
    assert any(value == "< 10" for _label, value in shown)
    assert any(isinstance(value, int) for _label, value in shown)
    assert not [
        (label, value) for label, value in shown if isinstance(value, int) and is_small(value)
    ]
    assert_withheld_everywhere(shown)


def test_flagged_group_is_told_in_plain_words_with_a_drilldown_of_the_same_size(
    coach_a, coach_b, team_manager, login
):
    cast = {"coach_a": coach_a, "coach_b": coach_b, "team_manager": team_manager}
    old = TODAY - datetime.timedelta(days=400)
    for _i in range(60):
        c = ClientFactory(coach=cast["coach_a"], gender="F", intake_date=old)
        ContactFactory(client=c, date=TODAY - datetime.timedelta(days=5))
    for _i in range(12):  # single fathers: none seen in 90 days
        c = ClientFactory(
            coach=cast["coach_b"],
            gender="M",
            household="single_parent",
            intake_date=old,
            youngest_child_birth_date=TODAY - datetime.timedelta(days=900),
        )
        ContactFactory(client=c, date=TODAY - datetime.timedelta(days=200))
    client = login(cast["team_manager"])
    response = client.get(PAGE, {"depth": 1, "measure": "seen_recently"}, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert (
        "Single parents with a child under 12 (12 clients): 0% seen in the last 90 days, against "
        "100% of the rest of the caseload." in html
    )
    link = re.search(r'href="(/clients/\?[^"]*single_parent_young_child=on[^"]*)"', html).group(1)
    listing = client.get(link.replace("&amp;", "&"))
    assert listing.context["page"].paginator.count == 12
    assert 'data-plotly-figure="visibility-siblings"' in html
    figure = json.loads(
        re.search(
            r'<script id="visibility-siblings" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    # the group (0% seen) first, then its neighbours: the other households
    assert figure["data"][0]["x"][0] == 0 and len(figure["data"][0]["x"]) > 1


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


def test_a_run_recorded_under_an_older_disclosure_method_is_not_reused(caseload, login):
    client = login(caseload["team_manager"])
    client.get(API, {"depth": 2})
    run = VisibilityRun.objects.get()
    assert run.parameters["disclosure_method"] == Parameters().disclosure_method
    run.parameters["disclosure_method"] -= 1
    run.save()
    client.get(API, {"depth": 2})
    assert VisibilityRun.objects.count() == 2


def test_query_count_does_not_grow_with_the_caseload(
    caseload, login, django_assert_max_num_queries
):
    client = login(caseload["team_manager"])
    with django_assert_max_num_queries(12) as small:
        client.get(API, {"depth": 1, "measure": "seen_recently"})
    ClientFactory.create_batch(40, coach=caseload["coach_a"], gender="X")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(API, {"depth": 1, "measure": "seen_recently"})


def test_measure_accepts_a_comma_separated_list(caseload, login):
    data = (
        login(caseload["team_manager"])
        .get(API, {"depth": 1, "measure": "seen_recently,referral"})
        .json()
    )
    assert data["parameters"]["measures"] == ["seen_recently", "referral"]
    assert set(data["groups"][0]["measures"]) == {"seen_recently", "referral"}


def test_api_answers_main_groups_unless_all_are_asked_for(caseload, login):
    client = login(caseload["team_manager"])
    main = client.get(API, {"depth": 2}).json()["groups"]
    everything = client.get(API, {"depth": 2, "groups": "all"}).json()["groups"]
    assert [str(g["characteristics"]) for g in main] == [
        str(g["characteristics"]) for g in main_groups(everything)
    ]
    assert len(everything) > len(main) and any(g["depth"] == 2 for g in everything)
    assert client.get(API, {"groups": "some"}).status_code == 400


def test_team_kind_drilldown_filter_and_stratified_page(cast, login):
    from caseload.models import Team

    Team.objects.filter(code="T2").update(kind="asylum")
    client = login(cast["superuser"])
    listing = client.get("/clients/", {"team_kind": "asylum", "status": "active"})
    assert [c.client_number for c in listing.context["page"]] == ["CO0001"]
    page = client.get(PAGE, {"depth": 1, "stratify": "team_kind"}, HTTP_ACCEPT_LANGUAGE="en")
    assert (
        page.status_code == 200
        and "Compared within each value of Team kind" in page.content.decode()
    )


def test_the_summary_holds_the_groups_shown_by_default_and_the_full_result_all(caseload, login):
    client = login(caseload["team_manager"])
    everything = client.get(API, {"depth": 2, "groups": "all"}).json()
    main = client.get(API, {"depth": 2}).json()
    run = VisibilityRun.objects.get()

    assert len(everything["groups"]) == len(run.result["groups"]) > len(run.summary["groups"])
    assert {str(g["characteristics"]) for g in main["groups"]} == {
        str(g["characteristics"]) for g in main_groups(everything["groups"])
    }
    assert run.summary["total"] == run.result["total"]
    csv_lines = list(csv.reader(io.StringIO(client.get(CSV_URL, {"depth": 2}).content.decode())))
    assert {line[1] for line in csv_lines[1:] if line[0] == "service"} >= {
        unescape(g["label"]) for g in everything["groups"]
    }


@pytest.fixture
def parents(cast):
    """Team 1 (standard caseloads only): 25 single mothers of young children seen last week, 14
    single fathers of young children last seen 200 days ago, 30 men and 30 women living alone."""
    young_child = TODAY - datetime.timedelta(days=900)
    people = (
        [("F", "single_parent", young_child, 5)] * 25
        + [("M", "single_parent", young_child, 200)] * 14
        + [("M", "single", None, 5)] * 15
        + [("M", "single", None, 100)] * 15
        + [("F", "single", None, 5)] * 15
        + [("F", "single", None, 100)] * 15
    )
    registered_people([cast["coach_b"], cast["coach_a"]], people, TODAY)
    return cast


def test_a_redundant_group_is_shown_once_as_the_group_it_repeats(parents, login):
    """Every client of team 1 is in a standard team: 'single fathers · standard team' holds the same
    clients as 'single fathers', and is neither tested nor shown a second time."""
    client = login(parents["team_manager"])
    groups = client.get(API, {"depth": 3, "groups": "all"}).json()["groups"]
    shown = [sorted(map(tuple, g["characteristics"])) for g in groups]
    fathers = [("gender", "M"), ("household", "single_parent_young_child")]
    assert fathers in shown
    assert not any(("team_kind", "standard") in key for key in shown)
    assert len(shown) == len({tuple(key) for key in shown})
    html = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    names = re.findall(
        r'<tr class="finding">\s*<th scope="row">\s*(?:<a[^>]*>|<span[^>]*>)([^<]+)', html
    )
    measures = re.findall(r'<tbody data-key="[^"]*" data-measure="([^"]+)"', html)
    rows = list(zip(names, measures, strict=True))
    assert ("Single fathers with a child under 12", "seen_recently") in rows
    assert len(rows) == len(set(rows))
    assert not [name for name in names if "standard" in name.lower()]


def test_a_flagged_group_is_read_beside_its_neighbours(parents, login):
    html = (
        login(parents["team_manager"])
        .get(PAGE, {"measure": "seen_recently"}, HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    body = re.search(
        r'<tbody data-key="gender=M\|household=single_parent_young_child" '
        r'data-measure="seen_recently" data-characteristics="gender household" '
        r'data-name="single fathers with a child under 12".*?</tbody>',
        html,
        re.S,
    ).group(0)
    rows = [
        re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", row))).strip()
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]
    assert rows[0].startswith("Single fathers with a child under 12 compare with")
    assert rows[0].split()[rows[0].split().index("neighbours") + 1] == "14"
    assert "0% (" in rows[0]  # nobody seen in the last 90 days, with its interval
    mothers = next(row for row in rows if "Single mothers with a child under 12" in row)
    assert (
        mothers.startswith("Gender: Single mothers") and " 25 " in mothers and "100% (" in mothers
    )
    men = next(row for row in rows if "Men living alone" in row)
    assert men.startswith("Household: Men living alone") and " 30 " in men


def test_the_options_show_what_the_report_ran_with(parents, login):
    html = login(parents["team_manager"]).get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'<option value="3" selected>3 characteristics</option>', html)
    assert len(
        re.findall(r'type="checkbox" name="measure" value="[^"]+"[^>]* checked', html)
    ) == len(MEASURES)
