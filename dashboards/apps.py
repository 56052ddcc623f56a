from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from . import (  # noqa: F401  (admin and legend of the team dashboard)
            definitions,  # noqa: F401  (legend entries)
            team_admin,
            team_definitions,
        )
