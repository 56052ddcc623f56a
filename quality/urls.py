from django.urls import path

from . import views, visibility_views

urlpatterns: list = [
    path("quality/", views.quality_dashboard, name="quality_dashboard"),
    path("quality/my-list/", views.my_list, name="quality_my_list"),
    path(
        "quality/my-list/withdraw/", views.withdraw_explanation, name="quality_withdraw_explanation"
    ),
    path("quality/weekly/", views.weekly_archive, name="quality_weekly_latest"),
    path("quality/weekly/build/", views.trigger_weekly_list, name="quality_trigger_weekly_list"),
    path("quality/weekly/<str:week>/", views.weekly_archive, name="quality_weekly_list"),
    path("quality/visibility/", visibility_views.visibility_report, name="visibility_report"),
    path("quality/visibility.csv", visibility_views.visibility_csv, name="visibility_report_csv"),
]
