"""QuerySets: the one choke point for who sees what, and the chainable, SQL-side derived figures.

`Client.objects.visible_to(user)` is the only way views, API endpoints and exports read clients
(scheduled jobs act for no person and read all). Contacts, plans, referrals and enrolments are
scoped *through* it.

Derived values are annotations computed by the database from the records (never stored copies),
and each is defined once in the legend (`caseload.legend`).
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

import caseload.models

from . import access

# (key, fewest days ago, most days ago inclusive or None): the last-contact table of the dashboard.
LAST_CONTACT_BANDS = [
    ("4_weeks", 0, 28),
    ("1_3_months", 29, 90),
    ("over_3_months", 91, None),
]

AGE_BANDS = [
    # (key, lower age inclusive, upper age exclusive or None)
    ("under_27", 0, 27),
    ("27_34", 27, 35),
    ("35_44", 35, 45),
    ("45_54", 45, 55),
    ("55_plus", 55, None),
]
YOUNG_CHILD_AGE = 12
# Fields a complete client record has registered (team figure "data completeness").
KEY_FIELDS = (
    "date_of_birth",
    "education_level",
    "language_level",
    "participation_step",
    "contact_frequency_weeks",
    "intake_date",
    "driving_licence",
    "cv_on_file",
)


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def default_today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def period_start(period: str, today: datetime.date | None = None) -> datetime.date:
    """First day of the current calendar month, quarter or year."""
    today = default_today(today)
    if period == "month":
        return today.replace(day=1)
    if period == "quarter":
        return today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    if period == "year":
        return today.replace(month=1, day=1)
    raise ValueError(f"unknown period {period!r}")


def last_contact_band_condition(fewest: int, most: int | None, today: datetime.date) -> Q:
    """Last contact between `fewest` and `most` days ago, both inclusive (`most` None: no limit).
    Needs with_last_contact()."""
    condition = Q(last_contact_date__lte=today - datetime.timedelta(days=fewest))
    if most is not None:
        condition &= Q(last_contact_date__gte=today - datetime.timedelta(days=most))
    return condition


def age_band_condition(lower: int, upper: int | None, today: datetime.date) -> Q:
    """Born on or before `today - lower years` and (if bounded) after `today - upper years`."""
    condition = Q(date_of_birth__lte=years_before(today, lower))
    if upper is not None:
        condition &= Q(date_of_birth__gt=years_before(today, upper))
    return condition


def age_band_expression(today: datetime.date) -> Case:
    """The AGE_BANDS key of a client's age today, in SQL (NULL when the date of birth is empty)."""
    return Case(
        *(
            When(age_band_condition(lower, upper, today), then=Value(key))
            for key, lower, upper in AGE_BANDS
        ),
        default=None,
        output_field=models.CharField(),
    )


def single_parent_young_child_condition(today: datetime.date) -> Q:
    """A single parent whose youngest child is under YOUNG_CHILD_AGE today."""
    return Q(
        household="single_parent",
        youngest_child_birth_date__gt=years_before(today, YOUNG_CHILD_AGE),
    )


def active_plans():
    """The action plans in force of the client in the outer query (for Exists)."""
    return caseload.models.ActionPlan.objects.filter(
        client=OuterRef("pk"), status=caseload.models.PlanStatus.ACTIVE
    )


class AddDays(models.Func):
    """date + n days, where n is an expression (e.g. the client's agreed frequency in weeks × 7).

    Django has no portable date + integer-column arithmetic, so each backend gets its own SQL.
    """

    output_field = models.DateField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra_context):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        days_sql, days_params = compiler.compile(self.source_expressions[1])
        return f"date({date_sql}, '+' || ({days_sql}) || ' days')", [*date_params, *days_params]

    def as_postgresql(self, compiler, connection, **extra_context):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        days_sql, days_params = compiler.compile(self.source_expressions[1])
        return f"(({date_sql})::date + ({days_sql})::integer)", [*date_params, *days_params]


