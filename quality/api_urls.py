"""API routes of the quality app (findings, weekly lists, visibility report), mounted under /api/."""

from django.urls import path

from . import api, visibility_views

urlpatterns: list = [
    path("quality/findings/", api.FindingListView.as_view(), name="api-quality-findings"),
    path("quality/weekly/<str:week>/", api.WeeklyListView.as_view(), name="api-quality-weekly"),
    path(
        "reports/visibility/",
        visibility_views.VisibilityReportAPIView.as_view(),
        name="api_visibility_report",
    ),
]
