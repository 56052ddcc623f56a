"""The pure engine: knock-outs with known answers, explanations that add up, near misses."""

import dataclasses
import datetime
import random
from decimal import Decimal

from caseload.matching import engine
from caseload.matching.concepts import default_table

TODAY = datetime.date(2026, 11, 22)
VACANCY = engine.VacancyProfile(
    vacancy_id="V1",
    title="Heftruckchauffeur",
    sector="logistics",
    hours_per_week=None,
    requires_driving_licence=True,
    min_education_level=3,
    min_language_level=3,
    physically_demanding=True,
    required_skills=("forklift", "warehouse"),
)
FIT = {
    "driving_licence": True,
    "education_level": 3,
    "language_level": 3,
    "physical_limitations": False,
    "work_experience": ("order picker",),
    "skills": ("heftruck", "magazijn"),
    "preferred_sectors": ("logistics",),
    "participation_step": 6,
}
WORKSHOPS = [
    engine.WorkshopOffer(
        "W03", "Heftruckcertificaat", TODAY, default_table().concepts_in("Heftruckcertificaat")
    ),
    engine.WorkshopOffer("W02", "Taalcafé", TODAY, default_table().concepts_in("Taalcafé")),
]


def candidate(number, **changes):
    return engine.Candidate(client_id=int(number[1:]), client_number=number, **{**FIT, **changes})


FIXTURE = [
    candidate("C01"),
    candidate("C02", driving_licence=False),
    candidate("C03", driving_licence=None),
    candidate("C04", education_level=2),
    candidate("C05", language_level=2),
    candidate("C06", physical_limitations=True),
    candidate("C07", driving_licence=False, education_level=1),
    candidate("C08", skills=("magazijn",)),
    candidate("C09", education_level=None, language_level=None, physical_limitations=None),
    candidate("C10", skills=()),
]
KNOCK_OUTS = {
    "C02": ["driving_licence"],
    "C04": ["education"],
    "C05": ["language"],
    "C06": ["physical"],
    "C07": ["driving_licence", "education"],
}


def shortlist(candidates=FIXTURE):
    return engine.rank(VACANCY, candidates, default_table(), TODAY, WORKSHOPS)


def test_knock_outs_are_exact_on_a_fixture_with_known_answers():
    result = shortlist()
    assert {
        r.candidate.client_number: [k.code for k in r.knock_outs] for r in result.knocked_out
    } == KNOCK_OUTS
    assert {r.candidate.client_number for r in result.ranked} == {"C01", "C03", "C09", "C08", "C10"}
    assert all(k.reason for r in result.knocked_out for k in r.knock_outs)


def test_not_registered_never_knocks_out_but_is_listed_to_check():
    by_number = {r.candidate.client_number: r for r in shortlist().ranked}
    assert by_number["C03"].eligible and len(by_number["C03"].checks) == 1
    assert len(by_number["C09"].checks) == 3
    assert by_number["C01"].checks == []


def test_contributions_add_up_to_the_score_for_everyone():
    rng = random.Random(4)
    candidates = [
        candidate(
            f"C{i:02d}",
            skills=tuple(
                rng.sample(["heftruck", "warehouse", "cleaning", "zorg"], rng.randint(0, 3))
            ),
            participation_step=rng.choice([None, 1, 2, 3, 4, 5, 6]),
            last_referral_date=rng.choice(
                [None, TODAY - datetime.timedelta(days=rng.randint(0, 200))]
            ),
        )
        for i in range(60)
    ]
    result = shortlist(candidates)
    for r in (*result.ranked, *result.knocked_out):
        assert sum((c.points for c in r.contributions), Decimal("0")) == r.score
        serialised = engine.serialise(r)
        assert sum(Decimal(c["points"]) for c in serialised["contributions"]) == Decimal(
            serialised["score"]
        )
    assert [r.score for r in result.ranked] == sorted(
        (r.score for r in result.ranked), reverse=True
    )


def test_score_of_a_perfect_fit_is_100_and_each_criterion_is_explained():
    top = shortlist().ranked[0]
    assert top.score == Decimal("100.00")
    assert [c.criterion for c in top.contributions] == list(engine.WEIGHTS)
    assert all(c.detail for c in top.contributions)


