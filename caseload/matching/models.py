"""Records of matching: who ranked which shortlist with which concept table, screening flags and
the coach's decisions on them. Imported at the bottom of caseload/models.py (caseload app)."""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from .screening import CATEGORIES


class ShortlistRun(models.Model):
    """One shortlist as shown: by whom, for which vacancy, ranked with which concept table."""

    vacancy = models.ForeignKey(
        "caseload.Vacancy",
        verbose_name=_("vacancy"),
        on_delete=models.CASCADE,
        related_name="shortlist_runs",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    concepts_version = models.CharField(_("concept table version"), max_length=40)
    ranked_count = models.PositiveIntegerField(_("ranked"), default=0)
    knocked_out_count = models.PositiveIntegerField(_("knocked out"), default=0)
    ranking = models.JSONField(
        _("ranking"),
        default=list,
        blank=True,
        help_text=_("Client numbers and scores in ranked order."),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("shortlist run")
        verbose_name_plural = _("shortlist runs")

    def __str__(self):
        return f"{self.vacancy_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class ScreeningFlag(models.Model):
    """A possibly discriminatory requirement found in a vacancy (logged once per vacancy/text)."""

    vacancy = models.ForeignKey(
        "caseload.Vacancy",
        verbose_name=_("vacancy"),
        on_delete=models.CASCADE,
        related_name="screening_flags",
    )
    rule = models.CharField(_("rule"), max_length=40)
    category = models.CharField(_("category"), max_length=20)
    field = models.CharField(_("field"), max_length=30)
    matched_text = models.CharField(_("matched text"), max_length=200)
    detected_at = models.DateTimeField(_("detected at"), auto_now_add=True)

    class Meta:
        ordering = ["vacancy", "detected_at", "pk"]
        verbose_name = _("screening flag")
        verbose_name_plural = _("screening flags")
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "rule", "field", "matched_text"], name="screening_flag_unique"
            ),
        ]

    def __str__(self):
        return f"{self.vacancy_id}: {self.matched_text}"

    @property
    def category_label(self):
        return CATEGORIES.get(self.category, self.category)

    @property
    def field_label(self):
        """The screened vacancy field's own (translated) name: 'title', 'description', ..."""
        try:
            return type(self).vacancy.field.related_model._meta.get_field(self.field).verbose_name
        except FieldDoesNotExist:
            return self.field


class ScreeningDecision(models.Model):
    class Decision(models.TextChoices):
        JUSTIFIED = "justified", _("Keep: the requirement is justified")
        DROPPED = "dropped", _("Drop the requirement")

    flag = models.ForeignKey(
        ScreeningFlag, verbose_name=_("flag"), on_delete=models.CASCADE, related_name="decisions"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    justification = models.TextField(_("justification"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        ordering = ["flag", "-decided_at", "-pk"]
        verbose_name = _("screening decision")
        verbose_name_plural = _("screening decisions")

    def __str__(self):
        return f"{self.flag}: {self.decision}"
