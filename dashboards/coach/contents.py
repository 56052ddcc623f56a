"""What the work coach dashboard shows: its figures, declared once each as client-list filter
parameters (caseload.figures counts them with the client list's own FilterSet and links to that
list), in page order."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from caseload import codes, legend, thresholds
from caseload.figures import Figure, figure
from caseload.filters import AGE_BAND_CHOICES, LAST_CONTACT_CHOICES, TRISTATE_CHOICES, UNKNOWN
from caseload.models import (
    EducationLevel,
    ExitReason,
    Gender,
    Household,
    LanguageLevel,
    MaritalStatus,
    ParticipationStep,
)

ACTIVE = (("status", "active"),)


def overview_figures() -> list[Figure]:
    other_reasons = [
        ("exit_reason", value) for value in ExitReason.values if value != ExitReason.WORK
    ]
    return [
        figure("active_clients", *ACTIVE),
        figure("new_this_month", ("new_this_month", "true")),
        figure("exited_to_work", ("exited_in", "quarter"), ("exit_reason", ExitReason.WORK)),
        figure(
            "exited_otherwise", ("exited_in", "quarter"), *other_reasons, ("exit_reason", UNKNOWN)
        ),
    ]


def chosen_thresholds(query: QueryDict) -> dict[str, int]:
    """The not-seen and quiet thresholds in days: from the page's query, else the settings."""
    return {
        name: thresholds.days_from(query.get(name), default)
        for name, default in (
            ("not_seen_days", thresholds.not_seen_days()),
            ("quiet_days", thresholds.quiet_days()),
        )
    }


def monitoring_figures(base: QueryDict) -> list[Figure]:
    days = chosen_thresholds(base)
    return [
        figure("contact_overdue", ("contact_overdue", "true")),
        figure("not_seen", ("not_seen", "true"), ("not_seen_days", str(days["not_seen_days"]))),
        figure("no_active_plan", ("no_active_plan", "true")),
        figure("plan_review_overdue", ("plan_review_overdue", "true")),
        figure("no_cv", *ACTIVE, ("cv_on_file", "no")),
        figure("cv_not_registered", *ACTIVE, ("cv_on_file", UNKNOWN)),
        figure("quiet", ("quiet", "true"), ("quiet_days", str(days["quiet_days"]))),
    ]


# (filter name, legend key, choices) of each characteristic shown, in page order.
CHARACTERISTICS = [
    ("age_band", "age_band", AGE_BAND_CHOICES),
    ("gender", "gender", Gender.choices),
    ("household", "household", Household.choices),
    ("marital_status", "marital_status", MaritalStatus.choices),
    ("education_level", "education_level", EducationLevel.choices),
    ("language_level", "language_level", LanguageLevel.choices),
    ("participation_step", "participation_step", ParticipationStep.choices),
    ("service_track", "service_track", None),  # free codes: the values come from the data
    ("driving_licence", "driving_licence", TRISTATE_CHOICES[:2]),
    ("physical_limitations", "physical_limitations", TRISTATE_CHOICES[:2]),
    ("mental_health_issues", "mental_health_issues", TRISTATE_CHOICES[:2]),
]


@dataclass
class Characteristic:
    name: str
    label: str
    definition: str
    values: list[Figure]
    unknown: Figure


def characteristics(service_tracks: list[str]) -> list[Characteristic]:
    """One table per characteristic: a figure per value plus one for 'not registered'."""
    result = []
    for name, legend_key, choices in CHARACTERISTICS:
        if choices is None:
            choices = [(code, codes.service_track(code)) for code in service_tracks]
        values = [
            Figure(
                key=f"{name}={value}",
                params=(*ACTIVE, (name, str(value))),
                label=str(label),
                definition=legend_key,
            )
            for value, label in choices
        ]
        if name == "household":  # "of which" sits right under its parent, single parent
            parent = next(i for i, fig in enumerate(values) if fig.key == "household=single_parent")
            values.insert(
                parent + 1,
                figure("single_parent_young_child", *ACTIVE, ("single_parent_young_child", "true")),
            )
        unknown = Figure(
            key=f"{name}=unknown",
            params=(*ACTIVE, (name, UNKNOWN)),
            label=str(_("Not registered")),
            definition="not_registered",
        )
        result.append(
            Characteristic(name, str(legend.get(legend_key).label), legend_key, values, unknown)
        )
    return result


def last_contact_table() -> Characteristic:
    """Active clients by how long ago their last contact was; 'never' instead of 'not registered'."""
    values = [
        Figure(
            key=f"last_contact={value}",
            params=(*ACTIVE, ("last_contact", value)),
            label=str(label),
            definition="last_contact",
        )
        for value, label in LAST_CONTACT_CHOICES
    ]
    never = Figure(
        key="last_contact=unknown",
        params=(*ACTIVE, ("last_contact", UNKNOWN)),
        label=str(_("Never contacted")),
        definition="last_contact",
    )
    return Characteristic(
        "last_contact", str(legend.get("last_contact").label), "last_contact", values, never
    )


def all_characteristic_figures(tables: list[Characteristic]) -> list[Figure]:
    return [fig for table in tables for fig in (*table.values, table.unknown)]
