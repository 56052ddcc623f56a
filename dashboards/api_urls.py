"""API routes of the dashboards (summaries, team figures), mounted under /api/."""

urlpatterns: list = []
