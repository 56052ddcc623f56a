"""The matching engine: pure functions from a vacancy and candidate rows to a ranked shortlist.

Candidates carry ONLY the attributes matching may use (`CANDIDATE_FIELDS`). Age, gender, marital
status, household, children, mental health and nationality are not in the row, so they cannot
influence a score or the order. The one health field present, physical limitations, is used only
as the explicit knock-out for physically demanding work.

Hard requirements knock a candidate out with a stated reason. "Not registered" never knocks out:
it becomes a point to check with the client. The soft score is a sum of per-criterion
contributions (in hundredths, so the shown contributions add up exactly to the score).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from caseload.models import EducationLevel, LanguageLevel

from .concepts import ConceptTable

# The client fields a candidate row is built from. Nothing else is loaded for matching.
CANDIDATE_FIELDS = (
    "pk",
    "client_number",
    "driving_licence",
    "education_level",
    "language_level",
    "physical_limitations",
    "work_experience",
    "skills",
    "preferred_sectors",
    "participation_step",
    "available_hours_per_week",
)

WEIGHTS = {
    "skills": 40,
    "experience": 20,
    "sector": 15,
    "participation_step": 15,
    "referral_rest": 10,
}
REFERRAL_REST_DAYS = 90
HUNDREDTH = Decimal("0.01")
LANGUAGE_CONCEPT = "language"


def points(weight: int, numerator, denominator) -> Decimal:
    if not denominator:
        return Decimal("0.00")
    return (Decimal(weight) * Decimal(numerator) / Decimal(denominator)).quantize(
        HUNDREDTH, ROUND_HALF_UP
    )


def as_tuple(value) -> tuple:
    return tuple(v for v in (value or ()) if isinstance(v, str) and v.strip())


@dataclass(frozen=True)
class VacancyProfile:
    vacancy_id: str
    title: str
    sector: str | None = None
    hours_per_week: int | None = None
    requires_driving_licence: bool | None = None
    min_education_level: int | None = None
    min_language_level: int | None = None
    physically_demanding: bool | None = None
    required_skills: tuple = ()

    @classmethod
    def from_vacancy(cls, vacancy) -> VacancyProfile:
        return cls(
            vacancy_id=vacancy.vacancy_id,
            title=vacancy.title,
            sector=vacancy.sector,
            hours_per_week=vacancy.hours_per_week,
            requires_driving_licence=vacancy.requires_driving_licence,
            min_education_level=vacancy.min_education_level,
            min_language_level=vacancy.min_language_level,
            physically_demanding=vacancy.physically_demanding,
            required_skills=as_tuple(vacancy.required_skills),
        )


@dataclass(frozen=True)
class Candidate:
    client_id: int
    client_number: str
    driving_licence: bool | None = None
    education_level: int | None = None
    language_level: int | None = None
    physical_limitations: bool | None = None
    work_experience: tuple = ()
    skills: tuple = ()
    preferred_sectors: tuple = ()
    participation_step: int | None = None
    last_referral_date: datetime.date | None = None
    already_referred: bool = False
    # Recorded by the coach in this app (the registration export has no such column); None: not registered.
    available_hours: int | None = None

    @classmethod
    def from_row(cls, row: dict) -> Candidate:
        return cls(
            client_id=row["pk"],
            client_number=row["client_number"],
            driving_licence=row["driving_licence"],
            education_level=row["education_level"],
            language_level=row["language_level"],
            physical_limitations=row["physical_limitations"],
            work_experience=as_tuple(row["work_experience"]),
            skills=as_tuple(row["skills"]),
            preferred_sectors=as_tuple(row["preferred_sectors"]),
            participation_step=row["participation_step"],
            available_hours=row["available_hours_per_week"],
            last_referral_date=row.get("last_referral_date"),
            already_referred=bool(row.get("already_referred")),
        )


# Workshops offered per near miss: the soonest few, each an enrol button; a region with hundreds of
# workshops would otherwise list dozens per client (and the page grew with them).
WORKSHOPS_SHOWN = 3


@dataclass(frozen=True)
class WorkshopOffer:
    workshop_id: str
    title: str
    starts_on: datetime.date | None
    concepts: frozenset


@dataclass(frozen=True)
class KnockOut:
    code: str
    reason: str
    would_change: str
    concept: str | None = None  # what a workshop could teach to lift it


@dataclass(frozen=True)
class Contribution:
    criterion: str
    label: str
    points: Decimal
    max_points: int
    detail: str


@dataclass
class MatchResult:
    candidate: Candidate
    contributions: list[Contribution]
    knock_outs: list[KnockOut]
    checks: list[str]
    missing_skills: list[str]
    rank: int | None = None
    near_miss: list[str] = field(default_factory=list)  # what would change the result
    workshops: list[WorkshopOffer] = field(
        default_factory=list
    )  # the soonest, at most WORKSHOPS_SHOWN
    more_workshops: int = 0  # further workshops that teach the same

    @property
    def score(self) -> Decimal:
        return sum((c.points for c in self.contributions), Decimal("0.00"))

    @property
    def eligible(self) -> bool:
        return not self.knock_outs


@dataclass
class Shortlist:
    vacancy: VacancyProfile
    concepts_version: str
    ranked: list[MatchResult]
    knocked_out: list[MatchResult]

    @property
    def notes(self) -> list[str]:
        """Checks that apply to many clients at once, said once."""
        unknown_hours = sum(
            1 for r in (*self.ranked, *self.knocked_out) if r.candidate.available_hours is None
        )
        if self.vacancy.hours_per_week and unknown_hours:
            return [
                ngettext(
                    "Availability of hours is not registered for %(count)s client: check they can "
                    "work %(hours)s hours a week.",
                    "Availability of hours is not registered for %(count)s clients: check they can "
                    "work %(hours)s hours a week.",
                    unknown_hours,
                )
                % {"count": unknown_hours, "hours": self.vacancy.hours_per_week}
            ]
        return []

    @property
    def client_numbers(self) -> list[str]:
        """Every client the shortlist shows, ranked or knocked out (for the access log)."""
        return [r.candidate.client_number for r in (*self.ranked, *self.knocked_out)]

    @property
    def near_misses(self) -> list[MatchResult]:
        return [r for r in (*self.ranked, *self.knocked_out) if r.near_miss]


# --- hard requirements ---------------------------------------------------------------------------
def level_label(choices, value) -> str:
    return dict(choices).get(value, str(value))


def knock_outs(vacancy: VacancyProfile, candidate: Candidate) -> tuple[list[KnockOut], list[str]]:
    """The requirements the candidate fails (knock-outs) and the ones not registered (checks)."""
    failed: list[KnockOut] = []
    checks: list[str] = []
    if vacancy.requires_driving_licence:
        if candidate.driving_licence is False:
            failed.append(
                KnockOut(
                    "driving_licence",
                    _("No driving licence; the vacancy requires one."),
                    _("A driving licence."),
                )
            )
        elif candidate.driving_licence is None:
            checks.append(_("Driving licence not registered: check with the client."))
    if vacancy.min_education_level is not None:
        wanted = level_label(EducationLevel.choices, vacancy.min_education_level)
        if candidate.education_level is None:
            checks.append(_("Education level not registered: check with the client."))
        elif candidate.education_level < vacancy.min_education_level:
            failed.append(
                KnockOut(
                    "education",
                    _("Education level %(has)s is below the required %(wanted)s.")
                    % {
                        "has": level_label(EducationLevel.choices, candidate.education_level),
                        "wanted": wanted,
                    },
                    _("Education level %(wanted)s or higher.") % {"wanted": wanted},
                )
            )
    if vacancy.min_language_level is not None:
        wanted = level_label(LanguageLevel.choices, vacancy.min_language_level)
        if candidate.language_level is None:
            checks.append(_("Language level not registered: check with the client."))
        elif candidate.language_level < vacancy.min_language_level:
            failed.append(
                KnockOut(
                    "language",
                    _("Language level %(has)s is below the required %(wanted)s.")
                    % {
                        "has": level_label(LanguageLevel.choices, candidate.language_level),
                        "wanted": wanted,
                    },
                    _("Language level %(wanted)s.") % {"wanted": wanted},
                    concept=LANGUAGE_CONCEPT,
                )
            )
    if vacancy.physically_demanding:
        if candidate.physical_limitations:
            failed.append(
                KnockOut(
                    "physical",
                    _("Registered physical limitations; the work is physically demanding."),
                    _("Work that is not physically demanding."),
                )
            )
        elif candidate.physical_limitations is None:
            checks.append(
                _("Physical limitations not registered: check the work suits the client.")
            )
    hours = vacancy.hours_per_week
    # Availability not registered is not a check per client: it is said once for the shortlist
    # (Shortlist.notes), as nearly every client has it.
    if hours and candidate.available_hours is not None and candidate.available_hours < hours:
        failed.append(
            KnockOut(
                "hours",
                _("Available %(has)s hours a week; the vacancy asks %(wanted)s.")
                % {"has": candidate.available_hours, "wanted": hours},
                _("Availability of %(wanted)s hours a week.") % {"wanted": hours},
            )
        )
    return failed, checks


# --- soft score ----------------------------------------------------------------------------------
def missing_skills(vacancy: VacancyProfile, candidate: Candidate, table: ConceptTable) -> list[str]:
    """The vacancy's required skills that none of the candidate's skills covers (by concept)."""
    client_skills = (
        set().union(*(table.concepts_for(s) for s in candidate.skills))
        if candidate.skills
        else set()
    )
    return [
        skill for skill in vacancy.required_skills if not table.concepts_for(skill) & client_skills
    ]


def contributions(
    vacancy: VacancyProfile, candidate: Candidate, table: ConceptTable, today: datetime.date
):
    """Each criterion's points with the reason, and the required skills the candidate lacks."""
    result = []
    missing = missing_skills(vacancy, candidate, table)
    required = len(vacancy.required_skills)
    matched = required - len(missing)
    result.append(
        Contribution(
            "skills",
            _("Required skills"),
            points(WEIGHTS["skills"], matched, required),
            WEIGHTS["skills"],
            _("%(matched)s of %(required)s required skills")
            % {"matched": matched, "required": required}
            if required
            else _("The vacancy lists no required skills."),
        )
    )

    vacancy_concepts = (
        table.occupation_concepts(vacancy.title)
        | table.concepts_in(vacancy.title)
        | frozenset().union(*(table.concepts_for(s) for s in vacancy.required_skills))
    )
    related = [
        o for o in candidate.work_experience if table.occupation_concepts(o) & vacancy_concepts
    ]
    result.append(
        Contribution(
            "experience",
            _("Related work experience"),
            points(WEIGHTS["experience"], 1 if related else 0, 1),
            WEIGHTS["experience"],
            _("Worked as %(jobs)s") % {"jobs": ", ".join(related)}
            if related
            else _("No related occupation registered."),
        )
    )

    sector = table.concepts_for(vacancy.sector or "")
    preferred = bool(sector) and any(
        table.concepts_for(s) & sector for s in candidate.preferred_sectors
    )
    result.append(
        Contribution(
            "sector",
            _("Client's preferred sector"),
            points(WEIGHTS["sector"], 1 if preferred else 0, 1),
            WEIGHTS["sector"],
            _("Prefers %(sector)s") % {"sector": vacancy.sector}
            if preferred
            else _("Not among the preferred sectors."),
        )
    )

    step = candidate.participation_step
    result.append(
        Contribution(
            "participation_step",
            _("Participation step"),
            points(WEIGHTS["participation_step"], (step - 1) if step else 0, 5),
            WEIGHTS["participation_step"],
            _("Step %(step)s of 6") % {"step": step} if step else _("Not registered."),
        )
    )

    if candidate.last_referral_date is None:
        rest_days, detail = REFERRAL_REST_DAYS, _("Never referred before.")
    else:
        rest_days = min(max((today - candidate.last_referral_date).days, 0), REFERRAL_REST_DAYS)
        detail = _("Last referred on %(date)s") % {
            "date": formats.date_format(candidate.last_referral_date)
        }
    result.append(
        Contribution(
            "referral_rest",
            _("Time since last referral"),
            points(WEIGHTS["referral_rest"], rest_days, REFERRAL_REST_DAYS),
            WEIGHTS["referral_rest"],
            detail,
        )
    )
    return result, missing


