"""The visibility report's record: each computation, with its parameters, the fingerprint of the
counts it read and its disclosure-controlled result."""

import json
import zlib

import orjson
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    # the groups of one characteristic (`engine.main_groups`); a few hundred of ~10k groups, so
    # those reads do not decompress the whole result.
    summary = CompressedJSONField(_("summary"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("visibility report run")
        verbose_name_plural = _("visibility report runs")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.data_fingerprint[:12]}"


class VisibilityWeek(models.Model):
    """The visibility report of one ISO week for one scope (a team; no team: all teams), stored as
    it was shown: per group of the run's summary its client count as labelled and per measure its
    rate and ratio, already disclosure-controlled (None where withheld), and whether it was
    flagged. The trend of a group is read from the last weeks' rows: nothing is recomputed."""

    iso_week = models.CharField(_("ISO week"), max_length=8)
    team = models.ForeignKey(
        "caseload.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: all teams."),
    )
    run = models.ForeignKey(
        VisibilityRun,
        verbose_name=_("run"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now=True)
    synthetic = models.BooleanField(
        _("synthetic"),
        default=False,
        help_text=_("Demo history made up from the current figures, not measured that week."),
    )
    # {"k": 10, "groups": {"gender=M|household=...": {"n": "31", "measures": {key: [rate, ratio,
    # flagged]}}}}: see quality.visibility.trend.week_figures.
    figures = CompressedJSONField(_("figures"))

    class Meta:
        ordering = ["-iso_week"]
        verbose_name = _("visibility report week")
        verbose_name_plural = _("visibility report weeks")
        constraints = [
            models.UniqueConstraint(
                fields=["iso_week", "team"],
                condition=models.Q(team__isnull=False),
                name="visibility_week_per_team",
            ),
            models.UniqueConstraint(
                fields=["iso_week"],
                condition=models.Q(team__isnull=True),
                name="visibility_week_all_teams",
            ),
        ]

    def __str__(self):
        return f"{self.iso_week} {self.team_id or 'all'}"
