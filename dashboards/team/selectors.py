"""Reads for the team manager dashboard: per-coach figures, composition and capacity.

Every per-coach figure is a caseload.figures Figure: the count of the client list it links to,
over the manager's visible clients, all figures grouped by coach in ONE aggregate query. So a
figure and its list cannot disagree, and the number of queries does not grow with the team.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from caseload import access, figures, thresholds
from caseload.figures import Figure, figure
from caseload.models import Client, Contact, Role, Team, User
from caseload.querysets import period_start
from caseload.selectors import teams_visible_to
from dashboards.models import Reassignment, TeamWeeklySnapshot

from .capacity import CapacitySettings, CoachCapacity, LoadGroup, coach_capacity, what_if


def coach_figures(today: datetime.date) -> list[Figure]:
    since = period_start("quarter", today).isoformat()
    return [
        figure("team_active_caseload", ("status", "active")),
        figure("contact_due_this_week", ("contact_due_this_week", "true")),
        figure("contact_overdue", ("contact_overdue", "true")),
        figure("seen_within_frequency", ("seen_within_frequency", "true")),
        figure("no_contact_frequency", ("no_contact_frequency", "true")),
        figure(
            "not_seen", ("not_seen", "true"), ("not_seen_days", str(thresholds.not_seen_days()))
        ),
        figure("no_active_plan", ("no_active_plan", "true")),
        figure("missing_key_fields", ("missing_key_fields", "true")),
        figure("team_referred_this_quarter", ("referred_since", since)),
        figure("team_exited_to_work_this_quarter", ("exited_to_work_since", since)),
        # composition of the caseload, shown beside the figures
        figure(
            "team_participation_step_1_2",
            ("status", "active"),
            ("participation_step", "1"),
            ("participation_step", "2"),
        ),
        figure("health_flag", ("health_flag", "true")),
    ]


def todays_coach_figures() -> list[Figure]:
    return coach_figures(timezone.localdate())


# --- scope -------------------------------------------------------------------------------------
def team_for_user(user, team_id: str | int | None = None) -> Team:
    """The team whose dashboard `user` may open (403 for a role without the team dashboard): a
    manager their own (another id: 404), a superuser any (`team_id`, else the first)."""
    access.check_page(user, "team_dashboard")
    teams = teams_visible_to(user)
    if team_id in (None, ""):
        team = teams.first()
        if team is None:
            raise Http404("No team")
        return team
    try:
        return teams.get(pk=int(team_id))
    except (ValueError, TypeError, Team.DoesNotExist) as exc:
        raise Http404("No team found") from exc


def reader_picks_team(user) -> bool:
    """Whether `user` sees more than one team, so that team pages carry the chosen team."""
    return access.picks_team(user)


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

    @property
    def over_norm_by(self) -> int:
        """Active clients above the coach's norm (whole clients, rounded up); 0 at or below it."""
        return max(0, math.ceil(self.active - self.norm_for_fte))


@dataclass(frozen=True)
class TeamBalance:
    """The team against its norm: how many clients sit above their coach's norm, and how many FTE
    the team lacks for every coach to be at the norm (after moving clients between coaches)."""

    active: int
    fte: Fraction
    norm: int
    over_norm_by: int

    @property
    def norm_capacity(self) -> Fraction:
        return self.fte * self.norm

    @property
    def fte_needed(self) -> Fraction:
        if not self.norm:
            return Fraction(0)
        return max(Fraction(0), (self.active - self.norm_capacity) / self.norm)


def team_balance(team: Team, rows: list[CoachRow]) -> TeamBalance:
    return TeamBalance(
        active=sum(row.active for row in rows),
        fte=sum((Fraction(Decimal(row.coach.fte)) for row in rows), Fraction(0)),
        norm=team.caseload_norm,
        over_norm_by=sum(row.over_norm_by for row in rows),
    )


def capacity_settings(team: Team | None = None) -> CapacitySettings:
    """The capacity model, with `team`'s own administration minutes per client when given."""
    return CapacitySettings.from_settings(settings.TEAM_CAPACITY, team)


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
    shown = coach_figures(today)
    clients = team_clients(user, team)
    counts = figures.counts_by_coach(clients, shown)
    groups = load_groups_by_coach(clients, today)
    model = capacity_settings(team)
    rows = []
    for coach in team_coaches(team):
        coach_counts = counts.get(coach.pk) or {shown_figure.key: 0 for shown_figure in shown}
        rows.append(
            CoachRow(
                coach=coach,
                counts=coach_counts,
                links={
                    shown_figure.key: shown_figure.list_url({"coach": coach.pk})
                    for shown_figure in shown
                },
                capacity=coach_capacity(coach.fte, groups.get(coach.pk, []), model),
                caseload_norm=team.caseload_norm,
                caseload_max=team.caseload_max,
            )
        )
    return rows


