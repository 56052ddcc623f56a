from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "quality"
    verbose_name = _("Data quality")

    def ready(self):
        from caseload import gdpr

        from . import contributions
        from . import definitions as rule_definitions  # noqa: F401  (legend entries)
        from .visibility import definitions as visibility_definitions  # noqa: F401  (legend)

        contributions.contribute()
        # Explanations of other clients' findings, weekly lists, report parameters may quote it.
        gdpr.register_text_scrubbers(*self.get_models())
