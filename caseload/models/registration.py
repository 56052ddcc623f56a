"""The caseload: teams, staff, clients and what happens to them.

Every field of the registration export (docs/registration-export.md) has a home
here. A field that the export may leave empty is nullable: NULL means *not registered*, which is
not the same as "no" or 0, and the dashboards show it as unknown.

Derived figures (age band, last contact, contact due date, ...) are never stored: they are
QuerySet annotations in `caseload.querysets`, so they cannot drift from the records.
"""

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import thresholds
from ..querysets import (
    ClientManager,
    ScopedThroughClientQuerySet,
)
from ..roles import Role


class TeamKind(models.TextChoices):
    STANDARD = "standard", _("Standard")
    ASYLUM = "asylum", _("Asylum status holders")
    EX_OFFENDER = "ex_offender", _("Ex-offenders")
    MULTIPROBLEM = "multiproblem", _("Multi-problem households")


class Team(models.Model):
    code = models.CharField(_("team code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=TeamKind.choices, default=TeamKind.STANDARD
    )
    caseload_norm = models.PositiveSmallIntegerField(
        _("caseload norm"),
        default=80,
        help_text=_("Active clients per full-time coach thought doable."),
    )
    caseload_max = models.PositiveSmallIntegerField(
        _("caseload maximum"),
        default=120,
        help_text=_("Active clients per full-time coach never to exceed."),
    )
    admin_minutes_per_client = models.PositiveSmallIntegerField(
        _("administration minutes per client per week"),
        default=thresholds.admin_minutes_per_client,
        help_text=_(
            "Registration, plans, reviews and reports around each active client, per week, on top "
            "of the contacts. The default (settings TEAM_CAPACITY) is calibrated on the standard "
            "norm; a team with a lower norm needs more."
        ),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self):
        return f"{self.name} ({self.code})"


class User(AbstractUser):
    """A member of staff. Role and team decide what they see (see ClientQuerySet.visible_to)."""

    employee_id = models.CharField(
        _("employee id"), max_length=32, unique=True, null=True, blank=True
    )
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    fte = models.DecimalField(
        _("FTE"),
        max_digits=3,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Working time as a fraction of a full-time week."),
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        indexes = [models.Index(fields=["team", "role"])]

    def __str__(self):
        return self.full_name or self.get_username()


class Gender(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    X = "X", _("X (non-binary / not specified)")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Single")
    MARRIED = "married", _("Married")
    PARTNERSHIP = "partnership", _("Registered partnership")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")


class Household(models.TextChoices):
    SINGLE = "single", _("Single")
    SINGLE_PARENT = "single_parent", _("Single parent")
    COUPLE = "couple", _("Couple")
    COUPLE_WITH_CHILDREN = "couple_with_children", _("Couple with children")
    OTHER = "other", _("Other")


class LanguageLevel(models.IntegerChoices):
    """CEFR level of the local language, stored as its rank so 'at least B1' is a range query."""

    A0 = 0, "A0"
    A1 = 1, "A1"
    A2 = 2, "A2"
    B1 = 3, "B1"
    B2 = 4, "B2"
    C1 = 5, "C1"
    C2 = 6, "C2"


class EducationLevel(models.IntegerChoices):
    """ISCED 2011 levels."""

    EARLY_CHILDHOOD = 0, _("0 – Early childhood education")
    PRIMARY = 1, _("1 – Primary education")
    LOWER_SECONDARY = 2, _("2 – Lower secondary")
    UPPER_SECONDARY = 3, _("3 – Upper secondary")
    POST_SECONDARY = 4, _("4 – Post-secondary non-tertiary")
    SHORT_TERTIARY = 5, _("5 – Short-cycle tertiary")
    BACHELOR = 6, _("6 – Bachelor or equivalent")
    MASTER = 7, _("7 – Master or equivalent")
    DOCTORATE = 8, _("8 – Doctoral or equivalent")


class ParticipationStep(models.IntegerChoices):
    ISOLATED = 1, _("1 – Isolated")
    SOCIAL_CONTACTS = 2, _("2 – Social contacts outside the home")
    ORGANISED_ACTIVITIES = 3, _("3 – Participation in organised activities")
    UNPAID_WORK = 4, _("4 – Unpaid work")
    PAID_WORK_WITH_SUPPORT = 5, _("5 – Paid work with support")
    PAID_WORK = 6, _("6 – Paid work")


class ClientStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXITED = "exited", _("Exited")


class ExitReason(models.TextChoices):
    WORK = "work", _("Work")
    EDUCATION = "education", _("Education")
    MOVED = "moved", _("Moved away")
    OTHER = "other", _("Other")


class Client(models.Model):
    client_number = models.CharField(_("client number"), max_length=32, unique=True)
    coach = models.ForeignKey(
        User,
        verbose_name=_("work coach"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clients",
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(
        _("gender"), max_length=1, choices=Gender.choices, null=True, blank=True
    )
    marital_status = models.CharField(
        _("marital status"), max_length=20, choices=MaritalStatus.choices, null=True, blank=True
    )
    household = models.CharField(
        _("household"), max_length=30, choices=Household.choices, null=True, blank=True
    )
    children_count = models.PositiveSmallIntegerField(
        _("number of children"), null=True, blank=True
    )
    youngest_child_birth_date = models.DateField(
        _("youngest child's date of birth"), null=True, blank=True
    )
    education_level = models.PositiveSmallIntegerField(
        _("education level"), choices=EducationLevel.choices, null=True, blank=True
    )
    language_level = models.PositiveSmallIntegerField(
        _("language level"), choices=LanguageLevel.choices, null=True, blank=True
    )
    driving_licence = models.BooleanField(_("driving licence"), null=True, blank=True)
    physical_limitations = models.BooleanField(_("physical limitations"), null=True, blank=True)
    mental_health_issues = models.BooleanField(_("mental health issues"), null=True, blank=True)
    cv_on_file = models.BooleanField(_("CV on file"), null=True, blank=True)
    work_experience = models.JSONField(_("work experience"), null=True, blank=True)
    skills = models.JSONField(_("skills"), null=True, blank=True)
    preferred_sectors = models.JSONField(_("preferred sectors"), null=True, blank=True)
    participation_step = models.PositiveSmallIntegerField(
        _("participation step"), choices=ParticipationStep.choices, null=True, blank=True
    )
    service_track = models.CharField(_("service track"), max_length=50, null=True, blank=True)
    contact_frequency_weeks = models.PositiveSmallIntegerField(
        _("agreed contact frequency (weeks)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    intake_date = models.DateField(_("intake date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ClientStatus.choices, default=ClientStatus.ACTIVE
    )
    exit_date = models.DateField(_("exit date"), null=True, blank=True)
    exit_reason = models.CharField(
        _("exit reason"), max_length=20, choices=ExitReason.choices, null=True, blank=True
    )
    # Not in the registration export: the coach records it here (matching's hours knock-out).
    available_hours_per_week = models.PositiveSmallIntegerField(
        _("available hours per week"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "Hours a week the client can work, as recorded by the coach. Empty: not registered."
        ),
    )

    objects = ClientManager()
    history = HistoricalRecords()  # change log, also of the importer's bulk writes

    class Meta:
        ordering = ["client_number"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        indexes = [
            models.Index(fields=["coach", "status"], name="client_coach_status"),
            models.Index(fields=["status", "exit_date"], name="client_status_exit"),
        ]

    def __str__(self):
        return self.client_number


class Channel(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Face to face")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video")
    EMAIL = "email", _("Email")
    HOME_VISIT = "home_visit", _("Home visit")


class InitiatedBy(models.TextChoices):
    COACH = "coach", _("Coach")
    CLIENT = "client", _("Client")


class Contact(models.Model):
    contact_id = models.CharField(_("contact id"), max_length=32, unique=True)
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="contacts"
    )
    employee = models.ForeignKey(
        User,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )
    date = models.DateField(_("date"))
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, null=True, blank=True
    )
    initiated_by = models.CharField(
        _("initiated by"), max_length=10, choices=InitiatedBy.choices, null=True, blank=True
    )
    topics = models.JSONField(_("topics"), null=True, blank=True)

    objects = ScopedThroughClientQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "contact_id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(fields=["client", "-date"], name="contact_client_date"),
            models.Index(
                fields=["client", "initiated_by", "-date"], name="contact_client_initiator"
            ),
        ]

    def __str__(self):
        return self.contact_id


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class ActionPlan(models.Model):
    plan_id = models.CharField(_("plan id"), max_length=32, unique=True)
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="action_plans"
    )
    created_date = models.DateField(_("created"))
    review_date = models.DateField(_("review date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=PlanStatus.choices)

    objects = ScopedThroughClientQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_date", "plan_id"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        indexes = [
            models.Index(fields=["client", "status", "review_date"], name="plan_client_status")
        ]

    def __str__(self):
        return self.plan_id


class Vacancy(models.Model):
    vacancy_id = models.CharField(_("vacancy id"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=100, null=True, blank=True)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Free text of the vacancy, as the employer wrote it."),
    )
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), null=True, blank=True)
    requires_driving_licence = models.BooleanField(
        _("requires a driving licence"), null=True, blank=True
    )
    min_education_level = models.PositiveSmallIntegerField(
        _("minimum education level"), choices=EducationLevel.choices, null=True, blank=True
    )
    min_language_level = models.PositiveSmallIntegerField(
        _("minimum language level"), choices=LanguageLevel.choices, null=True, blank=True
    )
    physically_demanding = models.BooleanField(_("physically demanding"), null=True, blank=True)
    required_skills = models.JSONField(_("required skills"), null=True, blank=True)
    open_until = models.DateField(_("open until"), null=True, blank=True)

    class Meta:
        ordering = ["open_until", "vacancy_id"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")

    def __str__(self):
        return f"{self.title} ({self.employer})" if self.employer else self.title


class ReferralOutcome(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SENT = "sent", _("Sent")
    INTERVIEW = "interview", _("Interview")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The outcomes a coach may record next (caseload.matching.services.record_outcome). `sent` is not
# among them: only send_referrals, the coach's confirmation, sends. A proposal can be withdrawn.
REFERRAL_TRANSITIONS = {
    ReferralOutcome.PROPOSED: (ReferralOutcome.WITHDRAWN,),
    ReferralOutcome.SENT: (
        ReferralOutcome.INTERVIEW,
        ReferralOutcome.HIRED,
        ReferralOutcome.REJECTED,
        ReferralOutcome.WITHDRAWN,
    ),
    ReferralOutcome.INTERVIEW: (
        ReferralOutcome.HIRED,
        ReferralOutcome.REJECTED,
        ReferralOutcome.WITHDRAWN,
    ),
}
# Referrals that reached the employer: what the team's "referred" figure counts.
SENT_OUTCOMES = (
    ReferralOutcome.SENT,
    ReferralOutcome.INTERVIEW,
    ReferralOutcome.HIRED,
    ReferralOutcome.REJECTED,
)


class Referral(models.Model):
    referral_id = models.CharField(_("referral id"), max_length=40, unique=True)
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="referrals"
    )
    vacancy = models.ForeignKey(
        Vacancy, verbose_name=_("vacancy"), on_delete=models.CASCADE, related_name="referrals"
    )
    date = models.DateField(_("date"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=ReferralOutcome.choices)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty for referrals that came from the registration export."),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        User,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The coach who confirmed sending the referral to the employer."),
    )

    objects = ScopedThroughClientQuerySet.as_manager()
    history = HistoricalRecords()  # who recorded which outcome, and when

    class Meta:
        ordering = ["-date", "referral_id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [models.Index(fields=["client", "-date"], name="referral_client_date")]

    def __str__(self):
        return self.referral_id

    @property
    def next_outcomes(self) -> list[tuple[str, str]]:
        """(value, label) of the outcomes that may be recorded now; empty once final."""
        return [
            (outcome.value, outcome.label) for outcome in REFERRAL_TRANSITIONS.get(self.outcome, ())
        ]


class Workshop(models.Model):
    workshop_id = models.CharField(_("workshop id"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=100, null=True, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "workshop_id"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    def __str__(self):
        return self.title


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    DROPPED_OUT = "dropped_out", _("Dropped out")


class Enrolment(models.Model):
    enrolment_id = models.CharField(_("enrolment id"), max_length=40, unique=True)
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="enrolments"
    )
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="enrolments"
    )
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=12, choices=EnrolmentStatus.choices)

    objects = ScopedThroughClientQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "enrolment_id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self):
        return self.enrolment_id


class ImportRun(models.Model):
    """One run of `import_registrations`: what it read, what it changed and what it rejected."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        PARTIAL = "partial", _("Imported, with rejected rows")
        FAILED = "failed", _("Failed (nothing was changed)")

    # The runs that stored data (a partial run stored its valid rows): what "data as of" means.
    STORED = (Status.SUCCEEDED, Status.PARTIAL)

    source = models.CharField(_("source folder"), max_length=500)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_by = models.ForeignKey(
        User,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self):
        return f"{self.source} @ {self.started_at:%Y-%m-%d %H:%M}"


class ImportReject(models.Model):
    """A row the importer refused, kept with its raw values so nothing is lost."""

    run = models.ForeignKey(
        ImportRun, verbose_name=_("import run"), on_delete=models.CASCADE, related_name="rejects"
    )
    file = models.CharField(_("file"), max_length=100)
    line = models.PositiveIntegerField(_("line"))
    # Every column a reason names, comma-separated: one rejected row is one record.
    column = models.CharField(_("column"), max_length=1000, blank=True)
    reason = models.TextField(_("reason"))
    row = models.JSONField(_("raw row"), default=dict)

    class Meta:
        ordering = ["run", "file", "line"]
        verbose_name = _("rejected row")
        verbose_name_plural = _("rejected rows")

    def __str__(self):
        return f"{self.file}:{self.line} {self.column}"


class ImportConflict(models.Model):
    """A value a user recorded in the app that an import disagreed with. The later event wins (the
    export's by its date column, the app's by when it was recorded); the other value is kept here,
    and the app's also in the record's change history."""

    class Kept(models.TextChoices):
        APP = "app", _("The value recorded in the app")
        EXPORT = "export", _("The value in the export")

    run = models.ForeignKey(
        ImportRun, verbose_name=_("import run"), on_delete=models.CASCADE, related_name="conflicts"
    )
    file = models.CharField(_("file"), max_length=100)
    line = models.PositiveIntegerField(_("line"))
    key = models.CharField(_("key"), max_length=40)
    column = models.CharField(_("column"), max_length=100)
    recorded_value = models.TextField(_("value recorded in the app"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        User,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_value = models.TextField(_("value in the export"), blank=True)
    imported_date = models.DateField(_("date in the export"), null=True, blank=True)
    kept = models.CharField(_("kept"), max_length=10, choices=Kept.choices)

    class Meta:
        ordering = ["run", "file", "line"]
        verbose_name = _("import conflict")
        verbose_name_plural = _("import conflicts")

    def __str__(self):
        return f"{self.file}:{self.line} {self.column}"
