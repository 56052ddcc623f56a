"""API routes of the quality app (findings, weekly lists, visibility report), mounted under /api/."""

from django.urls import path

from . import views, visibility

urlpatterns: list = [
    path("quality/findings/", views.FindingListView.as_view(), name="api-quality-findings"),
    path("quality/weekly/<str:week>/", views.WeeklyListView.as_view(), name="api-quality-weekly"),
    path(
        "reports/visibility/",
        visibility.VisibilityReportAPIView.as_view(),
        name="api_visibility_report",
    ),
]
