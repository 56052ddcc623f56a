"""API routes of the quality app (findings, weekly lists, visibility report), mounted under /api/."""

urlpatterns: list = []
