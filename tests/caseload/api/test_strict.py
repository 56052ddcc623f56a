"""Strict query parameters: an unknown parameter or a value outside the documented range is a 400
naming it, and every value the schema documents is accepted (caseload.api.strict)."""

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from caseload.api.strict import TEXT_PATTERN, StrictQueryParameters
from tests.factories import ContactFactory, VacancyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(cast):
    http = APIClient()
    http.force_authenticate(cast["superuser"])
    return http


@pytest.fixture
def schema(api):
    return json.loads(api.get("/api/schema/?format=json").content)


def test_an_unknown_parameter_is_a_400_naming_it_not_the_whole_caseload(api):
    response = api.get("/api/clients/?client_number=CA0001")
    assert response.status_code == 400
    assert list(response.json()) == ["client_number"]


def test_every_unknown_parameter_is_named(api):
    response = api.get("/api/vacancies/?sector=care&colour=blue&size=9")
    assert response.status_code == 400
    assert set(response.json()) == {"colour", "size"}


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/contacts/?initiated_by=", "initiated_by"),  # empty: not one of the choices
        ("/api/vacancies/?requires_driving_licence=-2.9e229", "requires_driving_licence"),
        ("/api/vacancies/?requires_driving_licence=1", "requires_driving_licence"),
        ("/api/clients/?contact_overdue=on", "contact_overdue"),
        ("/api/clients/?coach=0", "coach"),
        ("/api/clients/?coach=1.0", "coach"),
        ("/api/clients/?coach=" + "9" * 5000, "coach"),  # past what int() reads from text
        ("/api/clients/?coach=1&coach=2", "coach"),  # a single value, given twice
        ("/api/clients/?gender=F&gender=Q", "gender"),
        ("/api/clients/?q=", "q"),
        ("/api/clients/?ordering=", "ordering"),
        ("/api/clients/?ordering=client_number,age", "ordering"),
        ("/api/clients/?exited_to_work_since=1-2-2026", "exited_to_work_since"),
        ("/api/clients/?page=0", "page"),
        ("/api/clients/?page=last", "page"),
        ("/api/clients/?page_size=201", "page_size"),
        ("/api/clients/CA0001/?status=active", "status"),  # a detail takes no filters
        ("/api/clients/summary/?page=2", "page"),  # the summary is not paginated
        ("/api/access-log/", "client"),  # required
        ("/api/access-log/?client=", "client"),
        ("/api/reports/visibility/?depth=0", "depth"),
        ("/api/reports/visibility/?depth=4", "depth"),
        ("/api/reports/visibility/?measure=referral,height", "measure"),
        ("/api/quality/findings/?rule=nonsense", "rule"),
    ],
)
def test_an_invalid_value_is_a_400_naming_its_parameter(api, url, parameter):
    response = api.get(url)
    assert response.status_code == 400, response.content
    assert parameter in response.json()


def test_measures_repeated_or_comma_separated(api):
    """Both spellings are the same report (the same recorded run); one measure is another."""
    runs = []
    for query in (
        "measure=referral,workshop",
        "measure=referral&measure=workshop",
        "measure=referral",
    ):
        response = api.get("/api/reports/visibility/?depth=1&" + query)
        assert response.status_code == 200, response.content
        runs.append(response.json()["run"])
    assert runs[0] == runs[1] != runs[2]


def test_a_page_past_the_last_is_a_404(api):
    assert api.get("/api/clients/?page=1").status_code == 200
    assert api.get("/api/clients/?page=2").status_code == 404


def test_without_credentials_it_is_a_401_that_says_how_to_authenticate(cast):
    response = APIClient().get("/api/clients/?client_number=CA0001")
    assert response.status_code == 401  # before any parameter is looked at
    assert response["WWW-Authenticate"] == "Token"


def test_a_manager_posting_a_referral_is_refused_before_the_query_is_read(cast):
    VacancyFactory(vacancy_id="V1")
    http = APIClient()
    http.force_authenticate(cast["team_manager"])
    assert http.post("/api/vacancies/V1/referrals/?x=1", {}, format="json").status_code == 403