def team_totals(user, rows: list[CoachRow], shown: list[Figure]) -> CoachRow:
    """The team as one row. Its links (no coach) list the team only to a reader whose visible
    clients are exactly the team's (a manager); a superuser sees all teams there, so gets none."""
    counts = {fig.key: sum(row.counts[fig.key] for row in rows) for fig in shown}
    team_scoped = access.scope_of(user) is access.Scope.TEAM
    links = {fig.key: fig.list_url() for fig in shown} if team_scoped else {}
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


@dataclass(frozen=True)
class CoachEffect:
    """One coach's caseload and capacity before and after a reassignment, against the norm."""

    coach: User
    before: CoachCapacity
    after: CoachCapacity
    norm_for_fte: Fraction
    max_for_fte: Fraction

    @property
    def grows(self) -> bool:
        return self.after.active_clients > self.before.active_clients

    @property
    def over_norm_after(self) -> bool:
        return self.after.active_clients > self.norm_for_fte

    @property
    def over_max_after(self) -> bool:
        return self.after.active_clients > self.max_for_fte

    @property
    def over_norm_by_after(self) -> int:
        return max(0, math.ceil(self.after.active_clients - self.norm_for_fte))


def coach_effect(coach: User, before: CoachCapacity, after: CoachCapacity, team: Team):
    fte = Fraction(Decimal(coach.fte))
    return CoachEffect(coach, before, after, team.caseload_norm * fte, team.caseload_max * fte)


def reassignment_warnings(effects: list[CoachEffect]) -> list[str]:
    """What a manager must confirm: a coach whose caseload grows to above the norm or the maximum
    for their FTE, or whose hours needed grow beyond the hours available."""
    warnings = []
    for effect in effects:
        if not effect.grows:
            continue
        values = {
            "coach": effect.coach,
            "after": effect.after.active_clients,
            "norm": formats.number_format(effect.norm_for_fte, 0),
            "maximum": formats.number_format(effect.max_for_fte, 0),
            "over": effect.over_norm_by_after,
        }
        if effect.over_max_after:
            warnings.append(
                _(
                    "%(coach)s would hold %(after)s active clients: above the maximum of "
                    "%(maximum)s for their FTE."
                )
                % values
            )
        elif effect.over_norm_after:
            warnings.append(
                _(
                    "%(coach)s would hold %(after)s active clients: %(over)s above the norm of "
                    "%(norm)s for their FTE."
                )
                % values
            )
        if effect.after.overloaded:
            warnings.append(
                _("%(coach)s would need %(needed)s hours a week; %(available)s are available.")
                % {
                    "coach": effect.coach,
                    "needed": formats.number_format(float(effect.after.needed_hours), 1),
                    "available": formats.number_format(float(effect.after.available_hours), 1),
                }
            )
    return warnings


def capacity_preview(user, team, form) -> dict:
    """Before/after caseload and capacity of both coaches for the selection in a valid form, and
    the warnings the manager must confirm. Writes nothing."""
    source, target, chosen = (form.cleaned_data[k] for k in ("from_coach", "to_coach", "clients"))
    model = capacity_settings(team)
    clients = team_clients(user, team)
    groups = load_groups_by_coach(clients.filter(coach__in=[source, target]))
    moved = load_groups_by_coach(clients.filter(pk__in=[c.pk for c in chosen])).get(source.pk, [])
    result = what_if(
        coach_capacity(source.fte, groups.get(source.pk, []), model),
        coach_capacity(target.fte, groups.get(target.pk, []), model),
        moved,
        model,
    )
    effects = [
        coach_effect(source, result.source_before, result.source_after, team),
        coach_effect(target, result.target_before, result.target_after, team),
    ]
    return {
        "result": result,
        "effects": effects,
        "warnings": reassignment_warnings(effects),
        "source": source,
        "target": target,
        "chosen": chosen,
    }
