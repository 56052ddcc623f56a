
urlpatterns: list = [
    # coach, team manager dashboards are added here by their issues
]
