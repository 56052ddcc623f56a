"""API routes of the quality app (findings, weekly lists, visibility report), mounted under /api/."""

urlpatterns: list = []

from django.urls import path  # noqa: E402

from . import visibility_views  # noqa: E402

urlpatterns += [
    path("reports/visibility/", visibility_views.VisibilityReportAPIView.as_view(), name="api_visibility_report"),
]
