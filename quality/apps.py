from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "quality"
    verbose_name = _("Data quality")

    def ready(self):
        from . import (
            definitions,  # noqa: F401  (legend entries of the rules)
            visibility_definitions,  # noqa: F401  (legend entries, section "visibility")
        )
