"""API routes of the dashboards (summaries, team figures), mounted under /api/.

Included before the clients router, so `clients/summary/` is not read as a client number.
"""

from django.urls import path

from . import team
from .summary import ClientSummaryView

urlpatterns: list = [
    path("clients/summary/", ClientSummaryView.as_view(), name="client-summary"),
    path("teams/<int:team_id>/summary/", team.TeamSummaryView.as_view(), name="api-team-summary"),
    path(
        "teams/<int:team_id>/capacity/", team.TeamCapacityView.as_view(), name="api-team-capacity"
    ),
]
