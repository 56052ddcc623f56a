"""API routes of the quality app (findings, weekly lists, visibility report), mounted under /api/."""

from django.urls import path

from . import api

urlpatterns: list = [
    path("quality/findings/", api.FindingListView.as_view(), name="api-quality-findings"),
    path("quality/weekly/<str:week>/", api.WeeklyListView.as_view(), name="api-quality-weekly"),
]