# --- the shortlist -------------------------------------------------------------------------------
def evaluate(vacancy, candidate, table, today, workshops=()) -> MatchResult:
    failed, checks = knock_outs(vacancy, candidate)
    parts, missing = contributions(vacancy, candidate, table, today)
    result = MatchResult(
        candidate=candidate,
        contributions=parts,
        knock_outs=failed,
        checks=checks,
        missing_skills=missing,
    )
    gaps: list[tuple[str, frozenset]] = []
    if is_near_miss(failed, missing) and failed:  # the one knock-out
        gaps.append(
            (failed[0].would_change, frozenset({failed[0].concept} if failed[0].concept else ()))
        )
    elif is_near_miss(failed, missing):  # the one missing skill
        gaps.append(
            (_("The skill “%(skill)s”.") % {"skill": missing[0]}, table.concepts_for(missing[0]))
        )
    for text, concepts in gaps:
        result.near_miss.append(text)
        teaching = sorted((w for w in workshops if w.concepts & concepts), key=_soonest_first)
        result.workshops.extend(teaching[:WORKSHOPS_SHOWN])
        result.more_workshops += max(0, len(teaching) - WORKSHOPS_SHOWN)
    return result


def is_near_miss(failed: list, missing: list) -> bool:
    """One thing away: one knock-out and every required skill, or eligible but one skill short."""
    return (len(failed) == 1 and not missing) or (not failed and len(missing) == 1)


