"""Words for the visibility report: characteristic and value labels, plain sentences, drill-down links.

The report itself stores only keys (so a run is language-independent and reproducible); pages,
CSV and API put words on them here.
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.text import capfirst
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


# --- plain names ----------------------------------------------------------------------------------
# Who a group is, in the words people use: gender and household together make the subject
# ("single fathers with a child under 12"), every other characteristic a phrase after it ("aged 55
# and over", "without physical limitations"). A value not in these tables falls back to the
# attribute chain (`group_label`).
PEOPLE = {
    (None, None): gettext_lazy("clients"),
    ("F", None): gettext_lazy("women"),
    ("M", None): gettext_lazy("men"),
    ("X", None): gettext_lazy("clients of gender X"),
    (None, SPYC := SINGLE_PARENT_YOUNG_CHILD): gettext_lazy("single parents with a child under 12"),
    ("F", SPYC): gettext_lazy("single mothers with a child under 12"),
    ("M", SPYC): gettext_lazy("single fathers with a child under 12"),
    ("X", SPYC): gettext_lazy("single parents of gender X with a child under 12"),
    (None, "single_parent"): gettext_lazy("single parents, no child under 12 registered"),
    ("F", "single_parent"): gettext_lazy("single mothers, no child under 12 registered"),
    ("M", "single_parent"): gettext_lazy("single fathers, no child under 12 registered"),
    ("X", "single_parent"): gettext_lazy(
        "single parents of gender X, no child under 12 registered"
    ),
    (None, "single"): gettext_lazy("people living alone"),
    ("F", "single"): gettext_lazy("women living alone"),
    ("M", "single"): gettext_lazy("men living alone"),
    ("X", "single"): gettext_lazy("people of gender X living alone"),
    (None, "couple"): gettext_lazy("couples without children"),
    ("F", "couple"): gettext_lazy("women living with a partner, without children"),
    ("M", "couple"): gettext_lazy("men living with a partner, without children"),
    ("X", "couple"): gettext_lazy("people of gender X living with a partner, without children"),
    (None, "couple_with_children"): gettext_lazy("parents living with a partner"),
    ("F", "couple_with_children"): gettext_lazy("mothers living with a partner"),
    ("M", "couple_with_children"): gettext_lazy("fathers living with a partner"),
    ("X", "couple_with_children"): gettext_lazy("parents of gender X living with a partner"),
    (None, "other"): gettext_lazy("clients in another household"),
    ("F", "other"): gettext_lazy("women in another household"),
    ("M", "other"): gettext_lazy("men in another household"),
    ("X", "other"): gettext_lazy("clients of gender X in another household"),
}
PHRASES = {
    "age_band": {
        "under_27": gettext_lazy("under 27"),
        "27_34": gettext_lazy("aged 27 to 34"),
        "35_44": gettext_lazy("aged 35 to 44"),
        "45_54": gettext_lazy("aged 45 to 54"),
        "55_plus": gettext_lazy("aged 55 and over"),
    },
    "physical_limitations": {
        "yes": gettext_lazy("with physical limitations"),
        "no": gettext_lazy("without physical limitations"),
    },
    "mental_health_issues": {
        "yes": gettext_lazy("with mental health issues"),
        "no": gettext_lazy("without mental health issues"),
    },
    "team_kind": {
        "standard": gettext_lazy("in a standard team"),
        "asylum": gettext_lazy("in a team for asylum status holders"),
        "ex_offender": gettext_lazy("in a team for ex-offenders"),
        "multiproblem": gettext_lazy("in a team for multi-problem households"),
    },
}
# Characteristics whose phrase names the value's label: "with education level 3 – Upper secondary".
LEVEL_PHRASES = {
    "education_level": gettext_lazy("with education level %(level)s"),
    "language_level": gettext_lazy("with language level %(level)s"),
    "participation_step": gettext_lazy("on participation step %(level)s"),
}


def _phrase(name: str, value: str) -> str | None:
    if value == UNKNOWN:
        return _("%(characteristic)s not registered") % {
            "characteristic": characteristic_label(name).lower()
        }
    if name in LEVEL_PHRASES and value in CHARACTERISTICS[name][1]:
        return str(LEVEL_PHRASES[name]) % {"level": CHARACTERISTICS[name][1][value]}
    phrase = PHRASES.get(name, {}).get(value)
    return None if phrase is None else str(phrase)


def plain_name(characteristics) -> str:
    """The group in words people use: 'single fathers with a child under 12', 'men aged 55 and over
    with language level A1', 'women, household not registered'. Falls back to `group_label`."""
    values = dict(characteristics)
    gender, household = values.pop("gender", None), values.pop("household", None)
    after = []
    if gender == UNKNOWN:
        after.append(_phrase("gender", UNKNOWN))
        gender = None
    if household == UNKNOWN:
        after.append(_phrase("household", UNKNOWN))
        household = None
    subject = PEOPLE.get((gender, household))
    if subject is None:
        return group_label(characteristics)
    age = values.pop("age_band", None)
    words = []  # after the subject: the age band first, then the other characteristics
    for name, value in ([("age_band", age)] if age is not None else []) + list(values.items()):
        phrase = _phrase(name, value)
        if phrase is None:
            return group_label(characteristics)
        (after if value == UNKNOWN else words).append(phrase)
    head = " ".join([str(subject), *words[:1]])
    return ", ".join([head, *words[1:], *after])


