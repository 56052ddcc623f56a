"""API of the team manager dashboard: the team summary and its capacity figures (read only)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from caseload import legend
from caseload.api.strict import StrictQueryParameters
from dashboards.team.selectors import (
    team_balance,
    team_for_user,
    team_overview,
    todays_coach_figures,
)


def as_number(value):
    """Exact fractions as floats rounded to 4 decimals; None stays None (nothing to divide by)."""
    return None if value is None else round(float(value), 4)


def team_payload(team) -> dict:
    return {
        "id": team.pk,
        "code": team.code,
        "name": team.name,
        "kind": team.kind,
        "caseload_norm": team.caseload_norm,
        "caseload_max": team.caseload_max,
        "admin_minutes_per_client": team.admin_minutes_per_client,
    }


def capacity_payload(row) -> dict:
    capacity = row.capacity
    return {
        "needed_hours_per_week": as_number(capacity.needed_hours),
        "contact_hours_per_week": as_number(capacity.contact_minutes / 60),
        "administration_hours_per_week": as_number(capacity.admin_minutes / 60),
        "available_hours_per_week": as_number(capacity.available_hours),
        "balance_hours_per_week": as_number(capacity.balance_minutes / 60),
        "overloaded": capacity.overloaded,
        "load_share": as_number(capacity.load_share),
        "planned_clients": capacity.planned_clients,
        "clients_without_frequency": capacity.without_frequency,
    }


class TeamSummaryView(StrictQueryParameters, APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT, description=legend.text("team_active_caseload"))
    def get(self, request, team_id):
        """Per-coach figures of a team, each with the client-list link behind it (404 outside
        scope)."""
        return Response(team_summary(request.user, team_id))


class TeamCapacityView(StrictQueryParameters, APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT, description=legend.text("capacity_needed"))
    def get(self, request, team_id):
        """Weekly contact hours needed and available per coach of a team (404 outside scope)."""
        return Response(team_capacity(request.user, team_id))


def team_summary(user, team_id) -> dict:
    team = team_for_user(user, team_id)
    rows = team_overview(user, team)
    keys = [figure.key for figure in todays_coach_figures()]
    balance = team_balance(team, rows)
    return {
        "team": team_payload(team),
        "over_norm_by": balance.over_norm_by,
        "fte_needed": as_number(balance.fte_needed),
        "definitions": {
            key: legend.text(key) for key in (*keys, "team_over_norm", "team_fte_needed")
        },
        "coaches": [
            {
                "id": row.coach.pk,
                "name": str(row.coach),
                "fte": as_number(row.coach.fte),
                "figures": {
                    key: {"count": row.counts[key], "list": row.links[key]} for key in keys
                },
                "shares": {
                    "seen_within_frequency": as_number(row.seen_share),
                    "plan_coverage": as_number(row.plan_coverage),
                    "completeness": as_number(row.completeness),
                    "participation_step_1_2": as_number(row.step_1_2_share),
                    "health_flag": as_number(row.health_flag_share),
                },
                "norm_for_fte": as_number(row.norm_for_fte),
                "max_for_fte": as_number(row.max_for_fte),
                "over_norm_by": row.over_norm_by,
                "capacity": capacity_payload(row),
            }
            for row in rows
        ],
    }


def team_capacity(user, team_id) -> dict:
    team = team_for_user(user, team_id)
    return {
        "team": team_payload(team),
        "definitions": {
            key: legend.text(key)
            for key in ("capacity_needed", "capacity_available", "capacity_balance")
        },
        "coaches": [
            {
                "id": row.coach.pk,
                "name": str(row.coach),
                "fte": as_number(row.coach.fte),
                **capacity_payload(row),
            }
            for row in team_overview(user, team)
        ],
    }
