"""Security records: the access log, sessions per user and erasure records."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """The access log is evidence: rows are never changed or deleted through the ORM."""


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("the access log is append-only")

    def delete(self):
        raise AppendOnlyError("the access log is append-only")

    def for_client(self, client_number: str):
        return self.filter(client_number=client_number)

    def pseudonymise_client(self, client_number: str, pseudonym: str) -> int:
        """The one sanctioned change (GDPR erasure, caseload.gdpr): replace a client's number."""
        from django.db.models import Value
        from django.db.models.functions import Replace

        in_path = f"/{client_number}/"  # /clients/<number>/, exactly: not a longer number
        mentions = self.filter(
            models.Q(client_number=client_number) | models.Q(path__contains=in_path)
        )
        return models.QuerySet.update(
            mentions,
            client_number=models.Case(
                models.When(client_number=client_number, then=Value(pseudonym)),
                default="client_number",
            ),
            path=Replace("path", Value(in_path), Value(f"/{pseudonym}/")),
        )


class AccessAction(models.TextChoices):
    VIEW_CLIENT = "view_client", _("Viewed a client page")
    API_CLIENT = "api_client", _("Read a client through the API")
    LIST = "list", _("Saw the client in a list (drill-down)")
    EXPORT = "export", _("Exported the client")
    ERASE = "erase", _("Erased the client")


class AccessLog(models.Model):
    """Who saw which client, when, and how. Never the client's field values.

    One row per client per event, so "who looked at this client?" is one indexed query.
    """

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(
        _("username"), max_length=150, help_text=_("Kept if the account is deleted.")
    )
    action = models.CharField(_("action"), max_length=20, choices=AccessAction.choices)
    client_number = models.CharField(
        _("client"),
        max_length=32,
        db_index=True,
        help_text=_("The client number; a pseudonym once the client has been erased."),
    )
    path = models.CharField(
        _("path"), max_length=500, blank=True, help_text=_("Without the query string.")
    )

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["client_number", "-at"], name="accesslog_client_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.client_number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("the access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("the access log is append-only")


class UserSession(models.Model):
    """Which sessions belong to whom, so deactivating an account ends all its sessions at once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("user session")
        verbose_name_plural = _("user sessions")

    def __str__(self):
        return self.session_key[:8]


class ErasureRecord(models.Model):
    """That a client was erased, when and by whom: only the pseudonym remains."""

    pseudonym = models.CharField(_("pseudonym"), max_length=40, db_index=True)
    erased_at = models.DateTimeField(_("erased at"), auto_now_add=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erased by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when erased by the retention schedule."),
    )
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")

    def __str__(self):
        return f"{self.pseudonym} {self.erased_at:%Y-%m-%d}"
