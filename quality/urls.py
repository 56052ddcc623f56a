
urlpatterns: list = [
    # quality dashboard, weekly list and visibility report are added here by their issues
]

from django.urls import path  # noqa: E402

from . import visibility_views  # noqa: E402

urlpatterns += [
    path("quality/visibility/", visibility_views.visibility_report, name="visibility_report"),
    path("quality/visibility.csv", visibility_views.visibility_csv, name="visibility_report_csv"),
]
