"""Every URL pattern × every role.

MATRIX has ONE entry per URL name (namespaced: "caseload:client_detail"; DRF: "client-detail").
Adding a URL = adding one entry; `test_every_url_pattern_is_in_the_matrix` fails until you do.

An entry says:
- `get`: the status each signed-in role gets for an IN-SCOPE object (or the page itself);
- `kwargs`: how to build the URL's kwargs — `lookup(...)` for records scoped to clients. For such
  URLs the test also asserts that an OUT-OF-SCOPE record (another team's client) and a MISSING
  record both give 404 (the out-of-scope record is another team's: its manager and the superuser
  get 200): the same answer, nothing leaks;
- `post`: the status of a POST per role. READ_ONLY (the default) = 405 for everyone; for a write
  endpoint give 403 for the roles without write rights;
- anonymous visitors are redirected to the login page (HTML) or get 401/403 (API, any path under
  /api/), unless the entry says `public=True` and gives `anonymous=`.

Rules instead of entries: Django admin URLs (anonymous and non-staff: redirect to a login page;
superuser: no server error) and DRF's format-suffix variants (same entry as the plain URL).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from rest_framework.test import APIClient

from dashboards.models import Reassignment, SavedView
from tests.factories import ActionPlanFactory, ContactFactory, VacancyFactory

pytestmark = pytest.mark.django_db

ROLES = ["coach_a", "coach_b", "quality_officer", "team_manager", "other_manager", "superuser"]
ALL_ROLES = ["anonymous", *ROLES]


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


OK = everyone(200)
READ_ONLY = everyone(405)
SUPERUSER_ONLY = {**everyone(403), "superuser": 200}
# An object of coach A's client (team 1): coach A, the team's officer and manager, the superuser.
SCOPED_TO_COACH_A = {
    "coach_a": 200,
    "coach_b": 404,
    "quality_officer": 200,
    "team_manager": 200,
    "other_manager": 404,
    "superuser": 200,
}

# Team-level reports: team managers, quality officers and the superuser; coaches 403.
MANAGERS_AND_OFFICERS = {**everyone(200), "coach_a": 403, "coach_b": 403}

# Team manager pages: the team's manager (another team's manager: their own team) and the superuser.
TEAM_MANAGERS = {**everyone(403), "team_manager": 200, "other_manager": 200, "superuser": 200}

# The coach's own working list: coaches only.
FINDING_READERS = {**everyone(403), "coach_a": 200, "coach_b": 200, "quality_officer": 200}
FINDING_ACTORS = {**everyone(403), "coach_a": 400, "coach_b": 400, "quality_officer": 400}

# Vacancy matching: coaches, team managers (their team's caseloads) and the superuser; not quality officers.
MATCHERS = {**everyone(200), "quality_officer": 403}
COACH_WRITES = {**everyone(403), "coach_a": 302, "coach_b": 302}
# API writes: the coach's right is checked before the body, so only coaches get the 400 for an empty body.
COACH_API_WRITES = {**everyone(403), "coach_a": 400, "coach_b": 400}
# A write on coach A's record: coach B cannot see it (404); roles without the write right get 403 first.
COACH_A_WRITES = {**everyone(403), "coach_a": 302, "coach_b": 404}
NOT_THIS_COACHS = {
    **everyone(403),
    "coach_a": 404,
    "coach_b": 404,
}  # out of scope or missing, by role

# A record private to coach A (a saved view): only its owner; everyone else 404.
OWNED_BY_COACH_A = {**everyone(404), "coach_a": 302}


@dataclass
class Spec:
    get: dict[str, int] | None
    kwargs: Any = None  # callable(world, which) -> dict, which in {"in", "out", "missing"}
    post: dict[str, int] | None = field(default_factory=lambda: READ_ONLY)
    query: str = ""
    public: bool = False
    anonymous: int | None = None  # for public URLs: what an anonymous visitor gets on GET
    scoped: bool = False  # set by lookup(): also test out-of-scope and missing records
    # What each role gets for the OUT record; default: it is team 2's (its manager and the superuser see it).
    out: dict[str, int] | None = None
    missing: dict[str, int] | None = None  # what each role gets for a MISSING record; default 404
    probe: str = "get"  # the method the out-of-scope / missing test uses (write-only URLs: "post")


def lookup(kwarg: str, key: str, attr: str, scoped: bool = True, missing: Any = "DOES-NOT-EXIST"):
    """kwargs from a record of the test world: world["in"][key] (coach A's) or world["out"][key]
    (another team's), or a key that does not exist."""

    def build(world, which):
        if which == "missing":
            return {kwarg: missing}
        return {kwarg: getattr(world[which][key], attr)}

    build.scoped = scoped
    return build


def page(get, **options) -> Spec:
    spec = Spec(get=get, **options)
    spec.scoped = bool(getattr(spec.kwargs, "scoped", False))
    return spec


VACANCY = lookup("vacancy_id", "vacancy", "vacancy_id", scoped=False)


def referral_of(world, which):
    """A referral (sent) of world[which]'s client to the vacancy, made on demand: the world has none."""
    from tests.factories import ReferralFactory

    if which == "missing":
        return {"vacancy_id": world["in"]["vacancy"].vacancy_id, "referral_id": "DOES-NOT-EXIST"}
    referral = ReferralFactory(client=world[which]["client"], vacancy=world[which]["vacancy"])
    return {"vacancy_id": referral.vacancy.vacancy_id, "referral_id": referral.referral_id}


referral_of.scoped = True

MATRIX: dict[str, Spec] = {
    # --- project --------------------------------------------------------------------------------
    "home": page(everyone(302)),  # each role is redirected to its landing page
    "health": page(OK, public=True, anonymous=200),
    "login": page(everyone(302), public=True, anonymous=200, post=None),  # signed in: sent onwards
    "logout": page(everyone(405), post=everyone(302)),
    "set_language": page(
        everyone(302), post=everyone(302), public=True, anonymous=302
    ),  # also on the login page
    # --- caseload pages -------------------------------------------------------------------------
    "caseload:client_list": page(OK),
    "caseload:client_detail": page(
        SCOPED_TO_COACH_A, kwargs=lookup("client_number", "client", "client_number")
    ),
    "caseload:legend": page(OK),
    "caseload:access_log": page(SUPERUSER_ONLY, query="?client=CA0001"),
    "caseload:client_export_csv": page(OK, post=everyone(405)),
    "caseload:client_export_xlsx": page(OK, post=everyone(405)),
    # --- dashboards -----------------------------------------------------------------------------
    "coach_dashboard": page(OK),
    "saved_view_save": page(everyone(405), post=everyone(302)),  # an invalid form: back to the list
    "saved_view_open": page(
        OWNED_BY_COACH_A,
        kwargs=lookup("pk", "saved_view", "pk", missing=999_999),
        post=everyone(405),
        out={**everyone(404), "other_manager": 302},  # private even from the superuser
    ),
    "saved_view_delete": page(
        everyone(405),
        kwargs=lookup("pk", "saved_view", "pk", missing=999_999),
        post=OWNED_BY_COACH_A,
        out={**everyone(404), "other_manager": 302},
        probe="post",
    ),
    "team_dashboard": page(TEAM_MANAGERS),
    "team_export_csv": page(TEAM_MANAGERS),
    "team_export_xlsx": page(TEAM_MANAGERS),
    "team_chart_csv": page(TEAM_MANAGERS, query="?chart=caseload"),
    "team_reassign": page(
        TEAM_MANAGERS, post=TEAM_MANAGERS
    ),  # an empty form: shown again with errors
    "team_reassignment_undo": page(
        everyone(405),
        kwargs=lookup("pk", "reassignment", "pk", missing=999_999),
        probe="post",
        post={**TEAM_MANAGERS, "team_manager": 302, "other_manager": 404, "superuser": 302},
        out={**TEAM_MANAGERS, "team_manager": 404, "other_manager": 302, "superuser": 404},
        missing={**TEAM_MANAGERS, "team_manager": 404, "other_manager": 404, "superuser": 404},
    ),
    # --- vacancy matching -------------------------------------------------------------------------
    "vacancies": page(MATCHERS),
    "workshops": page(MATCHERS),
    "vacancy_detail": page(MATCHERS, kwargs=VACANCY),
    # Writes are the coach's (an empty form goes back to the shortlist); managers may only look.
    "vacancy_refer_confirm": page(everyone(405), kwargs=VACANCY, post=COACH_WRITES),
    "vacancy_refer": page(everyone(405), kwargs=VACANCY, post=COACH_WRITES),
    "vacancy_send": page(everyone(405), kwargs=VACANCY, post=COACH_WRITES),
    "vacancy_enrol": page(everyone(405), kwargs=VACANCY, post=COACH_WRITES),
    "vacancy_referral_outcome": page(  # an empty form: the outcome is refused, back to the vacancy
        everyone(405),
        kwargs=referral_of,
        post=COACH_A_WRITES,
        probe="post",
        out=NOT_THIS_COACHS,
        missing=NOT_THIS_COACHS,
    ),
    "client_availability": page(  # an empty form: "not registered", back to the client page
        everyone(405),
        kwargs=lookup("client_number", "client", "client_number"),
        post=COACH_A_WRITES,
        probe="post",
        out=NOT_THIS_COACHS,
        missing=NOT_THIS_COACHS,
    ),
    "vacancy_flag_decide": page(
        everyone(405),
        kwargs=lambda world, which: {
            "vacancy_id": world["in"]["vacancy"].vacancy_id,
            "flag_id": 999_999,
        },
        post=everyone(404),  # no such flag
    ),
    # --- quality ----------------------------------------------------------------------------------
    "quality_dashboard": page(OK),
    # Acting on findings: coaches and the team's quality officer (an empty form: 400); a past
    # week's list takes no action (400); everyone else 403.
    "quality_weekly_latest": page(OK, post=FINDING_ACTORS),
    "quality_weekly_list": page(
        OK, kwargs=lambda world, which: {"week": "2026-W48"}, post=FINDING_ACTORS
    ),
    "quality_my_list": page(FINDING_READERS, post=FINDING_ACTORS),
    "quality_weekly_export_csv": page(OK),
    "quality_weekly_export_xlsx": page(OK),
    "quality_trigger_weekly_list": page(
        everyone(405),
        post={**everyone(302), "coach_a": 403, "coach_b": 403},
    ),
    "visibility_report": page(MANAGERS_AND_OFFICERS),
    "visibility_report_csv": page(MANAGERS_AND_OFFICERS),
    # --- API ------------------------------------------------------------------------------------
    "client-summary": page(OK),
    # the page's access check comes first (403), as on every API view; then the method (405)
    "api_visibility_report": page(
        MANAGERS_AND_OFFICERS, post={**everyone(405), "coach_a": 403, "coach_b": 403}
    ),
    "api-quality-findings": page(OK),
    "vacancy-candidates": page(
        MATCHERS, kwargs=VACANCY, post={**everyone(405), "quality_officer": 403}
    ),
    # Writes are the coach's (checked first: 403); a coach's empty body is a 400 naming the fields.
    "vacancy-referrals": page(
        {**everyone(405), "quality_officer": 403}, kwargs=VACANCY, post=COACH_API_WRITES
    ),
    "vacancy-referrals-send": page(
        {**everyone(405), "quality_officer": 403}, kwargs=VACANCY, post=COACH_API_WRITES
    ),
    "vacancy-referral-outcome": page(
        {**everyone(405), "quality_officer": 403},
        kwargs=referral_of,
        probe="post",
        post={**COACH_A_WRITES, "coach_a": 400},
        out=NOT_THIS_COACHS,
        missing=NOT_THIS_COACHS,
    ),
    "api-quality-weekly": page(OK, kwargs=lambda world, which: {"week": "2026-W48"}),
    "api-team-summary": page(
        {**TEAM_MANAGERS, "other_manager": 404},
        kwargs=lookup("team_id", "team", "pk", missing=999_999),
        out={**TEAM_MANAGERS, "team_manager": 404},
        missing={
            **TEAM_MANAGERS,
            **dict.fromkeys(["team_manager", "other_manager", "superuser"], 404),
        },
    ),
    "api-team-capacity": page(
        {**TEAM_MANAGERS, "other_manager": 404},
        kwargs=lookup("team_id", "team", "pk", missing=999_999),
        out={**TEAM_MANAGERS, "team_manager": 404},
        missing={
            **TEAM_MANAGERS,
            **dict.fromkeys(["team_manager", "other_manager", "superuser"], 404),
        },
    ),
    "api-schema": page(OK),
    "api-docs": page(OK),
    "api-root": page(OK),
    "api-access-log": page(
        SUPERUSER_ONLY, query="?client=CA0001", post={**everyone(403), "superuser": 405}
    ),
    "client-list": page(OK),
    "client-detail": page(
        SCOPED_TO_COACH_A, kwargs=lookup("client_number", "client", "client_number")
    ),
    "contact-list": page(OK),
    "contact-detail": page(SCOPED_TO_COACH_A, kwargs=lookup("contact_id", "contact", "contact_id")),
    "actionplan-list": page(OK),
    "actionplan-detail": page(SCOPED_TO_COACH_A, kwargs=lookup("plan_id", "plan", "plan_id")),
    "vacancy-list": page(OK),
    "vacancy-detail": page(OK, kwargs=lookup("vacancy_id", "vacancy", "vacancy_id", scoped=False)),
}


# --- walking the resolver ---------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str | None  # namespaced
    route: str  # the full pattern, for messages
    kwarg_names: tuple[str, ...]

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    @property
    def has_format_suffix(self) -> bool:
        return "format" in self.kwarg_names


def pattern_kwargs(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return list(pattern.regex.groupindex)
    return []


def walk(patterns, prefix="", namespace="", kwargs=()) -> list[Route]:
    routes = []
    for entry in patterns:
        names = (*kwargs, *pattern_kwargs(entry.pattern))
        text = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            child_ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            routes += walk(entry.url_patterns, text, child_ns, names)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            routes.append(Route(name, text.replace("^", "").replace("$", ""), tuple(names)))
    return routes


ROUTES = walk(get_resolver().url_patterns)
APP_ROUTES = [route for route in ROUTES if not route.is_admin]
ADMIN_ROUTES = [route for route in ROUTES if route.is_admin and route.name]


def test_every_url_pattern_is_in_the_matrix():
    unnamed = sorted(route.route for route in APP_ROUTES if route.name is None)
    missing = sorted(
        {route.name for route in APP_ROUTES if route.name and route.name not in MATRIX}
    )
    assert not unnamed, (
        f"URL patterns without a name (name them, then add them to MATRIX): {unnamed}"
    )
    assert not missing, f"URL names without an entry in tests/test_url_matrix.py MATRIX: {missing}"


def test_the_matrix_has_no_stale_entries():
    names = {route.name for route in ROUTES}
    assert sorted(set(MATRIX) - names) == []


def test_the_walk_finds_nested_namespaced_and_suffixed_patterns():
    names = {route.name for route in ROUTES}
    assert {"caseload:client_detail", "client-detail", "admin:index", "set_language"} <= names
    assert any(route.name == "client-detail" and route.has_format_suffix for route in ROUTES)


# --- the world and the requests -----------------------------------------------------------------


@pytest.fixture
def world(cast):
    vacancy = VacancyFactory()
    return {
        "cast": cast,
        "in": {
            "client": cast["client_a"],
            "contact": ContactFactory(client=cast["client_a"]),
            "plan": ActionPlanFactory(client=cast["client_a"]),
            "vacancy": vacancy,
            "saved_view": SavedView.objects.create(
                owner=cast["coach_a"], name="mine", query="status=active"
            ),
            "team": cast["coach_a"].team,
            "reassignment": Reassignment.objects.create(
                team=cast["coach_a"].team,
                from_coach=cast["coach_a"],
                to_coach=cast["coach_b"],
                client_ids=[],
                performed_by=cast["team_manager"],
            ),
        },
        "out": {
            "client": cast["client_other"],
            "contact": ContactFactory(client=cast["client_other"]),
            "plan": ActionPlanFactory(client=cast["client_other"]),
            "vacancy": vacancy,
            "saved_view": SavedView.objects.create(
                owner=cast["other_manager"], name="theirs", query=""
            ),
            "team": cast["other_manager"].team,
            "reassignment": Reassignment.objects.create(
                team=cast["other_manager"].team,
                from_coach=cast["other_coach"],
                to_coach=cast["other_coach"],
                client_ids=[],
                performed_by=cast["other_manager"],
            ),
        },
    }


def client_for(role, world):
    http = APIClient()  # a Django test client that also speaks DRF; session login like a browser
    if role != "anonymous":
        http.force_login(world["cast"][role])
    return http


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and urlparse(response["Location"]).path in (
        reverse("login"),
        reverse("admin:login"),
    )


def check_anonymous(response, url: str, spec: Spec | None):
    if spec is not None and spec.public:
        return
    if url.startswith("/api/"):
        assert response.status_code in (401, 403), url
    else:
        assert is_login_redirect(response), (url, response.status_code)


def url_for(route: Route, spec: Spec, world, which="in") -> str:
    kwargs = spec.kwargs(world, which) if spec.kwargs else {}
    if route.has_format_suffix:
        kwargs["format"] = "json"
    return reverse(route.name, kwargs=kwargs) + spec.query


def app_route_ids():
    return [
        f"{r.name}{'[.json]' if r.has_format_suffix else ''}"
        for r in APP_ROUTES
        if r.name in MATRIX
    ]


@pytest.mark.parametrize("route", [r for r in APP_ROUTES if r.name in MATRIX], ids=app_route_ids())
def test_url_answers_each_role_as_the_matrix_says(route, world):
    spec = MATRIX[route.name]
    url = url_for(route, spec, world)
    for role in ALL_ROLES:
        http = client_for(role, world)
        get = http.get(url)
        post = http.post(url, {})
        if role == "anonymous":
            if spec.public:
                assert get.status_code == spec.anonymous, (url, role, get.status_code)
            check_anonymous(get, url, spec)
            check_anonymous(post, url, spec)
            continue
        assert get.status_code == spec.get[role], (url, role, "GET", get.status_code)
        if spec.post is not None:
            assert post.status_code == spec.post[role], (url, role, "POST", post.status_code)
        assert post.status_code < 500, (url, role, "POST")


@pytest.mark.parametrize(
    "route",
    [r for r in APP_ROUTES if MATRIX.get(r.name) and MATRIX[r.name].scoped],
    ids=lambda r: f"{r.name}{'[.json]' if r.has_format_suffix else ''}",
)
def test_out_of_scope_is_the_same_404_as_missing(route, world):
    spec = MATRIX[route.name]
    out_of_scope, missing = (
        url_for(route, spec, world, "out"),
        url_for(route, spec, world, "missing"),
    )
    for role in ROLES:
        http = client_for(role, world)
        if spec.out is not None:
            expected = spec.out[role]
        else:
            expected = 200 if role in ("superuser", "other_manager") else 404  # "out" is team 2's
        request = getattr(http, spec.probe)
        assert request(out_of_scope).status_code == expected, (out_of_scope, role)
        expected_missing = spec.missing[role] if spec.missing is not None else 404
        assert request(missing).status_code == expected_missing, (missing, role)


def admin_url(route: Route) -> str:
    kwargs = {name: ("caseload" if name == "app_label" else "1") for name in route.kwarg_names}
    if kwargs:
        return reverse(route.name, kwargs=kwargs)
    for count in range(4):  # some third-party admin URLs use unnamed groups
        try:
            return reverse(route.name, args=["1"] * count)
        except NoReverseMatch:
            continue
    raise NoReverseMatch(route.name)


@pytest.mark.parametrize("route", ADMIN_ROUTES, ids=lambda r: r.name)
def test_admin_urls_are_for_staff_only(route, world):
    url = admin_url(route)
    if (
        route.name == "admin:login"
    ):  # the admin's own login form: public, but never the admin itself
        assert client_for("anonymous", world).get(url).status_code == 200
        return
    for role in ALL_ROLES:
        response = client_for(role, world).get(url)
        if role == "superuser":
            assert response.status_code < 500, (url, response.status_code)
        else:  # to a login page, or to the admin index which then asks for a staff login
            assert is_login_redirect(response) or response["Location"] == reverse("admin:index"), (
                url,
                role,
                response.status_code,
            )
