"""Words for the visibility report: characteristic and value labels, plain sentences, drill-down links.

The report itself stores only keys (so a run is language-independent and reproducible); pages,
CSV and API put words on them here.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caseload import thresholds
from caseload.figures import client_list_url
from caseload.filters import AGE_BAND_LABELS
from caseload.models import (
    EducationLevel,
    Gender,
    Household,
    LanguageLevel,
    ParticipationStep,
    TeamKind,
)

from .data import SINGLE_PARENT_YOUNG_CHILD, TIME_ON_BENEFIT_BANDS
from .engine import UNKNOWN

YES_NO = {"yes": gettext_lazy("yes"), "no": gettext_lazy("no")}


def _choices(choices) -> dict:
    return {str(value): label for value, label in choices}


CHARACTERISTICS = {
    "gender": (gettext_lazy("Gender"), _choices(Gender.choices)),
    "household": (
        gettext_lazy("Household"),
        {
            **_choices(Household.choices),
            SINGLE_PARENT_YOUNG_CHILD: gettext_lazy("Single parent with a child under 12"),
            "single_parent": gettext_lazy("Single parent, no child under 12 registered"),
        },
    ),
    "age_band": (gettext_lazy("Age band"), dict(AGE_BAND_LABELS)),
    "education_level": (gettext_lazy("Education level"), _choices(EducationLevel.choices)),
    "language_level": (gettext_lazy("Language level"), _choices(LanguageLevel.choices)),
    "physical_limitations": (gettext_lazy("Physical limitations"), YES_NO),
    "mental_health_issues": (gettext_lazy("Mental health issues"), YES_NO),
    "participation_step": (gettext_lazy("Participation step"), _choices(ParticipationStep.choices)),
    "team_kind": (gettext_lazy("Team kind"), _choices(TeamKind.choices)),
    "time_on_benefit": (
        gettext_lazy("Time on benefit"),
        {
            TIME_ON_BENEFIT_BANDS[0][0]: gettext_lazy("under 1 year"),
            TIME_ON_BENEFIT_BANDS[1][0]: gettext_lazy("1 to 3 years"),
            TIME_ON_BENEFIT_BANDS[2][0]: gettext_lazy("3 years or more"),
        },
    ),
}

MEASURE_LABELS = {
    "contact_on_time": gettext_lazy("contact within the agreed frequency"),
    "active_plan": gettext_lazy("with an active action plan"),
    "referral": gettext_lazy("referred to at least one vacancy"),
    "workshop": gettext_lazy("enrolled in a workshop"),
    "contact_rate": gettext_lazy("contacts per client-month on the caseload"),
}

# Characteristics whose value labels say enough without the characteristic's name.
SELF_EXPLANATORY = {"gender", "household", "team_kind"}


def characteristic_label(name: str) -> str:
    return str(CHARACTERISTICS[name][0]) if name in CHARACTERISTICS else name


def value_label(name: str, value: str) -> str:
    label = characteristic_label(name)
    if value == UNKNOWN:
        return _("%(characteristic)s not registered") % {"characteristic": label}
    words = str(CHARACTERISTICS.get(name, ("", {}))[1].get(value, value))
    if name == "age_band":
        return _("aged %(band)s") % {"band": words}
    if name in SELF_EXPLANATORY:
        return words
    return f"{label}: {words}"


def group_label(characteristics) -> str:
    """E.g. 'Male · Single parent with a child under 12'."""
    return " · ".join(value_label(name, value) for name, value in characteristics)


def measure_label(key: str, not_seen_days: int | None = None) -> str:
    """The measure in words; 'seen recently' names its threshold (the run's, else the setting)."""
    if key == "seen_recently":
        not_seen_days = not_seen_days or thresholds.not_seen_days()
        return _("seen in the last %(days)s days") % {"days": not_seen_days}
    return str(MEASURE_LABELS[key])


def percentage(rate) -> str:
    return "—" if rate is None else f"{rate * 100:.0f}%"


def rate_text(kind: str, rate) -> str:
    if rate is None:
        return "—"
    return percentage(rate) if kind == "proportion" else f"{rate:.2f}"


def finding_sentence(group: dict, key: str, kind: str, k: int, not_seen_days: int) -> str:
    """'Male · Single parent with a child under 12: 14 clients; 21% seen in the last 90 days vs 88%
    of the rest of the caseload.' Hidden figures read as 'fewer than k'."""
    m = group["measures"][key]
    what = measure_label(key, not_seen_days)
    values = {"group": group_label(group["characteristics"]), "n": group["n_label"], "what": what}
    if m["suppressed"]:
        return _(
            "%(group)s: %(n)s clients; for fewer than %(k)s of them, or of the rest, the figure %(what)s "
            "is withheld to protect privacy, and it is markedly lower than for the rest of the caseload."
        ) % {**values, "k": k}
    if kind == "proportion":
        return _(
            "%(group)s: %(n)s clients; %(rate)s %(what)s vs %(rest)s of the rest of the caseload."
        ) % {
            **values,
            "rate": percentage(m["rate"]),
            "rest": percentage(m["rest_rate"]),
        }
    return _(
        "%(group)s: %(n)s clients; %(rate)s %(what)s vs %(rest)s for the rest of the caseload."
    ) % {
        **values,
        "rate": rate_text(kind, m["rate"]),
        "rest": rate_text(kind, m["rest_rate"]),
    }


def drilldown_query(characteristics) -> dict | None:
    """ClientFilterSet parameters selecting exactly the group's active clients, or None when a value
    has no filter (then no link is offered)."""
    query = {"status": "active"}
    for name, value in characteristics:
        if name == "household" and value == SINGLE_PARENT_YOUNG_CHILD:
            query.update(household="single_parent", single_parent_young_child="on")
        elif name == "household" and value == "single_parent":
            return None  # single parents without a child under 12: no filter for "not young"
        elif name in (
            "physical_limitations",
            "mental_health_issues",
            "gender",
            "household",
            "age_band",
            "education_level",
            "language_level",
            "participation_step",
            "team_kind",
        ):
            query[name] = value
        else:
            return None
    return query


def drilldown_url(group: dict, k: int) -> str | None:
    """Link to the client list, only for shown groups of at least k clients."""
    if group.get("suppressed") or group["n"] is None or group["n"] < k:
        return None
    query = drilldown_query(group["characteristics"])
    return None if query is None else client_list_url(query)
