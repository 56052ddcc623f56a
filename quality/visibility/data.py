"""Selector for the visibility report: ONE grouped SQL aggregate → atomic cells.

`Client.objects.visible_to(user).active()` is grouped by every configured characteristic at once
(each an expression: Case/When for age band and the single-parent-with-a-young-child household,
NULL for "not registered"), with per-cell sums of every service measure. The number of rows is
bounded by the combinations present in the data, not by the number of clients, and the query count
is one whatever the caseload size.

Median days since last contact cannot be merged from per-cell medians, so each atomic cell carries
a histogram of days since the last contact (since intake when never contacted), binned in SQL at
`visibility.CONTACT_DAY_EDGES`: the bin is one more GROUP BY column (computed inside the per-client
last-contact subquery), and the per-bin rows are merged into cells. A group's median is interpolated
from its merged histogram. This keeps one query for all depths at the price of an approximate
median (exact to the bin).
"""

from __future__ import annotations

import datetime

from django.db.models import (
    Case,
    CharField,
    Count,
    DurationField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from caseload import thresholds as caseload_thresholds
from caseload.models import Client, Contact, Enrolment, Referral
from caseload.querysets import age_band_expression, single_parent_young_child_condition

from . import thresholds
from .engine import CONTACT_DAY_COLUMNS, CONTACT_DAY_EDGES, UNKNOWN

DAYS_PER_MONTH = 365.25 / 12
SINGLE_PARENT_YOUNG_CHILD = "single_parent_young_child"

# time on benefit bands, for stratification (days since intake)
TIME_ON_BENEFIT_BANDS = [("under_1y", 0, 365), ("1_3y", 365, 3 * 365), ("3y_plus", 3 * 365, None)]


def household_expression(today: datetime.date):
    """The registered household, with single parents whose youngest child is under 12 apart."""
    return Case(
        When(single_parent_young_child_condition(today), then=Value(SINGLE_PARENT_YOUNG_CHILD)),
        default=F("household"),
        output_field=CharField(),
    )


def time_on_benefit_expression(today: datetime.date):
    whens = []
    for key, lower, upper in TIME_ON_BENEFIT_BANDS:
        condition = Q(intake_date__lte=today - datetime.timedelta(days=lower))
        if upper is not None:
            condition &= Q(intake_date__gt=today - datetime.timedelta(days=upper))
        whens.append(When(condition, then=Value(key)))
    return Case(*whens, default=Value(None), output_field=CharField())


def characteristic_expressions(today: datetime.date) -> dict:
    """Each characteristic as an SQL expression; NULL is 'not registered' (made `unknown` later)."""
    return {
        "gender": F("gender"),
        "household": household_expression(today),
        "age_band": age_band_expression(today),
        "education_level": F("education_level"),
        "language_level": F("language_level"),
        "physical_limitations": F("physical_limitations"),
        "mental_health_issues": F("mental_health_issues"),
        "participation_step": F("participation_step"),
        "team_kind": F("coach__team__kind"),
        "time_on_benefit": time_on_benefit_expression(today),
    }


CHARACTERISTIC_NAMES = tuple(characteristic_expressions(datetime.date(2000, 1, 1)))


def encode(value) -> str:
    """Cell values as strings: NULL → 'unknown', booleans → 'yes'/'no', numbers as text."""
    if value is None or value == "":
        return UNKNOWN
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def measure_aggregates(today: datetime.date, not_seen_days: int, period_days: int) -> dict:
    """Per-cell sums of every service measure (over an annotated queryset, see atomic_cells)."""
    period_start = today - datetime.timedelta(days=period_days)
    period = datetime.timedelta(days=period_days)
    exposure = Case(
        When(Q(intake_date__isnull=True) | Q(intake_date__lte=period_start), then=Value(period)),
        When(intake_date__gt=today, then=Value(datetime.timedelta(0))),
        default=Value(today) - F("intake_date"),
        output_field=DurationField(),
    )
    aggregates = {
        "clients": Count("pk"),
        # = contact_due_date IS NOT NULL, without a second last-contact lookup
        "frequency_known": Count(
            "pk",
            filter=Q(contact_frequency_weeks__isnull=False)
            & (Q(intake_date__isnull=False) | Q(has_contact=True)),
        ),
        "contact_on_time": Count("pk", filter=Q(contact_due_date__gte=today)),
        "active_plan": Count("pk", filter=Q(has_active_plan=True)),
        "referred": Count("pk", filter=Q(referred_in_period=True)),
        "enrolled": Count("pk", filter=Q(enrolled_in_period=True)),
        "contacts": Coalesce(Sum("contacts_in_period"), 0),
        "exposure": Sum(exposure),
    }
    return aggregates


def contact_day_splits(not_seen_days: int) -> list[int]:
    """Upper bounds (days, exclusive) of the SQL bins: the histogram edges plus not_seen_days + 1,
    so 'seen in the last N days' (N days or fewer) can be read from the same bins."""
    finite = [int(upper) for upper in CONTACT_DAY_EDGES[1:] if upper != float("inf")]
    return sorted({*finite, not_seen_days + 1})


def contact_bin_expression(today: datetime.date, not_seen_days: int):
    """Index of the bin (see contact_day_splits; one past the last for the open top bin) of days
    since the last contact, since intake when never contacted, the top bin when neither is known.
    Computed inside the per-client last-contact subquery, so that lookup runs once per client, and
    used as one more GROUP BY column."""
    splits = contact_day_splits(not_seen_days)

    def bins(field):
        whens = [
            When(**{f"{field}__gt": today - datetime.timedelta(days=upper)}, then=Value(index))
            for index, upper in enumerate(splits)
        ]
        return Case(*whens, default=Value(len(splits)), output_field=IntegerField())

    last_contact_bin = (
        Contact.objects.filter(client=OuterRef("pk"))
        .order_by()
        .values("client")
        .annotate(last=Max("date"))
        .annotate(bin=bins("last"))
        .values("bin")
    )
    return Coalesce(Subquery(last_contact_bin, output_field=IntegerField()), bins("intake_date"))


def bin_meaning(not_seen_days: int) -> list[tuple[str, bool]]:
    """For each SQL bin: (histogram column, whether its clients count as seen recently)."""
    splits = contact_day_splits(not_seen_days)
    lowers = [0, *splits]
    meaning = []
    for index, lower in enumerate(lowers):
        column = max(i for i, edge in enumerate(CONTACT_DAY_EDGES[:-1]) if edge <= lower)
        seen = index < len(splits) and splits[index] <= not_seen_days + 1
        meaning.append((CONTACT_DAY_COLUMNS[column], seen))
    return meaning


def atomic_cells(
    user,
    characteristics,
    today: datetime.date,
    not_seen_days: int | None = None,
    period_days: int | None = None,
    team=None,
) -> list[dict]:
    """One row per combination of all `characteristics` among the active clients `user` may see
    (narrowed to the caseloads of `team`'s coaches when given). The thresholds default to the
    configured ones."""
    not_seen_days = not_seen_days or caseload_thresholds.not_seen_days()
    period_days = period_days or thresholds.configured("PERIOD_DAYS")
    expressions = characteristic_expressions(today)
    period_start = today - datetime.timedelta(days=period_days)
    contacts_in_period = (
        Contact.objects.filter(client=OuterRef("pk"), date__gte=period_start, date__lte=today)
        .order_by()
        .values("client")
        .annotate(number=Count("pk"))
        .values("number")
    )
    # user None: the scheduled job, which is not a person and reads every client (or `team`'s).
    clients = (Client.objects.all() if user is None else Client.objects.visible_to(user)).active()
    if team is not None:
        clients = clients.filter(coach__team=team)
    queryset = (
        clients.with_contact_due()
        .with_active_plan()
        .annotate(
            has_contact=Exists(Contact.objects.filter(client=OuterRef("pk"))),
            referred_in_period=Exists(
                Referral.objects.filter(client=OuterRef("pk"), date__gte=period_start)
            ),
            enrolled_in_period=Exists(
                Enrolment.objects.filter(client=OuterRef("pk"), date__gte=period_start)
            ),
            contacts_in_period=Coalesce(Subquery(contacts_in_period), 0),
            contact_bin=contact_bin_expression(today, not_seen_days),
            **{f"char_{name}": expressions[name] for name in characteristics},
        )
        .order_by()
        .values(*(f"char_{name}" for name in characteristics), "contact_bin")
        .annotate(**measure_aggregates(today, not_seen_days, period_days))
    )
    # Rows are split by contact bin; merge them into one cell per combination (a loop over
    # aggregated rows, never over clients).
    meaning = bin_meaning(not_seen_days)
    cells: dict[tuple, dict] = {}
    for row in queryset:
        key = tuple(encode(row.pop(f"char_{name}")) for name in characteristics)
        cell = cells.setdefault(
            key,
            {
                **dict(zip(characteristics, key, strict=True)),
                **dict.fromkeys(CONTACT_DAY_COLUMNS, 0),
                "seen_recently": 0,
            },
        )
        column, seen = meaning[row.pop("contact_bin")]
        cell[column] += row["clients"]
        cell["seen_recently"] += row["clients"] if seen else 0
        exposure = row.pop("exposure") or datetime.timedelta(0)
        months = exposure.total_seconds() / 86400 / DAYS_PER_MONTH
        cell["exposure_months"] = cell.get("exposure_months", 0.0) + months
        for column, value in row.items():
            cell[column] = cell.get(column, 0) + int(value or 0)
    for cell in cells.values():
        cell["exposure_months"] = round(cell["exposure_months"], 4)
    return list(cells.values())