def measure_label(key: str, not_seen_days: int | None = None) -> str:
    """The measure in words; 'seen recently' names its threshold (the run's, else the setting)."""
    if key == "seen_recently":
        not_seen_days = not_seen_days or thresholds.not_seen_days()
        return _("seen in the last %(days)s days") % {"days": not_seen_days}
    return str(MEASURE_LABELS[key])


def count_text(value, label: str, k: int, hidden: bool) -> str:
    """A count of a run in the reader's language. A run stores its labels in the language of the
    request or job that computed it; '< k', 'withheld' and 'unknown' are put in words again here,
    numbers in the reader's format."""
    if hidden:
        return _("< %(k)s") % {"k": k} if str(label).startswith("<") else _("withheld")
    if value is None:
        return _("unknown")
    return number_format(int(round(value)))


def number_text(value, digits: int = 2) -> str:
    """A number in the reader's format ('0,35' in Dutch); 'inf' as ∞."""
    if value in ("inf", "-inf"):
        return "∞" if value == "inf" else "−∞"
    return "—" if value is None else number_format(round(float(value), digits), digits)


def q_text(q) -> str:
    """q to four decimals; below that, '< 0.0001' rather than a zero that is not one."""
    return f"< {number_text(0.0001, 4)}" if q < 0.0001 else number_text(q, 4)


def percentage(rate) -> str:
    return "—" if rate is None else f"{number_format(round(rate * 100), 0)}%"


def rate_text(kind: str, rate) -> str:
    if rate is None:
        return "—"
    return percentage(rate) if kind == "proportion" else number_text(rate)


def interval_text(kind: str, low, high) -> str:
    """'52%–67%' or '0,28–0,43': a 95% interval in the reader's format."""
    if low is None or high is None:
        return ""
    return f"{rate_text(kind, low)}–{rate_text(kind, high)}"


def gap_sentence(row: dict) -> str:
    """'Single fathers with a child under 12 (31 clients): 0.35 contacts per client-month on the
    caseload, against 0.88 for the rest of the caseload.'"""
    values = {
        "group": capfirst(row["name"]),
        "n": row["n_label"],
        "rate": row["rate"],
        "what": row["measure_label"],
        "rest": row["rest_rate"],
    }
    if row["kind"] == "proportion":
        return (
            _(
                "%(group)s (%(n)s clients): %(rate)s %(what)s, against %(rest)s of the rest of the caseload."
            )
            % values
        )
    return (
        _(
            "%(group)s (%(n)s clients): %(rate)s %(what)s, against %(rest)s for the rest of the caseload."
        )
        % values
    )


def trend_summary(weeks: list[str], values: list, kind: str) -> str:
    """The trend in words, for screen readers and the sparkline's title: 'Weekly, 12 weeks: 41%,
    39%, … 35% (— not shown that week)'."""
    if not weeks:
        return _("No weeks recorded yet.")
    if not any(value is not None for value in values):
        return _("Not shown in any recorded week.")
    return _("Weekly, %(weeks)s weeks, oldest first: %(values)s") % {
        "weeks": len(weeks),
        "values": ", ".join(rate_text(kind, value) for value in values),
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
