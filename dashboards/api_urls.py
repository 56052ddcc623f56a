"""API routes of the dashboards (summaries, team figures), mounted under /api/.

Included before the clients router, so `clients/summary/` is not read as a client number.
"""

from django.urls import path

from . import team_api
from .api_views import ClientSummaryView

urlpatterns: list = [
    path("clients/summary/", ClientSummaryView.as_view(), name="client-summary"),
    path("teams/<int:team_id>/summary/", team_api.team_summary, name="api-team-summary"),
    path("teams/<int:team_id>/capacity/", team_api.team_capacity, name="api-team-capacity"),
]
