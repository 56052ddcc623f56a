"""The files of the export and how each column becomes a model field (docs/registration-export.md).

Every parser takes the cell's text (already stripped) and returns a Python value or raises
ValueError with the reason, which becomes the rejected row's reason.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import models
from django.utils.translation import gettext as _

from caseload.models import (
    ActionPlan,
    Channel,
    Client,
    ClientStatus,
    Contact,
    Enrolment,
    EnrolmentStatus,
    ExitReason,
    Gender,
    Household,
    InitiatedBy,
    LanguageLevel,
    MaritalStatus,
    PlanStatus,
    Referral,
    ReferralOutcome,
    Role,
    Team,
    TeamKind,
    User,
    Vacancy,
    Workshop,
)

# The column that names a client: the key of clients.csv and the reference in the files about them.
CLIENT_COLUMN = "client_number"
MAX_CELL_LENGTH = 2000


@dataclass(frozen=True)
class Column:
    """How one CSV column becomes one model field. A column that names a row of another file
    (`refers_to`, that file's kind) holds its key; the field is the foreign key."""

    name: str
    field: str
    parse: Callable[[str, Any], Any]
    required: bool = False
    refers_to: str | None = None


def text(max_length: int = 200):
    def parse(value: str, ctx) -> str | None:
        if len(value) > max_length:
            raise ValueError(_("longer than %(n)d characters") % {"n": max_length})
        return value or None

    return parse


def choice(choices: type[models.Choices]):
    allowed = [str(value) for value in choices.values]
    allowed_set = frozenset(allowed)

    def parse(value: str, ctx):
        if value == "":
            return None
        if value not in allowed_set:
            raise ValueError(
                _("'%(value)s' is not one of %(allowed)s")
                % {"value": value, "allowed": ", ".join(allowed)}
            )
        return value

    return parse


def language_level(value: str, ctx):
    if value == "":
        return None
    for level in LanguageLevel:
        if level.label == value.upper():
            return level.value
    raise ValueError(
        _("'%(value)s' is not a CEFR level (A0, A1, A2, B1, B2, C1, C2)") % {"value": value}
    )


def yes_no(value: str, ctx):
    if value == "":
        return None
    lowered = value.lower()
    if lowered not in ("yes", "no"):
        raise ValueError(_("'%(value)s' is not yes or no") % {"value": value})
    return lowered == "yes"


def integer(minimum: int, maximum: int | None = None):
    def parse(value: str, ctx):
        if value == "":
            return None
        try:
            number = int(value)
        except ValueError:
            raise ValueError(_("'%(value)s' is not a whole number") % {"value": value}) from None
        if number < minimum or (maximum is not None and number > maximum):
            limit = f"{minimum}–{maximum}" if maximum is not None else f"≥ {minimum}"
            raise ValueError(
                _("%(value)s is outside the range %(range)s") % {"value": number, "range": limit}
            )
        return number

    return parse


def date(past_only: bool):
    def parse(value: str, ctx):
        if value == "":
            return None
        try:
            parsed = datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError(
                _("'%(value)s' is not a valid date (YYYY-MM-DD)") % {"value": value}
            ) from None
        if len(value) != 10:
            raise ValueError(_("'%(value)s' is not a valid date (YYYY-MM-DD)") % {"value": value})
        if past_only and parsed > ctx.today:
            raise ValueError(_("%(value)s lies in the future") % {"value": value})
        return parsed

    return parse


def semicolon_list(value: str, ctx):
    if value == "":
        return None
    return [item.strip() for item in value.split(";") if item.strip()]


def reference(value: str, ctx) -> str | None:
    """A natural key of another file, kept as text: resolved set-wise against the database."""
    return value or None


# --- the files -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileSpec:
    filename: str
    model: type[models.Model]
    key_column: str
    key_field: str
    columns: tuple[Column, ...]
    required_file: bool = False
    # Values every new row gets (e.g. an unusable password for staff).
    defaults_for_new: Callable[[], dict] | None = None
    # Fields a user also records in the app, and the column dating the export's value: when the
    # two disagree, the later event wins and the other value is reported as a conflict.
    recorded_in_app: tuple[str, ...] = ()
    event_date_field: str | None = None
    # Columns whose values belong to one key only (a username).
    unique_columns: tuple[str, ...] = ()

    @property
    def header(self) -> list[str]:
        """Every column of the file, the key first: the order the demo export writes."""
        return [self.key_column, *(column.name for column in self.columns)]

    @property
    def kind(self) -> str:
        return self.filename.removesuffix(".csv")


def unusable_password() -> dict:
    return {"password": make_password(None)}


FILES: tuple[FileSpec, ...] = (
    FileSpec(
        "teams.csv",
        Team,
        "team_code",
        "code",
        (
            Column("name", "name", text(200), required=True),
            Column("kind", "kind", choice(TeamKind), required=True),
        ),
        required_file=True,
    ),
    FileSpec(
        "staff.csv",
        User,
        "employee_id",
        "employee_id",
        (
            Column("username", "username", text(150), required=True),
            Column("full_name", "full_name", text(200)),
            Column("email", "email", text(254)),
            Column("role", "role", choice(Role), required=True),
            Column("team_code", "team_id", reference, refers_to="teams"),
        ),
        required_file=True,
        defaults_for_new=unusable_password,
        unique_columns=("username",),
    ),
    FileSpec(
        "clients.csv",
        Client,
        "client_number",
        "client_number",
        (
            Column("coach_employee_id", "coach_id", reference, refers_to="staff"),
            Column("date_of_birth", "date_of_birth", date(past_only=True)),
            Column("gender", "gender", choice(Gender)),
            Column("marital_status", "marital_status", choice(MaritalStatus)),
            Column("household", "household", choice(Household)),
            Column("children_count", "children_count", integer(0, 30)),
            Column("youngest_child_birth_date", "youngest_child_birth_date", date(past_only=True)),
            Column("education_level", "education_level", integer(0, 8)),
            Column("language_level", "language_level", language_level),
            Column("driving_licence", "driving_licence", yes_no),
            Column("physical_limitations", "physical_limitations", yes_no),
            Column("mental_health_issues", "mental_health_issues", yes_no),
            Column("cv_on_file", "cv_on_file", yes_no),
            Column("work_experience", "work_experience", semicolon_list),
            Column("skills", "skills", semicolon_list),
            Column("preferred_sectors", "preferred_sectors", semicolon_list),
            Column("participation_step", "participation_step", integer(1, 6)),
            Column("service_track", "service_track", text(50)),
            Column("contact_frequency_weeks", "contact_frequency_weeks", integer(1, 520)),
            Column("intake_date", "intake_date", date(past_only=True)),
            Column("status", "status", choice(ClientStatus), required=True),
            Column("exit_date", "exit_date", date(past_only=True)),
            Column("exit_reason", "exit_reason", choice(ExitReason)),
        ),
        required_file=True,
    ),
    FileSpec(
        "contacts.csv",
        Contact,
        "contact_id",
        "contact_id",
        (
            Column("client_number", "client_id", reference, required=True, refers_to="clients"),
            Column("employee_id", "employee_id", reference, refers_to="staff"),
            Column("date", "date", date(past_only=True), required=True),
            Column("channel", "channel", choice(Channel)),
            Column("initiated_by", "initiated_by", choice(InitiatedBy)),
            Column("topics", "topics", semicolon_list),
        ),
    ),
    FileSpec(
        "action_plans.csv",
        ActionPlan,
        "plan_id",
        "plan_id",
        (
            Column("client_number", "client_id", reference, required=True, refers_to="clients"),
            Column("created_date", "created_date", date(past_only=True), required=True),
            Column("review_date", "review_date", date(past_only=False)),
            Column("status", "status", choice(PlanStatus), required=True),
        ),
    ),
    FileSpec(
        "vacancies.csv",
        Vacancy,
        "vacancy_id",
        "vacancy_id",
        (
            Column("title", "title", text(200), required=True),
            Column("employer", "employer", text(200)),
            Column("sector", "sector", text(100)),
            Column("hours_per_week", "hours_per_week", integer(1, 80)),
            Column("requires_driving_licence", "requires_driving_licence", yes_no),
            Column("min_education_level", "min_education_level", integer(0, 8)),
            Column("min_language_level", "min_language_level", language_level),
            Column("physically_demanding", "physically_demanding", yes_no),
            Column("required_skills", "required_skills", semicolon_list),
            Column("open_until", "open_until", date(past_only=False)),
        ),
    ),
    FileSpec(
        "referrals.csv",
        Referral,
        "referral_id",
        "referral_id",
        (
            Column("client_number", "client_id", reference, required=True, refers_to="clients"),
            Column("vacancy_id", "vacancy_id", reference, required=True, refers_to="vacancies"),
            Column("date", "date", date(past_only=True), required=True),
            Column("outcome", "outcome", choice(ReferralOutcome), required=True),
        ),
        recorded_in_app=("outcome",),
        event_date_field="date",
    ),
    FileSpec(
        "workshops.csv",
        Workshop,
        "workshop_id",
        "workshop_id",
        (
            Column("title", "title", text(200), required=True),
            Column("theme", "theme", text(100)),
            Column("starts_on", "starts_on", date(past_only=False)),
            Column("capacity", "capacity", integer(0, 10000)),
        ),
    ),
    FileSpec(
        "enrolments.csv",
        Enrolment,
        "enrolment_id",
        "enrolment_id",
        (
            Column("client_number", "client_id", reference, required=True, refers_to="clients"),
            Column("workshop_id", "workshop_id", reference, required=True, refers_to="workshops"),
            Column("date", "date", date(past_only=True), required=True),
            Column("status", "status", choice(EnrolmentStatus), required=True),
        ),
    ),
)


FILES_BY_KIND = {spec.kind: spec for spec in FILES}
