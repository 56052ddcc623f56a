"""Staff roles. What each role may see and open is decided in caseload.access."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    WORK_COACH = "work_coach", _("Work coach")
    QUALITY_OFFICER = "quality_officer", _("Quality officer")
    TEAM_MANAGER = "team_manager", _("Team manager")
