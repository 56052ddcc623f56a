"""Dashboard records: saved views (a client-list filter a user has named, private to its owner),
and the team manager's reassignment log and weekly team snapshots."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedViewQuerySet(models.QuerySet):
    def owned_by(self, user):
        """A user's own saved views; nobody else's, whatever their role."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)


class SavedView(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="saved_views",
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.TextField(
        _("query string"), blank=True, help_text=_("Client-list filter parameters.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SavedViewQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_view_unique_owner_name")
        ]

    def __str__(self):
        return self.name


class Reassignment(models.Model):
    """A logged move of clients from one coach to another, saved from the team capacity page.

    An undo is itself a Reassignment (back to the original coach) that points at the one it
    reverses, so the log keeps both.
    """

    team = models.ForeignKey(
        "caseload.Team", verbose_name=_("team"), on_delete=models.CASCADE, related_name="+"
    )
    from_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("from coach"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("to coach"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    client_ids = models.JSONField(_("client ids"), default=list)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("performed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    performed_at = models.DateTimeField(_("performed at"), auto_now_add=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("undoes"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="undone_by",
    )
    # What the preview warned about when the manager confirmed (a coach over the norm or the
    # maximum after the move), in the words it was shown; empty: no warning.
    warnings = models.JSONField(_("warnings confirmed"), default=list, blank=True)

    class Meta:
        ordering = ["-performed_at", "-pk"]
        verbose_name = _("reassignment")
        verbose_name_plural = _("reassignments")

    def __str__(self):
        return f"{len(self.client_ids)} clients {self.from_coach} → {self.to_coach}"


class TeamWeeklySnapshot(models.Model):
    """A coach's team figures as taken once in an ISO week (re-taking in the same week overwrites)."""

    iso_week = models.CharField(_("ISO week"), max_length=8, help_text=_("For example 2026-W07."))
    team = models.ForeignKey(
        "caseload.Team", verbose_name=_("team"), on_delete=models.CASCADE, related_name="+"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("work coach"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    active_caseload = models.PositiveIntegerField(_("active caseload"))
    contact_overdue = models.PositiveIntegerField(_("contact overdue"))
    missing_key_fields = models.PositiveIntegerField(_("key fields not registered"))
    exited_to_work = models.PositiveIntegerField(_("exits to work in the week"))
    taken_at = models.DateTimeField(_("taken at"), auto_now=True)

    class Meta:
        ordering = ["iso_week", "team", "coach"]
        verbose_name = _("weekly team snapshot")
        verbose_name_plural = _("weekly team snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["iso_week", "team", "coach"], name="team_snapshot_once_per_week"
            ),
        ]

    def __str__(self):
        return f"{self.iso_week} {self.team_id} {self.coach_id}"