def boundary_values(parameter: dict) -> tuple[list[str], list[str]]:
    """(values the schema allows, values it does not) at the edges of the documented range."""
    schema = parameter["schema"]
    schema = schema.get("items", schema)
    if "enum" in schema:  # the first and the last of the list (each is checked in the same way)
        return sorted({schema["enum"][0], schema["enum"][-1]}), ["not-" + schema["enum"][0]]
    if schema["type"] == "integer":
        allowed, refused = [], ["1.5", "x"]
        if "minimum" in schema:
            allowed.append(str(schema["minimum"]))
            refused.append(str(schema["minimum"] - 1))
        if "maximum" in schema:
            allowed.append(str(schema["maximum"]))
            refused.append(str(schema["maximum"] + 1))
        return allowed, refused
    if schema["type"] == "boolean":
        return ["true", "false"], ["yes", "1"]
    if schema.get("format") == "date":
        return ["2026-01-05"], ["2026-13-01", "05-01-2026"]
    if schema.get("pattern") != TEXT_PATTERN:  # a word from a list (tested on its own)
        return [], ["", "?"]
    return ["x"], [""]


def test_every_documented_value_is_accepted_and_every_other_refused(api, schema, cast):
    """For every query parameter of every GET operation: the edges of its documented range are
    accepted (not a 400 about it) and values just outside are a 400 naming it."""
    ContactFactory(client=cast["client_a"])
    checked = 0
    for path, operations in schema["paths"].items():
        if "get" not in operations or "{" in path:
            continue
        required = {
            p["name"]: "CA0001"
            for p in operations["get"].get("parameters", [])
            if p["in"] == "query" and p["required"]
        }
        for parameter in operations["get"].get("parameters", []):
            if parameter["in"] != "query":
                continue
            allowed, refused = boundary_values(parameter)
            for value in allowed:
                query = {**required, parameter["name"]: value}
                response = api.get(path, query)
                assert response.status_code != 400, (path, query, response.content)
                checked += 1
            for value in refused:
                query = {**required, parameter["name"]: value}
                response = api.get(path, query)
                assert response.status_code == 400, (path, query)
                assert parameter["name"] in response.json(), (path, query)
                checked += 1
    assert checked > 250


def test_every_operation_documents_its_error_answers(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "401", "403", "404"} <= set(operation["responses"]), (method, path)


def api_views(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from api_views(pattern, route)
        elif isinstance(pattern, URLPattern) and route.lstrip("^").startswith("api/"):
            yield route, getattr(pattern.callback, "cls", None)


def test_every_api_view_is_strict():
    """One mechanism for all: every view under /api/ checks its parameters (but the schema and
    its documentation page, which are not operations of the API)."""
    views = dict(api_views())
    assert len(views) > 20
    loose = {
        route: cls
        for route, cls in views.items()
        if not (cls and issubclass(cls, StrictQueryParameters))
        and not route.startswith(("api/schema/", "api/docs/"))
    }
    assert loose == {}


def test_a_page_builds_its_own_filter_fields_whatever_the_schema_built(login, cast):
    """Whatever built the class-level filters' form fields (the schema: without a request), a page
    sets its own coach list (the client list's coach chip once said "Work coach: 1")."""
    from caseload.api.strict import filterset_parameters
    from caseload.filters import ClientFilterSet
    from quality.models import WeeklyListEntry
    from quality.weekly.filters import WeeklyEntryFilterSet

    for filterset_class in (ClientFilterSet, WeeklyEntryFilterSet):
        for filter_ in filterset_class.base_filters.values():
            filter_.field  # noqa: B018 (what drf-spectacular does for some filters)
    parameters = {p.name: p for p in filterset_parameters(WeeklyEntryFilterSet)}
    assert parameters["coach"].schema["type"] == "integer"  # a record id: choices are per reader

    filterset = WeeklyEntryFilterSet(
        {}, queryset=WeeklyListEntry.objects.none(), coach_choices=[(cast["coach_a"].pk, "A")]
    )
    assert filterset.form.fields["coach"].widget.choices[1] == (cast["coach_a"].pk, "A")
