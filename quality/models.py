"""The quality app's models: the coaches' explanations of findings and the stored results of the
weekly data-quality job (here), and the visibility report's runs (quality.visibility.models).

Findings themselves are never stored as truth: they are computed from the records by the rules
(quality/rules.py). What is stored is what was *put on the list* for an ISO week, so past weeks stay
readable and progress shows week on week.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from caseload.models import Client, Team

from . import rules
from .visibility.models import CompressedJSONField, VisibilityRun, VisibilityWeek

__all__ = [
    "AboutARule",
    "CompressedJSONField",
    "DigestSent",
    "FindingExplanation",
    "QualitySnapshot",
    "VisibilityRun",
    "VisibilityWeek",
    "WeeklyListEntry",
]

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
