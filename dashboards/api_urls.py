"""API routes of the dashboards (summaries, team figures), mounted under /api/."""

from django.urls import path

from . import team_api

urlpatterns: list = [
    # team manager dashboard (issue 6)
    path("teams/<int:team_id>/summary/", team_api.team_summary, name="api-team-summary"),
    path("teams/<int:team_id>/capacity/", team_api.team_capacity, name="api-team-capacity"),
]
