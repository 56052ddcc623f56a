from django.urls import path

from . import team_views

urlpatterns: list = [
    # coach, team manager dashboards are added here by their issues
    # team manager dashboard (issue 6)
    path("team/", team_views.team_dashboard, name="team_dashboard"),
    path("team/export.csv", team_views.team_export_csv, name="team_export_csv"),
    path("team/export.xlsx", team_views.team_export_xlsx, name="team_export_xlsx"),
    path("team/reassign/", team_views.team_reassign, name="team_reassign"),
    path("team/reassignments/<int:pk>/undo/", team_views.team_reassignment_undo, name="team_reassignment_undo"),
]
