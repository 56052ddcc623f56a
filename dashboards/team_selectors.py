"""Reads for the team manager dashboard: per-coach figures, composition and capacity.

Every per-coach figure is defined by the client-list query string it links to: the figure is the
count of `ClientFilterSet(<that query>)` over the manager's visible clients, grouped by coach in
ONE aggregate query (a conditional Count per figure over `pk IN (<the filtered list>)`). So a
figure and its list cannot disagree, and the number of queries does not grow with the team.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils import timezone

from caseload.filters import ClientFilterSet
from caseload.models import Client, Contact, Role, Team, User

from .capacity import CapacitySettings, CoachCapacity, LoadGroup, coach_capacity
from .models import Reassignment, TeamWeeklySnapshot


@dataclass(frozen=True)
class Figure:
    key: str  # also the legend key
    params: dict  # ClientFilterSet parameters of the list behind the figure (without coach)
    composition: bool = False  # shown as caseload composition, beside the figures


def quarter_start(today: datetime.date) -> datetime.date:
    return datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


def coach_figures(today: datetime.date) -> list[Figure]:
    since = quarter_start(today).isoformat()
    not_seen_days = str(settings.CASELOAD["NOT_SEEN_DAYS"])
    return [
        Figure("team_active_caseload", {"status": "active"}),
        Figure("contact_due_this_week", {"contact_due_this_week": "true"}),
        Figure("contact_overdue", {"contact_overdue": "true"}),
        Figure("seen_within_frequency", {"seen_within_frequency": "true"}),
        Figure("no_contact_frequency", {"no_contact_frequency": "true"}),
        Figure("not_seen", {"not_seen": "true", "not_seen_days": not_seen_days}),
        Figure("no_active_plan", {"no_active_plan": "true"}),
        Figure("missing_key_fields", {"missing_key_fields": "true"}),
        Figure("team_referred_this_quarter", {"referred_since": since}),
        Figure("team_exited_to_work_this_quarter", {"exited_to_work_since": since}),
        Figure(
            "team_participation_step_1_2",
            {"status": "active", "participation_step": ["1", "2"]},
            True,
        ),
        Figure("health_flag", {"health_flag": "true"}, True),
    ]


def todays_coach_figures() -> list[Figure]:
    return coach_figures(timezone.localdate())


def figure_queryset(clients, params: dict):
    """Exactly the client list that /clients/?<params> shows, over `clients` (the user's
    `Client.objects.visible_to(user)`)."""
    query = QueryDict(mutable=True)
    for name, value in params.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    filterset = ClientFilterSet(query, queryset=clients)
    if not filterset.is_valid():  # our own parameters: a bug, not user input
        raise ValueError(f"invalid figure parameters {params!r}: {filterset.errors!r}")
    return filterset.qs


def figure_url(params: dict, coach_id: int | None = None) -> str:
    query = {"coach": coach_id} if coach_id else {}
    query.update(params)
    return reverse("caseload:client_list") + "?" + urlencode(query, doseq=True)


# --- scope -------------------------------------------------------------------------------------
def team_for_user(user, team_id: str | int | None = None) -> Team:
    """The team whose dashboard `user` may open: a manager their own (another id: 404), a
    superuser any (`team_id`, else the first); every other role 403."""
    if user.is_superuser:
        teams = Team.objects.all()
        if team_id in (None, ""):
            team = teams.first()
            if team is None:
                raise Http404("No team")
            return team
    elif user.role == Role.TEAM_MANAGER and user.team_id:
        teams = Team.objects.filter(pk=user.team_id)
        if team_id in (None, ""):
            return teams.get()
    else:
        raise PermissionDenied
    try:
        return teams.get(pk=int(team_id))
    except (ValueError, TypeError, Team.DoesNotExist) as exc:
        raise Http404("No team found") from exc


def team_clients(user, team: Team):
    return Client.objects.visible_to(user).filter(coach__team=team)


def team_coaches(team: Team):
    """The team's active work coaches, plus anyone else in the team who still holds clients."""
    return (
        User.objects.filter(team=team)
        .filter(
            Q(role=Role.WORK_COACH, is_active=True)
            | Q(Exists(Client.objects.filter(coach=OuterRef("pk"))))
        )
        .order_by("full_name", "username")
    )


