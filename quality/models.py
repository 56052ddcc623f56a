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
    "FindingAction",
    "FindingExplanation",
    "QualitySnapshot",
    "VisibilityRun",
    "WeeklyListBuild",
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
    """One finding on the weekly list of an ISO week (one row per week, client and rule).

    Only the rule's id is stored: its title, definition and what it blocks come from the rule
    registry in the reader's language. `rank` is the client's place on the coach's list (every
    finding of a client has the same rank); within a client the gravest finding comes first.
    """

    iso_week = models.CharField(_("ISO week"), max_length=ISO_WEEK_LENGTH)
    # A national list is ~10^6 rows a week, written from the records in one transaction: no
    # foreign-key constraint is checked per row (Django's delete still cascades to the client's
    # rows and sets coach and team NULL; a row of a client erased during a build is pruned by the
    # next one), and coach and team carry no index of their own (the composite index below
    # serves the reads). Three indexes in all: the primary key, client-week-rule (unique, and
    # what a client's erasure deletes by) and week-coach-rank (the lists).
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("work coach"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    client = models.ForeignKey(
        Client,
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique index below starts with the client
        db_constraint=False,
    )
    rule_id = models.CharField(_("rule"), max_length=64)
    rank = models.PositiveIntegerField(_("rank"))
    severity = models.PositiveSmallIntegerField(_("severity"))
    explained = models.BooleanField(
        _("explained"),
        default=False,
        help_text=_(
            "An explanation is in force for this finding: it is off the coach's open list, and the "
            "quality officer still sees it with its reason."
        ),
    )

    class Meta:
        ordering = ["iso_week", "coach_id", "rank"]
        verbose_name = _("weekly list entry")
        verbose_name_plural = _("weekly list entries")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "iso_week", "rule_id"], name="weekly_entry_client_week_rule"
            ),
        ]
        indexes = [
            models.Index(fields=["iso_week", "coach", "rank"], name="weekly_entry_week_coach_rank"),
        ]

    def __str__(self):
        return f"{self.iso_week} {self.client_id} {self.rule_id}"


class WeeklyListBuild(models.Model):
    """One build of a week's list (every team, or one): when it ran and from which import, so a
    page can say when its list was computed and from how fresh data."""

    iso_week = models.CharField(_("ISO week"), max_length=ISO_WEEK_LENGTH)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: every team."),
    )
    reason = models.CharField(_("reason"), max_length=20)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    import_finished_at = models.DateTimeField(
        _("data as of"),
        null=True,
        blank=True,
        help_text=_("When the last successful import before this build finished."),
    )
    findings = models.PositiveIntegerField(_("findings"))

    class Meta:
        ordering = ["-finished_at"]
        verbose_name = _("weekly list build")
        verbose_name_plural = _("weekly list builds")
        indexes = [models.Index(fields=["iso_week", "-finished_at"], name="weekly_build_week")]

    def __str__(self):
        return f"{self.iso_week} @ {self.finished_at:%Y-%m-%d %H:%M}"


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


class FindingAction(AboutARule, models.Model):
    """What someone did about a finding: explained it, withdrew an explanation, returned it to the
    coach with a note, or the build closed an explanation because the finding no longer holds.
    Append-only; shown on the client page."""

    class Action(models.TextChoices):
        EXPLAINED = "explained", _("explained")
        WITHDRAWN = "withdrawn", _("explanation withdrawn")
        RETURNED = "returned", _("returned to the coach")
        LAPSED = "lapsed", _("explanation closed: the finding no longer holds")

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="+"
    )
    rule_id = models.CharField(_("rule"), max_length=64)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    note = models.TextField(_("reason or note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: the weekly list's build."),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("finding action")
        verbose_name_plural = _("finding actions")
        indexes = [models.Index(fields=["client", "rule_id", "-at"], name="finding_action_client")]

    def __str__(self):
        return f"{self.client_id} {self.rule_id} {self.action}"


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