def test_synonyms_count_for_skill_coverage():
    c08 = next(r for r in shortlist().ranked if r.candidate.client_number == "C08")
    skills = c08.contributions[0]
    assert skills.points == Decimal("20.00") and c08.missing_skills == ["forklift"]


def test_recent_referral_lowers_the_score_so_the_same_people_are_not_always_sent():
    rested = candidate("C20")
    recent = candidate("C21", last_referral_date=TODAY - datetime.timedelta(days=9))
    ranked = shortlist([recent, rested]).ranked
    assert [r.candidate.client_number for r in ranked] == ["C20", "C21"]
    assert ranked[1].contributions[-1].points == Decimal("1.00")


def test_near_misses_say_what_would_change_and_offer_a_workshop():
    near = {r.candidate.client_number: r for r in shortlist().near_misses}
    assert set(near) == {"C02", "C04", "C05", "C06", "C08"}  # C07 fails two, C10 misses two skills
    assert [w.workshop_id for w in near["C08"].workshops] == ["W03"]
    assert [w.workshop_id for w in near["C05"].workshops] == ["W02"]
    assert near["C02"].workshops == [] and near["C02"].near_miss


def test_a_near_miss_is_offered_the_three_soonest_workshops_and_told_how_many_more_there_are():
    forklift = default_table().concepts_in("Heftruckcertificaat")
    starts = [
        None,
        TODAY + datetime.timedelta(days=30),
        TODAY + datetime.timedelta(days=2),
        TODAY + datetime.timedelta(days=9),
        TODAY + datetime.timedelta(days=2),
    ]
    workshops = [
        engine.WorkshopOffer(f"W{i}", "Heftruckcertificaat", start, forklift)
        for i, start in enumerate(starts)
    ]
    near = {
        r.candidate.client_number: r
        for r in engine.rank(VACANCY, FIXTURE, default_table(), TODAY, workshops).near_misses
    }

    assert [w.workshop_id for w in near["C08"].workshops] == ["W2", "W4", "W3"]
    assert near["C08"].more_workshops == 2
    assert engine.WORKSHOPS_SHOWN == 3


def test_hours_knock_out_when_availability_is_registered():
    vacancy = dataclasses.replace(VACANCY, hours_per_week=36)
    result = engine.rank(
        vacancy,
        [
            candidate("C30", available_hours=20),
            candidate("C31"),
            candidate("C32", available_hours=36),
        ],
        default_table(),
        TODAY,
    )
    assert [k.code for k in result.knocked_out[0].knock_outs] == ["hours"]
    assert "20 hours" in result.knocked_out[0].knock_outs[0].reason
    by_number = {r.candidate.client_number: r for r in result.ranked}
    assert by_number["C31"].checks == []  # said once for the shortlist, in its notes
    assert by_number["C32"].checks == []  # exactly the hours asked is enough
    assert "for 1 client:" in result.notes[0] and "36 hours" in result.notes[0]
    assert shortlist().notes == []  # no hours asked
    assert all(r.checks == [] for r in shortlist().ranked if r.candidate.client_number == "C01")


def test_candidate_rows_cannot_carry_protected_attributes():
    protected = {
        "date_of_birth",
        "gender",
        "marital_status",
        "household",
        "children_count",
        "youngest_child_birth_date",
        "mental_health_issues",
        "nationality",
    }
    assert not protected & set(engine.CANDIDATE_FIELDS)
    assert not protected & {f.name for f in dataclasses.fields(engine.Candidate)}


def test_ties_are_shuffled_per_vacancy_but_stable():
    twins = [candidate(f"C{i:02d}") for i in range(12)]
    order = [r.candidate.client_number for r in shortlist(twins).ranked]
    assert order == [r.candidate.client_number for r in shortlist(list(reversed(twins))).ranked]
    other = engine.rank(
        dataclasses.replace(VACANCY, vacancy_id="V2"), twins, default_table(), TODAY
    )
    assert [r.candidate.client_number for r in other.ranked] != order
    assert order != sorted(order)
