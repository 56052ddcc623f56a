from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseloadConfig(AppConfig):
    name = "caseload"
    verbose_name = _("Caseload")

    def ready(self):
        from . import keys

        keys.register()  # the `key` path converter, before any URLconf is loaded
        from . import (
            definitions,  # noqa: F401  (legend entries)
            security,  # noqa: F401  (session signals)
        )
        from .matching import definitions as matching_definitions  # noqa: F401
