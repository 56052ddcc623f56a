from django.urls import path

from .visibility import views as visibility_views
from .weekly import views as weekly_views

urlpatterns: list = [
    path("quality/my-list/", weekly_views.my_list, name="quality_my_list"),
    path(
        "quality/my-list/withdraw/",
        weekly_views.withdraw_explanation,
        name="quality_withdraw_explanation",
    ),
    path("quality/weekly/", weekly_views.weekly_archive, name="quality_weekly_latest"),
    path(
        "quality/weekly/build/",
        weekly_views.trigger_weekly_list,
        name="quality_trigger_weekly_list",
    ),
    path("quality/weekly/<str:week>/", weekly_views.weekly_archive, name="quality_weekly_list"),
    path("quality/visibility/", visibility_views.visibility_report, name="visibility_report"),
    path("quality/visibility.csv", visibility_views.visibility_csv, name="visibility_report_csv"),
]