@dataclass
class FitCount:
    """How many candidates are eligible for a vacancy, and how many are a near miss."""

    eligible: int = 0
    near_misses: int = 0


def fit_counts(vacancies, candidates, table: ConceptTable) -> dict[str, FitCount]:
    """{vacancy id: FitCount} over the same candidates, with the shortlist's own rules (knock-outs,
    missing skills, near misses) but without scoring: for the vacancy list."""
    counts = {}
    for vacancy in vacancies:
        count = counts[vacancy.vacancy_id] = FitCount()
        for candidate in candidates:
            failed, _checks = knock_outs(vacancy, candidate)
            missing = missing_skills(vacancy, candidate, table)
            count.eligible += not failed
            count.near_misses += is_near_miss(failed, missing)
    return counts


def _soonest_first(workshop: WorkshopOffer):
    """Dated workshops by start, then those without a date; the id breaks ties."""
    return (
        workshop.starts_on is None,
        workshop.starts_on or datetime.date.min,
        workshop.workshop_id,
    )


def tie_breaker(vacancy: VacancyProfile, candidate: Candidate) -> str:
    """Equal scores are ordered by a hash of vacancy and client number: stable for one vacancy, but
    not the same clients first for every vacancy (as ordering by client number would be)."""
    return hashlib.sha256(f"{vacancy.vacancy_id}:{candidate.client_number}".encode()).hexdigest()


