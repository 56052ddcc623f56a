"""Who may see what, in one place: each role's scope of clients and the pages it may open.

Adding a role means: a `Role` value, its `ROLE_SCOPES` entry, the pages it may open in `PAGES`,
its landing page in `LANDING_PAGES`, and its column in tests/test_url_matrix.py. Nothing else:

- `Client.objects.visible_to(user)` narrows clients by `client_condition(user)`; records of a
  client are visible exactly when their client is; the coaches and teams a user may read
  (caseload.selectors) follow the same scope;
- every view checks its page with `@require_page(...)` (or `check_page`), every API view with
  `PagePermission(...)`, and the menu shows exactly the pages `may_open` allows.

A superuser sees every client and opens every page, except the pages marked `superuser=False`:
writes that only the client's own coach may make (a referral, an explanation of a finding).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from .roles import Role


class Scope(enum.Enum):
    NOTHING = "nothing"
    OWN_CASELOAD = "own caseload"
    TEAM = "team"  # the caseloads of the coaches of the user's team
    EVERYTHING = "everything"


ROLE_SCOPES = {
    Role.WORK_COACH: Scope.OWN_CASELOAD,
    Role.QUALITY_OFFICER: Scope.TEAM,
    Role.TEAM_MANAGER: Scope.TEAM,
}


def scope_of(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope.NOTHING
    if user.is_superuser:
        return Scope.EVERYTHING
    scope = ROLE_SCOPES.get(user.role, Scope.NOTHING)
    if scope is Scope.TEAM and not user.team_id:
        return Scope.NOTHING
    return scope


def client_condition(user) -> Q | None:
    """The clients `user` may see, as a condition on Client; None: no client at all."""
    return _condition(user, own=Q(coach=user), team="coach__team_id")


def coach_condition(user) -> Q | None:
    """The staff whose caseloads `user` may see, as a condition on User; None: nobody."""
    return _condition(user, own=Q(pk=user.pk) if user is not None else None, team="team_id")


def team_condition(user) -> Q | None:
    """The teams whose pages and figures `user` may read (and so the team picker's choices), as a
    condition on Team: every team for a superuser, else their own team; None: no team at all."""
    scope = scope_of(user)
    if scope is Scope.EVERYTHING:
        return Q()
    if scope is Scope.NOTHING or not user.team_id:
        return None
    return Q(pk=user.team_id)


def picks_team(user) -> bool:
    """Whether `user` may read more than one team, so team pages offer a team picker and carry the
    chosen team in their links (?team=)."""
    return scope_of(user) is Scope.EVERYTHING


def _condition(user, *, own: Q | None, team: str) -> Q | None:
    scope = scope_of(user)
    if scope is Scope.EVERYTHING:
        return Q()
    if scope is Scope.OWN_CASELOAD:
        return own
    if scope is Scope.TEAM:
        return Q(**{team: user.team_id})
    return None


# --- pages ----------------------------------------------------------------------------------------
EVERY_ROLE = frozenset(ROLE_SCOPES)


@dataclass(frozen=True)
class Page:
    roles: frozenset
    superuser: bool = True  # False: a write that only the roles themselves make
    needs_team: bool = (
        False  # the page works on the user's team: a role without one may not open it
    )
    refusal: str = ""  # why a refused user may not open it (the 403 page says so)


PAGES: dict[str, Page] = {
    "client_list": Page(EVERY_ROLE),
    "legend": Page(EVERY_ROLE),
    "access_log": Page(frozenset()),
    "coach_dashboard": Page(EVERY_ROLE),
    "saved_views": Page(EVERY_ROLE),
    "team_dashboard": Page(
        frozenset({Role.TEAM_MANAGER}),
        needs_team=True,
        refusal=_("The team dashboard is for team managers."),
    ),
    "quality_dashboard": Page(EVERY_ROLE),
    "workshops": Page(
        frozenset({Role.WORK_COACH, Role.TEAM_MANAGER}),
        refusal=_("Workshops are offered by work coaches and team managers."),
    ),
    "weekly_list": Page(EVERY_ROLE),
    "explain_findings": Page(
        frozenset({Role.WORK_COACH, Role.QUALITY_OFFICER}),
        superuser=False,
        refusal=_("Findings are explained by the client's coach or the team's quality officer."),
    ),
    "return_findings": Page(
        frozenset({Role.QUALITY_OFFICER}),
        superuser=False,
        needs_team=True,
        refusal=_("Findings are returned to the coach by the team's quality officer."),
    ),
    "build_weekly_list": Page(
        frozenset({Role.QUALITY_OFFICER, Role.TEAM_MANAGER}),
        needs_team=True,
        refusal=_("The weekly list is built for a team, by its quality officer or team manager."),
    ),
    "visibility_report": Page(
        frozenset({Role.TEAM_MANAGER, Role.QUALITY_OFFICER}),
        needs_team=True,
        refusal=_("The visibility report is for team managers and quality officers."),
    ),
    "vacancies": Page(
        frozenset({Role.WORK_COACH, Role.TEAM_MANAGER}),
        refusal=_("Vacancy matching is for work coaches and team managers."),
    ),
    "refer_clients": Page(
        frozenset({Role.WORK_COACH}),
        superuser=False,
        refusal=_("Only work coaches refer or enrol their own clients."),
    ),
    "decide_screening_flags": Page(
        frozenset({Role.WORK_COACH, Role.TEAM_MANAGER}),
        superuser=False,
        refusal=_("Only work coaches and team managers decide on screening flags."),
    ),
}


def may_open(user, page: str) -> bool:
    """Whether `user` may open `page` (a key of PAGES); an unknown key is a bug, not a refusal."""
    rule = PAGES[page]
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return rule.superuser
    if user.role not in rule.roles:
        return False
    return bool(user.team_id) or not rule.needs_team


def check_page(user, page: str) -> None:
    """403 (PermissionDenied, with the page's reason) unless `user` may open `page`."""
    if not may_open(user, page):
        raise PermissionDenied(
            PAGES[page].refusal or _("Your role does not give access to this page.")
        )


def require_page(page: str):
    """View decorator: the page's access check before the view runs."""
    if page not in PAGES:
        raise KeyError(page)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            check_page(request.user, page)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class PagePermission(BasePermission):
    """DRF: `permission_classes = [PagePermission.to("visibility_report")]`."""

    page = ""

    @classmethod
    def to(cls, page: str) -> type[PagePermission]:
        if page not in PAGES:
            raise KeyError(page)
        return type(
            f"MayOpen_{page}", (cls,), {"page": page, "message": PAGES[page].refusal or None}
        )

    def has_permission(self, request, view):
        return may_open(request.user, self.page)


# --- where each role lands, and the menu ----------------------------------------------------------
LANDING_PAGES = {
    Role.WORK_COACH: "coach_dashboard",
    Role.QUALITY_OFFICER: "quality_dashboard",
    Role.TEAM_MANAGER: "team_dashboard",
}
DEFAULT_LANDING_PAGE = "caseload:client_list"


@dataclass(frozen=True)
class MenuItem:
    url_name: str
    label: str
    page: str  # shown to whoever may open this page ...
    # ... and, when given, has one of these roles (a superuser: when `superuser` says so)
    only_roles: frozenset | None = None
    superuser: bool = True

    def shown_to(self, user) -> bool:
        if not may_open(user, self.page):
            return False
        if user.is_superuser:
            return self.superuser
        return self.only_roles is None or user.role in self.only_roles


# The landing page of each role is its first menu entry (the brand links "home" too); no page
# appears twice. Team managers and quality officers open the team's caseload as "Team caseload".
MENU = [
    MenuItem(
        "coach_dashboard",
        _("My caseload"),
        "coach_dashboard",
        frozenset({Role.WORK_COACH}),
        superuser=False,
    ),
    MenuItem("team_dashboard", _("Team"), "team_dashboard"),
    MenuItem("quality_dashboard", _("Data quality"), "quality_dashboard"),
    MenuItem(
        "coach_dashboard",
        _("Team caseload"),
        "coach_dashboard",
        frozenset({Role.TEAM_MANAGER, Role.QUALITY_OFFICER}),
    ),
    MenuItem("caseload:client_list", _("Clients"), "client_list"),
    MenuItem("vacancies", _("Vacancies"), "vacancies"),
    MenuItem("workshops", _("Workshops"), "workshops"),
    MenuItem("visibility_report", _("Visibility"), "visibility_report"),
    MenuItem("caseload:legend", _("Legend"), "legend"),
]


def landing_page(user) -> str:
    return LANDING_PAGES.get(getattr(user, "role", None), DEFAULT_LANDING_PAGE)


def menu(user, current_path: str) -> list[dict]:
    """The entries `user` may open, their landing page first, each page once."""
    landing = landing_page(user)
    items, seen = [], set()
    for item in sorted(MENU, key=lambda entry: entry.url_name != landing):
        if not item.shown_to(user) or item.url_name in seen:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue  # that part of the app is not installed
        seen.add(item.url_name)
        items.append({"url": url, "label": item.label, "active": current_path == url})
    return items
