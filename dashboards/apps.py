from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from caseload import gdpr, signals

        from .coach import definitions as coach_definitions  # noqa: F401  (legend entries)
        from .team import definitions as team_definitions  # noqa: F401  (legend entries)
        from .team.services import scrub_erased_client, write_demo_snapshots

        gdpr.register_scrubber(scrub_erased_client)
        signals.demo_seeded.connect(write_demo_snapshots, dispatch_uid="team_demo_snapshots")
        # Saved views (a name like "Follow-up <number>", a query like q=<number>) and the rest.
        gdpr.register_text_scrubbers(*self.get_models())