def rank(
    vacancy: VacancyProfile, candidates, table: ConceptTable, today: datetime.date, workshops=()
) -> Shortlist:
    """Eligible candidates by score (ties: see tie_breaker), knock-outs listed separately."""
    results = [evaluate(vacancy, c, table, today, workshops) for c in candidates]
    ranked = sorted(
        (r for r in results if r.eligible),
        key=lambda r: (-r.score, tie_breaker(vacancy, r.candidate)),
    )
    for position, result in enumerate(ranked, start=1):
        result.rank = position
    knocked_out = sorted(
        (r for r in results if not r.eligible), key=lambda r: r.candidate.client_number
    )
    return Shortlist(
        vacancy=vacancy, concepts_version=table.version, ranked=ranked, knocked_out=knocked_out
    )


def serialise(result: MatchResult) -> dict:
    """The JSON shape of one candidate (API and shortlist log)."""
    return {
        "rank": result.rank,
        "client_number": result.candidate.client_number,
        "score": str(result.score),
        "eligible": result.eligible,
        "already_referred": result.candidate.already_referred,
        "contributions": [
            {
                "criterion": c.criterion,
                "label": str(c.label),
                "points": str(c.points),
                "max_points": c.max_points,
                "detail": str(c.detail),
            }
            for c in result.contributions
        ],
        "knock_outs": [{"code": k.code, "reason": str(k.reason)} for k in result.knock_outs],
        "checks": [str(c) for c in result.checks],
        "missing_skills": list(result.missing_skills),
        "near_miss": [str(n) for n in result.near_miss],
        "workshops": [{"workshop_id": w.workshop_id, "title": w.title} for w in result.workshops],
        "more_workshops": result.more_workshops,
    }