class DaysSince(models.Func):
    """Whole days from a date expression to a fixed day (NULL stays NULL); per backend, like AddDays."""

    output_field = models.IntegerField()
    arity = 1

    def __init__(self, expression, day: datetime.date, **extra):
        super().__init__(expression, **extra)
        self.day = day

    def as_sqlite(self, compiler, connection, **extra_context):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        return f"CAST(julianday(%s) - julianday({date_sql}) AS INTEGER)", [
            self.day.isoformat(),
            *date_params,
        ]

    def as_postgresql(self, compiler, connection, **extra_context):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        return f"(%s::date - ({date_sql})::date)", [self.day, *date_params]


class ClientQuerySet(models.QuerySet):
    # --- scoping -------------------------------------------------------------------------------
    def visible_to(self, user) -> ClientQuerySet:
        """The clients `user` may see (the scopes are in caseload.access: a coach their caseload,
        a quality officer or team manager their team's caseloads, a superuser everything)."""
        condition = access.client_condition(user)
        return self.none() if condition is None else self.filter(condition)

    # --- status --------------------------------------------------------------------------------
    def active(self):
        return self.filter(status="active")

    def exited(self):
        return self.filter(status="exited")

    # --- annotations -----------------------------------------------------------------------------
    def with_last_contact(self):
        """last_contact_date: date of the most recent registered contact (NULL: never)."""
        if "last_contact_date" in self.query.annotations:
            return self

        latest = (
            caseload.models.Contact.objects.filter(client=OuterRef("pk"))
            .order_by("-date")
            .values("date")[:1]
        )
        return self.annotate(last_contact_date=Subquery(latest, output_field=models.DateField()))

    def with_contact_due(self):
        """contact_due_date: last contact (or intake, if never contacted) + agreed frequency.

        NULL when the agreed frequency is not registered, or neither date is known.
        """
        if "contact_due_date" in self.query.annotations:
            return self
        return self.with_last_contact().annotate(
            contact_due_date=AddDays(
                Coalesce(F("last_contact_date"), F("intake_date")),
                F("contact_frequency_weeks") * Value(7),
            )
        )

    def with_days_since_last_contact(self, today: datetime.date | None = None):
        """days_since_last_contact: whole days from the last contact to today (NULL: never contacted)."""
        return self.with_last_contact().annotate(
            days_since_last_contact=DaysSince(F("last_contact_date"), default_today(today))
        )

    def with_age(self, today: datetime.date | None = None):
        """age: whole years today, in SQL (NULL when the date of birth is not registered)."""
        today = default_today(today)
        birthday_still_to_come = Case(
            When(
                Q(date_of_birth__month__gt=today.month)
                | Q(date_of_birth__month=today.month, date_of_birth__day__gt=today.day),
                then=Value(1),
            ),
            default=Value(0),
            output_field=models.IntegerField(),
        )
        return self.annotate(
            age=Value(today.year) - ExtractYear("date_of_birth") - birthday_still_to_come
        )

    def with_active_plan(self):
        """has_active_plan: the client has an action plan whose status is 'active'."""
        return self.annotate(has_active_plan=Exists(active_plans()))

    def with_plan_flags(self, today: datetime.date | None = None):
        """has_active_plan, plan_review_overdue (an active plan whose review date has passed)."""
        overdue = active_plans().filter(review_date__lt=default_today(today))
        return self.with_active_plan().annotate(plan_review_overdue=Exists(overdue))

    def with_monitoring(self, today: datetime.date | None = None):
        return self.with_contact_due().with_days_since_last_contact(today).with_plan_flags(today)

    # --- characteristic filters -------------------------------------------------------------------
    def in_age_band(self, band: str, today: datetime.date | None = None):
        today = default_today(today)
        for key, lower, upper in AGE_BANDS:
            if key == band:
                return self.filter(age_band_condition(lower, upper, today))
        raise ValueError(f"unknown age band {band!r}")

    def with_age_band(self, today: datetime.date | None = None):
        """age_band: the AGE_BANDS key, computed in SQL (NULL when the date of birth is empty)."""
        return self.annotate(age_band=age_band_expression(default_today(today)))

    def single_parent_with_young_child(self, today: datetime.date | None = None):
        """Single parents whose youngest child is under 12 today."""
        return self.filter(single_parent_young_child_condition(default_today(today)))

    def new_in_month(self, today: datetime.date | None = None):
        """Clients whose intake date lies in the current calendar month, up to today."""
        today = default_today(today)
        return self.filter(intake_date__gte=period_start("month", today), intake_date__lte=today)

    def exited_in_period(self, period: str, today: datetime.date | None = None):
        """Exited clients whose exit date lies in the current month / quarter / year, up to today."""
        today = default_today(today)
        return self.exited().filter(
            exit_date__gte=period_start(period, today), exit_date__lte=today
        )

    # --- monitoring filters -------------------------------------------------------------------
    def contact_overdue(self, today: datetime.date | None = None):
        """Active clients whose contact due date (see with_contact_due) lies before today."""
        return self.active().with_contact_due().filter(contact_due_date__lt=default_today(today))

    def not_seen_for(self, days: int, today: datetime.date | None = None):
        """No contact in the last `days` days: last contact before the cutoff, or never contacted
        while on the caseload longer than that (or intake date unknown)."""
        cutoff = default_today(today) - datetime.timedelta(days=days)
        return self.with_last_contact().filter(
            Q(last_contact_date__lt=cutoff)
            | Q(last_contact_date__isnull=True)
            & (Q(intake_date__lt=cutoff) | Q(intake_date__isnull=True))
        )

    def without_active_plan(self):
        return self.exclude(Exists(active_plans()))

    def plan_review_overdue(self, today: datetime.date | None = None):
        """Clients with an active action plan whose review date lies before today."""
        return self.filter(Exists(active_plans().filter(review_date__lt=default_today(today))))

    def quiet(self, days: int, today: datetime.date | None = None):
        """No contact initiated by the client in the last `days` days."""
        cutoff = default_today(today) - datetime.timedelta(days=days)
        return self.exclude(
            Exists(
                caseload.models.Contact.objects.filter(
                    client=OuterRef("pk"),
                    initiated_by=caseload.models.InitiatedBy.CLIENT,
                    date__gte=cutoff,
                )
            )
        )

    # --- figures the team manager dashboard counts per coach ----------------------------------------
    def contact_due_within(self, days: int, today: datetime.date | None = None):
        """Active clients whose contact falls due from today up to `days` days ahead (not overdue)."""
        today = default_today(today)
        return (
            self.active()
            .with_contact_due()
            .filter(
                contact_due_date__gte=today,
                contact_due_date__lt=today + datetime.timedelta(days=days),
            )
        )

    def seen_within_frequency(self, today: datetime.date | None = None):
        """Active clients with an agreed frequency whose last contact lies within that frequency
        before today (last contact + frequency >= today). Never contacted: not seen."""
        return (
            self.active()
            .with_last_contact()
            .alias(
                seen_until=AddDays(F("last_contact_date"), F("contact_frequency_weeks") * Value(7))
            )
            .filter(seen_until__gte=default_today(today))
        )

    def without_contact_frequency(self):
        return self.active().filter(contact_frequency_weeks__isnull=True)

    def missing_key_fields(self):
        """Active clients with at least one of KEY_FIELDS not registered."""
        condition = Q()
        for field in KEY_FIELDS:
            condition |= Q(**{f"{field}__isnull": True})
        return self.active().filter(condition)

    def with_health_flag(self):
        """Active clients with physical limitations or mental health issues registered as yes."""
        return self.active().filter(Q(physical_limitations=True) | Q(mental_health_issues=True))

    def exited_to_work_since(self, since: datetime.date):
        return self.filter(status="exited", exit_reason="work", exit_date__gte=since)

    def exited_to_work_until(self, until: datetime.date):
        return self.filter(status="exited", exit_reason="work", exit_date__lte=until)

    def referred_since(self, since: datetime.date):
        """Clients with at least one referral that reached the employer (SENT_OUTCOMES: not a mere
        proposal, nor one withdrawn) dated on or after `since`."""
        return self.filter(
            Exists(
                caseload.models.Referral.objects.filter(
                    client=OuterRef("pk"),
                    date__gte=since,
                    outcome__in=caseload.models.SENT_OUTCOMES,
                )
            )
        )


class ClientManager(models.Manager.from_queryset(ClientQuerySet)):
    pass


class ScopedThroughClientQuerySet(models.QuerySet):
    """For records that belong to a client: visible exactly when their client is."""

    def visible_to(self, user):
        return self.filter(client__in=caseload.models.Client.objects.visible_to(user).values("pk"))
