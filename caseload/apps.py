from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

# The framework's apps whose records may quote a client number (a login attempt's username, an
# admin log message, a session): the base erases from them too (caseload.gdpr).
FRAMEWORK_APPS = ("admin", "auth", "contenttypes", "sessions", "authtoken", "axes")


class CaseloadConfig(AppConfig):
    name = "caseload"
    verbose_name = _("Caseload")

    def ready(self):
        from . import keys

        keys.register()  # the `key` path converter, before any URLconf is loaded
        from . import (
            definitions,  # noqa: F401  (legend entries)
            gdpr,
            security,  # noqa: F401  (session signals)
        )
        from .matching import definitions as matching_definitions  # noqa: F401
        from .models import AccessLog

        # The access log is pseudonymised by gdpr.erase_client itself (append-only otherwise).
        kept = [model for model in self.get_models() if model is not AccessLog]
        for label in FRAMEWORK_APPS:
            kept += apps.get_app_config(label).get_models()
        gdpr.register_text_scrubbers(*(model for model in kept if not model._meta.proxy))
