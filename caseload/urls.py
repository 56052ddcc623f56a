from django.urls import path

from . import views

app_name = "caseload"

urlpatterns = [
    path("clients/", views.client_list, name="client_list"),
    path(
        "clients/export.csv", views.client_export, {"file_format": "csv"}, name="client_export_csv"
    ),
    path(
        "clients/export.xlsx",
        views.client_export,
        {"file_format": "xlsx"},
        name="client_export_xlsx",
    ),
    path("clients/<key:client_number>/", views.client_page, name="client_detail"),
    path("legend/", views.legend_page, name="legend"),
    path("admin-tools/access-log/", views.access_log_page, name="access_log"),
]
