"""API routes of the dashboards (summaries, team figures), mounted under /api/.

Included before the clients router, so `clients/summary/` is not read as a client number.
"""

from django.urls import path

from .api_views import ClientSummaryView

urlpatterns: list = [
    path("clients/summary/", ClientSummaryView.as_view(), name="client-summary"),
]
