"""Screening: curated discriminatory phrasings (nl + en) are caught, neutral texts pass."""

import pytest

from caseload.matching.screening import screen_text, screen_vacancy
from tests.factories import VacancyFactory

DISCRIMINATORY_NL = [
    ("max 35 jaar", "age"),
    ("Kandidaten maximaal 30 jaar oud", "age"),
    ("niet ouder dan 40 jaar", "age"),
    ("Je bent tussen 27 en 35 jaar", "age"),
    ("leeftijd 25-35", "age"),
    ("Wij zoeken een jonge collega", "age"),
    ("jong en dynamisch team zoekt versterking", "age"),
    ("ideaal voor een twintiger", "age"),
    ("geen 50-plussers", "age"),
    ("geboren na 1990", "age"),
    ("Man gezocht voor magazijn", "gender"),
    ("vrouw gezocht voor receptie", "gender"),
    ("alleen mannen", "gender"),
    ("vrouwelijke schoonmaker", "gender"),
    ("geen kinderen", "family"),
    ("vrouwen zonder kinderen", "family"),
    ("liefst kinderloos", "family"),
    ("Nederlandse afkomst", "origin"),
    ("geen buitenlanders", "origin"),
    ("Nederlands als moedertaal", "origin"),
    ("geen hoofddoek", "religion"),
    ("geen ziekteverleden", "health"),
    ("Stoere mannen gezocht voor de bouw", "gender"),
    ("Werken zonder hoofddoek", "religion"),
]
DISCRIMINATORY_EN = [
    ("max 35 years", "age"),
    ("men of 27-35 years", "age"),
    ("under 30 years old", "age"),
    ("maximum age 40", "age"),
    ("aged 18-25", "age"),
    ("young and dynamic team", "age"),
    ("young people wanted", "age"),
    ("digital native", "age"),
    ("male only", "gender"),
    ("female candidates preferred", "gender"),
    ("looking for a woman", "gender"),
    ("gentleman wanted", "gender"),
    ("women without children", "family"),
    ("no kids", "family"),
    ("native Dutch speaker", "origin"),
    ("Dutch nationality", "origin"),
    ("no foreigners", "origin"),
    ("no headscarf", "religion"),
    ("no disabilities", "health"),
    ("no older than 45", "age"),
    ("Ladies wanted for reception", "gender"),
    ("must work without a headscarf", "religion"),
]
DISCRIMINATORY = DISCRIMINATORY_NL + DISCRIMINATORY_EN

NEUTRAL = [
    "Medewerker magazijn (m/v)",
    "Schoonmaker m/v/x, 20 uur",
    "man/vrouw gezocht voor de kassa",
    "Wij zijn een jong bedrijf in de haven",
    "Ons jonge bedrijf groeit hard",
    "ervaring met jonge kinderen (kinderopvang)",
    "Pedagogisch medewerker kinderdagverblijf",
    "Werken in de ouderenzorg",
    "minimaal 18 jaar (alcoholwet)",
    "maximaal 2 jaar ervaring gevraagd",
    "max 10 jaar werkervaring",
    "contract voor 1 jaar met uitzicht op vast",
    "36 uur per week, max 40 uur",
    "rijbewijs B vereist",
    "heftruckcertificaat is een pré",
    "Nederlands op B1-niveau",
    "fysiek zwaar werk, veel tillen",
    "Our young company has 12 employees",
    "care for elderly people",
    "at least 3 years of experience",
    "between 10 and 15 years of experience",
    "Driving licence required; physically demanding",
    "Youth worker in a community centre",
    "flexible hours, weekend work",
    "team of men and women from all backgrounds",
    "Dutch language level B1",
    "Kapper voor dames en heren gezocht",
    "Mannenkapper gezocht",
    "Men and women wanted for the night shift",
]


@pytest.mark.parametrize(("text", "category"), DISCRIMINATORY)
def test_discriminatory_phrasing_is_flagged(text, category):
    flags = screen_text(text)
    assert flags, f"not flagged: {text!r}"
    assert category in {f.category for f in flags}
    assert all(f.matched_text for f in flags)


@pytest.mark.parametrize("text", NEUTRAL)
def test_neutral_text_passes(text):
    assert screen_text(text) == []


def test_curated_lists_are_large_enough_in_both_languages():
    assert len(DISCRIMINATORY_NL) >= 20 and len(DISCRIMINATORY_EN) >= 20
    assert len(set(DISCRIMINATORY_NL)) == len(DISCRIMINATORY_NL) and len(
        set(DISCRIMINATORY_EN)
    ) == len(DISCRIMINATORY_EN)
    assert len(set(NEUTRAL)) >= 20


def test_flag_names_the_matched_text_and_field(db):
    vacancy = VacancyFactory(
        title="Orderpicker",
        description="Wij zoeken mannen van max 35 jaar.",
        required_skills=["forklift", "geen kinderen"],
    )
    flags = screen_vacancy(vacancy)
    assert {(f.field, f.matched_text) for f in flags} == {
        ("description", "max 35 jaar"),
        ("required_skills", "geen kinderen"),
    }
