from django.urls import path

from .visibility import views as visibility_views
from .weekly import views as weekly_views

urlpatterns: list = [
    path("quality/my-list/", weekly_views.my_list, name="quality_my_list"),
    path("quality/weekly/", weekly_views.weekly_list, name="quality_weekly_latest"),
    path(
        "quality/weekly/build/",
        weekly_views.trigger_weekly_list,
        name="quality_trigger_weekly_list",
    ),
    path(
        "quality/weekly/export.csv",
        weekly_views.weekly_list_export,
        {"file_format": "csv"},
        name="quality_weekly_export_csv",
    ),
    path(
        "quality/weekly/export.xlsx",
        weekly_views.weekly_list_export,
        {"file_format": "xlsx"},
        name="quality_weekly_export_xlsx",
    ),
    path("quality/weekly/<str:week>/", weekly_views.weekly_list, name="quality_weekly_list"),
    path("quality/visibility/", visibility_views.visibility_report, name="visibility_report"),
    path("quality/visibility.csv", visibility_views.visibility_csv, name="visibility_report_csv"),
]
