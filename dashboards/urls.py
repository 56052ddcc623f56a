from django.urls import path

from .coach import views as coach_views
from .quality import views as quality_views
from .saved_views import views as saved_views
from .team import views as team_views

urlpatterns = [
    path("dashboard/", coach_views.coach_dashboard, name="coach_dashboard"),
    path("saved-views/", saved_views.saved_view_save, name="saved_view_save"),
    path("saved-views/<int:pk>/", saved_views.saved_view_open, name="saved_view_open"),
    path("saved-views/<int:pk>/delete/", saved_views.saved_view_delete, name="saved_view_delete"),
    path("quality/", quality_views.quality_dashboard, name="quality_dashboard"),
    path("team/", team_views.team_dashboard, name="team_dashboard"),
    path("team/export.csv", team_views.team_export_csv, name="team_export_csv"),
    path("team/export.xlsx", team_views.team_export_xlsx, name="team_export_xlsx"),
    path("team/chart.csv", team_views.team_chart_csv, name="team_chart_csv"),
    path("team/reassign/", team_views.team_reassign, name="team_reassign"),
    path(
        "team/reassignments/<int:pk>/undo/",
        team_views.team_reassignment_undo,
        name="team_reassignment_undo",
    ),
]