# --- per-coach figures ---------------------------------------------------------------------------
def share(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


@dataclass
class CoachRow:
    coach: User | None  # None: the team as a whole
    counts: dict[str, int]
    links: dict[str, str]
    capacity: CoachCapacity | None = None
    caseload_norm: int = 0
    caseload_max: int = 0

    @property
    def active(self) -> int:
        return self.counts["team_active_caseload"]

    @property
    def planned(self) -> int:
        return self.active - self.counts["no_contact_frequency"]

    @property
    def seen_share(self):
        return share(self.counts["seen_within_frequency"], self.planned)

    @property
    def plan_coverage(self):
        return share(self.active - self.counts["no_active_plan"], self.active)

    @property
    def completeness(self):
        return share(self.active - self.counts["missing_key_fields"], self.active)

    @property
    def step_1_2_share(self):
        return share(self.counts["team_participation_step_1_2"], self.active)

    @property
    def health_flag_share(self):
        return share(self.counts["health_flag"], self.active)

    @property
    def incomplete_share(self):
        return share(self.counts["missing_key_fields"], self.active)

    @property
    def norm_for_fte(self) -> Fraction:
        """The team norm scaled to the coach's FTE (a 0.5 FTE coach: half the norm)."""
        return Fraction(self.caseload_norm) * Fraction(Decimal(self.coach.fte))

    @property
    def max_for_fte(self) -> Fraction:
        return Fraction(self.caseload_max) * Fraction(Decimal(self.coach.fte))

    @property
    def over_norm(self) -> bool:
        return self.active > self.norm_for_fte

    @property
    def over_max(self) -> bool:
        return self.active > self.max_for_fte


def figure_counts_by_coach(
    clients, team: Team, figures: list[Figure], **extra
) -> dict[int, dict[str, int]]:
    """{coach id: {figure key: count}} over `clients` (already scoped to the reader) in one query."""
    aggregates = {
        figure.key: Count(
            "pk", filter=Q(pk__in=figure_queryset(clients, figure.params).values("pk"))
        )
        for figure in figures
    }
    rows = (
        clients.filter(coach__team=team)
        .values("coach_id")
        .annotate(**aggregates, **extra)
        .order_by()
    )
    return {row.pop("coach_id"): row for row in rows}


def capacity_settings() -> CapacitySettings:
    return CapacitySettings.from_settings(settings.TEAM_CAPACITY)


def load_groups_by_coach(clients, today: datetime.date | None = None) -> dict[int, list[LoadGroup]]:
    """Active clients grouped by (coach, agreed frequency, usual channel), counted in SQL.

    Usual channel: the channel of most of the client's contacts in the look-back window (ties:
    alphabetical); none when there was no contact with a registered channel.
    """
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.TEAM_CAPACITY["CHANNEL_LOOKBACK_DAYS"])
    usual_channel = (
        Contact.objects.filter(client=OuterRef("pk"), date__gte=cutoff, channel__isnull=False)
        .values("channel")
        .annotate(contacts=Count("pk"))
        .order_by("-contacts", "channel")
        .values("channel")[:1]
    )
    rows = (
        clients.active()
        .annotate(usual_channel=Subquery(usual_channel))
        .values("coach_id", "contact_frequency_weeks", "usual_channel")
        .annotate(clients=Count("pk"))
        .order_by()
    )
    groups: dict[int, list[LoadGroup]] = {}
    for row in rows:
        groups.setdefault(row["coach_id"], []).append(
            LoadGroup(row["contact_frequency_weeks"], row["usual_channel"], row["clients"])
        )
    return groups


def team_overview(user, team: Team, today: datetime.date | None = None) -> list[CoachRow]:
    """One row per coach: figures, links to their lists, capacity. A fixed number of queries."""
    today = today or timezone.localdate()
    figures = coach_figures(today)
    counts = figure_counts_by_coach(Client.objects.visible_to(user), team, figures)
    groups = load_groups_by_coach(team_clients(user, team), today)
    model = capacity_settings()
    rows = []
    for coach in team_coaches(team):
        coach_counts = counts.get(coach.pk) or {figure.key: 0 for figure in figures}
        rows.append(
            CoachRow(
                coach=coach,
                counts=coach_counts,
                links={figure.key: figure_url(figure.params, coach.pk) for figure in figures},
                capacity=coach_capacity(coach.fte, groups.get(coach.pk, []), model),
                caseload_norm=team.caseload_norm,
                caseload_max=team.caseload_max,
            )
        )
    return rows


def team_totals(user, rows: list[CoachRow], figures: list[Figure]) -> CoachRow:
    """The team as one row. Its links (no coach) list the team for a manager, whose visible
    clients are exactly the team's; a superuser sees all teams there, so gets no links."""
    counts = {figure.key: sum(row.counts[figure.key] for row in rows) for figure in figures}
    links = (
        {} if user.is_superuser else {figure.key: figure_url(figure.params) for figure in figures}
    )
    return CoachRow(coach=None, counts=counts, links=links)


# --- reassignments and trends -------------------------------------------------------------------
def recent_reassignments(team: Team, limit: int = 10):
    return Reassignment.objects.filter(team=team).select_related(
        "from_coach", "to_coach", "performed_by", "reverses", "undone_by"
    )[:limit]


def team_trend(team: Team, weeks: int = 26) -> list[dict]:
    """Team totals per ISO week from the stored snapshots, oldest first."""
    rows = (
        TeamWeeklySnapshot.objects.filter(team=team)
        .values("iso_week")
        .annotate(
            active_caseload=Sum("active_caseload"),
            contact_overdue=Sum("contact_overdue"),
            missing_key_fields=Sum("missing_key_fields"),
            exited_to_work=Sum("exited_to_work"),
        )
        .order_by("-iso_week")[:weeks]
    )
    return list(reversed(rows))
