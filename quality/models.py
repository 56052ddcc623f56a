"""Models of the quality app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


# --- visibility report (issue #7) ---------------------------------------------------------------
class VisibilityRun(models.Model):
    """One computation of the visibility report: its parameters, a fingerprint of the counts it
    read, and its (disclosure-controlled) result. Same fingerprint + parameters → same result."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    team = models.ForeignKey(
        "caseload.Team", verbose_name=_("scope team"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("Empty: all teams (a superuser's run)."),
    )
    parameters = models.JSONField(_("parameters"))
    data_fingerprint = models.CharField(_("data fingerprint"), max_length=64, db_index=True)
    result = models.JSONField(_("result"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("visibility report run")
        verbose_name_plural = _("visibility report runs")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.data_fingerprint[:12]}"
