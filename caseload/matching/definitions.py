"""Legend entries for vacancy matching (imported from CaseloadConfig.ready)."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from caseload.legend import define

from .engine import REFERRAL_REST_DAYS

define(
    "match_score",
    _("Match score"),
    format_lazy(
        _(
            "Sum of five contributions, 0–100: required skills covered (40 × matched / required, "
            "through the concept table of synonyms), related work experience (20), the vacancy's "
            "sector among the client's preferred sectors (15), participation step (15 × (step − 1) / "
            "5; 0 when not registered) and time since the last referral to any vacancy (10 × days / "
            "{days}, capped at {days} days; 10 when never referred). Equal scores are ordered by a "
            "fixed shuffle per vacancy, so the same clients do not always come first. Age, gender, "
            "marital status, household, children, health and nationality are never loaded for "
            "matching."
        ),
        days=REFERRAL_REST_DAYS,
    ),
    "matching",
)
define(
    "knock_out",
    _("Knock-out"),
    _(
        "A hard requirement the client does not meet: driving licence, minimum education level, minimum "
        "language level, physically demanding work with registered physical limitations, or hours (the "
        "client's available hours per week below the vacancy's hours per week). "
        "A requirement that is not registered for the client never knocks out: it is listed as a point to check."
    ),
    "matching",
)
define(
    "vacancy_eligible",
    _("Eligible clients"),
    _(
        "Active clients in your scope (your caseload; a manager: the team's) who meet every hard "
        "requirement of the vacancy: the clients its shortlist ranks. Not registered never knocks "
        "out. Counted with the shortlist's own rules."
    ),
    "matching",
)
define(
    "near_miss",
    _("Near miss"),
    _(
        "A client knocked out by exactly one requirement, or eligible but missing exactly one required skill. "
        "The page says what would change the result and offers the three soonest upcoming workshops that teach "
        "it, when there are any, with the number of further ones."
    ),
    "matching",
)
define(
    "screening_flag",
    _("Screening flag"),
    _(
        "A phrase in the vacancy's title, description or required skills that may ask for age, gender, family, "
        "origin, religion or health. Until a coach records a justification or drops the requirement, the "
        "vacancy shows no shortlist. Every flag and decision is logged."
    ),
    "matching",
)
define(
    "available_hours_per_week",
    _("Available hours per week"),
    _(
        "Hours a week the client can work, 1–60, recorded by the coach on the client page (the registration "
        "export has no such column, so the importer never changes it). Empty: not registered, which never "
        "knocks a client out of a shortlist."
    ),
    "field",
)
