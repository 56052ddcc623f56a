"""The visibility report week by week: what the report showed each week, per scope, and its series.

Each Monday a job (`quality.tasks.record_visibility_weeks_task`, beat entry in settings) runs the
report with its default options for every team someone may read it for, and for all teams, and
stores per group of the run's summary (flagged groups, their siblings, groups of one
characteristic) the figures as shown: the client count as labelled and per measure the rate and
ratio, None where disclosure control withheld them. Nothing is stored that the page did not show,
so a trend discloses nothing the weekly reports did not. Weeks are ISO weeks; only the current
week can be recorded (the figures are as they stand now).

A trend is read, never recomputed: `series` returns the last TREND_WEEKS weeks of a scope.
"""

from __future__ import annotations

import datetime
import hashlib
import random

from django.db import transaction
from django.utils import timezone

from caseload import access
from caseload.models import Team, User

from . import thresholds
from .engine import MEASURES
from .models import VisibilityWeek
from .services import run_visibility_report


def iso_week_of(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def monday_of(iso_week: str) -> datetime.date:
    year, week = iso_week.split("-W")
    return datetime.date.fromisocalendar(int(year), int(week), 1)


def trend_key(characteristics) -> str:
    """A group as stored in a week: 'gender=M|household=single_parent_young_child'."""
    return "|".join(f"{name}={value}" for name, value in sorted(map(tuple, characteristics)))


def week_figures(summary: dict) -> dict:
    """The figures of a run's summary, as shown (disclosure-controlled), keyed by group."""
    return {
        "k": summary["k"],
        "groups": {
            trend_key(group["characteristics"]): {
                "n": group["n_label"],
                "measures": {
                    key: [m["rate"], m["ratio"], bool(m["flagged"])]
                    for key, m in group["measures"].items()
                },
            }
            for group in summary["groups"]
        },
    }


def report_scopes() -> list[Team | None]:
    """The teams whose report someone may open (a team manager or quality officer of the team),
    then None: all teams, for superusers."""
    readers = User.objects.filter(
        is_active=True, role__in=access.PAGES["visibility_report"].roles, team__isnull=False
    )
    return [*Team.objects.filter(pk__in=readers.values("team")).order_by("code"), None]


def record_week(team: Team | None) -> VisibilityWeek:
    """Run the report for `team` (None: all teams) with its default options and store this
    week's figures. Idempotent: a re-run in the same week replaces that week's row."""
    run = run_visibility_report(None, depth=3, measures=list(MEASURES), team=team)
    week, _created = VisibilityWeek.objects.update_or_create(
        iso_week=iso_week_of(timezone.localdate()),
        team=team,
        defaults={"run": run, "figures": week_figures(run.summary), "synthetic": False},
    )
    return week


def record_visibility_weeks() -> int:
    """The Monday job: this week's figures for every scope (`report_scopes`). Returns how many."""
    return len([record_week(team) for team in report_scopes()])


# --- reading ----------------------------------------------------------------------------------------
def series(team_id: int | None) -> tuple[list[str], list[dict]]:
    """The last TREND_WEEKS recorded weeks of a scope, oldest first: (ISO weeks, figures)."""
    weeks = list(
        VisibilityWeek.objects.filter(team_id=team_id)
        .order_by("-iso_week")
        .values_list("iso_week", "figures", "synthetic")[: thresholds.configured("TREND_WEEKS")]
    )
    weeks.reverse()
    return [week for week, _f, _s in weeks], [
        {**figures, "synthetic": synthetic} for _w, figures, synthetic in weeks
    ]


RATE, RATIO = 0, 1  # positions in a stored [rate, ratio, flagged]


def group_series(
    figures: list[dict], characteristics, measure: str, field: int = RATE
) -> list[float | None]:
    """A group's rate (or ratio) on `measure` in each week (None: withheld that week, or not
    recorded: the group was not among that week's summary)."""
    key = trend_key(characteristics)
    values = []
    for week in figures:
        stored = week["groups"].get(key, {}).get("measures", {}).get(measure)
        values.append(None if stored is None else stored[field])
    return values


# --- demo -------------------------------------------------------------------------------------------
def demo_history(today: datetime.date, scopes, weeks: int | None = None) -> int:
    """Demo data only: this week recorded for real for `scopes` (teams, None: all teams), and the
    weeks before it made up from it (marked synthetic): each figure walks back by a small
    deterministic drift and noise, so the demo's trends have something to show. Withheld figures
    stay withheld."""
    weeks = weeks or thresholds.configured("TREND_WEEKS")
    recorded = [record_week(team) for team in scopes]
    this_monday = monday_of(iso_week_of(today))
    with transaction.atomic():
        for current in recorded:
            for back in range(1, weeks):
                iso_week = iso_week_of(this_monday - datetime.timedelta(weeks=back))
                VisibilityWeek.objects.update_or_create(
                    iso_week=iso_week,
                    team=current.team,
                    defaults={
                        "run": None,
                        "figures": _walked_back(current.figures, back),
                        "synthetic": True,
                    },
                )
    return len(recorded) * weeks


def _walked_back(figures: dict, back: int) -> dict:
    groups = {}
    for key, group in figures["groups"].items():
        measures = {}
        for measure, (rate, ratio, flagged) in group["measures"].items():
            # One generator per group and measure: the same demo gives the same history.
            seed = int.from_bytes(hashlib.sha256(f"{key}/{measure}".encode()).digest()[:8], "big")
            rng = random.Random(seed)
            drift = rng.uniform(-0.02, 0.02)
            noise = [rng.gauss(0, 0.03) for _week in range(back)][-1]
            factor = max(0.0, 1 + drift * back + noise)
            if rate is not None:
                rate = rate * factor
                if MEASURES[measure].kind == "proportion":
                    rate = min(rate, 1.0)
                rate = round(rate, 4)
            ratio = None if ratio is None else round(ratio * factor, 4)
            measures[measure] = [rate, ratio, flagged]
        groups[key] = {**group, "measures": measures}
    return {**figures, "groups": groups}
