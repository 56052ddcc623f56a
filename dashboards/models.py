"""Saved views: a client-list filter a user has named, to reopen it later. Private to its owner."""

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
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="saved_views"
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.TextField(_("query string"), blank=True, help_text=_("Client-list filter parameters."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SavedViewQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="saved_view_unique_owner_name")]

    def __str__(self):
        return self.name
