"""Stored results of the weekly data-quality job and the coaches' explanations.

Findings themselves are never stored as truth: they are computed from the records by the rules
(quality/rules.py). What is stored is what was *put on the list* for an ISO week, so past weeks stay
readable and progress shows week on week.
"""

import json
import zlib

import orjson
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from caseload.models import Client, Team

from . import rules

ISO_WEEK_LENGTH = 8  # "2026-W48"


class AboutARule:
    """For records that name a rule by its id: the Rule itself (None if it has been retired)."""

    @property
    def rule(self):
        return rules.RULES_BY_ID.get(self.rule_id)


class WeeklyListEntry(AboutARule, models.Model):
    """One finding on the weekly list of an ISO week (one row per week, client and rule)."""

    iso_week = models.CharField(_("ISO week"), max_length=ISO_WEEK_LENGTH)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("work coach"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="+"
    )
    rule_id = models.CharField(_("rule"), max_length=64)
    rank = models.PositiveIntegerField(_("rank"))
    severity = models.PositiveSmallIntegerField(_("severity"))
    blocks = models.TextField(_("what it blocks"))
    explained = models.BooleanField(
        _("explained"),
        default=False,
        help_text=_(
            "The coach had explained this finding when the list was built: not on the coach's list."
        ),
    )

    class Meta:
        ordering = ["iso_week", "coach_id", "rank"]
        verbose_name = _("weekly list entry")
        verbose_name_plural = _("weekly list entries")
        constraints = [
            models.UniqueConstraint(
                fields=["iso_week", "client", "rule_id"], name="weekly_entry_unique"
            ),
        ]
        indexes = [models.Index(fields=["iso_week", "coach"], name="weekly_entry_week_coach")]

    def __str__(self):
        return f"{self.iso_week} {self.client_id} {self.rule_id}"


class FindingExplanationQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(withdrawn_at__isnull=True)

    def visible_to(self, user):
        return self.filter(client__in=Client.objects.visible_to(user).values("pk"))


class FindingExplanation(AboutARule, models.Model):
    """A coach's reason why a finding stands (e.g. 'client refuses to give a CV'). In force until withdrawn."""

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="+"
    )
    rule_id = models.CharField(_("rule"), max_length=64)
    reason = models.TextField(_("reason"))
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("explained by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = FindingExplanationQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("finding explanation")
        verbose_name_plural = _("finding explanations")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "rule_id"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_explanation_in_force",
            ),
        ]

    def __str__(self):
        return f"{self.client_id} {self.rule_id}"


class QualitySnapshot(models.Model):
    """A coach's count for one rule in one ISO week, and the active caseload it was counted over."""

    iso_week = models.CharField(_("ISO week"), max_length=ISO_WEEK_LENGTH)
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, on_delete=models.CASCADE, related_name="+"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("work coach"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    key = models.CharField(_("rule"), max_length=64)
    count = models.PositiveIntegerField(_("count"))
    total = models.PositiveIntegerField(_("active clients"))

    class Meta:
        ordering = ["iso_week", "key"]
        verbose_name = _("quality snapshot")
        verbose_name_plural = _("quality snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["iso_week", "coach", "key"], name="quality_snapshot_unique"
            ),
        ]

    def __str__(self):
        return f"{self.iso_week} {self.coach_id} {self.key}={self.count}"


class DigestSent(models.Model):
    """Records that a recipient got the digest of a week, so a re-run never mails twice."""

    iso_week = models.CharField(_("ISO week"), max_length=ISO_WEEK_LENGTH)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    findings = models.PositiveIntegerField(_("findings in the digest"))

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        constraints = [
            models.UniqueConstraint(fields=["iso_week", "recipient"], name="digest_once_per_week")
        ]

    def __str__(self):
        return f"{self.iso_week} → {self.recipient_id}"


# --- visibility report (issue #7) ---------------------------------------------------------------
class CompressedJSONField(models.BinaryField):
    """JSON stored zlib-compressed. A report for all teams at depth 3 is ~28 MB of JSON (11k
    groups × 6 measures); as jsonb its INSERT alone took ~2 s at 30k clients (parsing and TOAST on
    the server, quoting on the client), compressed it is ~3 MB of bytea. The result is only ever
    read whole, never queried inside, so nothing is lost by not being jsonb."""

    def get_default(self):
        # BinaryField's implicit default is b"", which is no JSON: without a default a missing
        # value stays None, so a NOT NULL column refuses it plainly.
        return self.default if self.has_default() else None

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return orjson.loads(zlib.decompress(bytes(value)))

    def to_python(self, value):
        if isinstance(value, (bytes, bytearray, memoryview)):
            return orjson.loads(zlib.decompress(bytes(value)))
        if isinstance(value, str):  # as written by value_to_string (dumpdata / loaddata)
            return json.loads(value)
        return value

    def get_prep_value(self, value):
        if value is None:
            return None
        # orjson: ~10× faster than json on a report this size; Django's encoder for the rest
        # (lazy translations, dates, decimals).
        return zlib.compress(orjson.dumps(value, default=DjangoJSONEncoder().default), level=1)

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj), cls=DjangoJSONEncoder)


class VisibilityRun(models.Model):
    """One computation of the visibility report: its parameters, a fingerprint of the counts it
    read, and its (disclosure-controlled) result. Same fingerprint + parameters → same result."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    team = models.ForeignKey(
        "caseload.Team",
        verbose_name=_("scope team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: all teams (a superuser's run)."),
    )
    parameters = models.JSONField(_("parameters"))
    data_fingerprint = models.CharField(_("data fingerprint"), max_length=64, db_index=True)
    result = CompressedJSONField(_("result"))
    # What the page and the API's default answer show: the result with only the flagged groups and
    # the groups of one characteristic (`visibility.main_groups`); a few hundred of ~10k groups, so
    # those reads do not decompress the whole result.
    summary = CompressedJSONField(_("summary"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("visibility report run")
        verbose_name_plural = _("visibility report runs")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.data_fingerprint[:12]}"
