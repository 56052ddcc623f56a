"""Screening employer requirements for discriminatory wishes (nl + en).

Research saw employers ask for "men of 27–35" and "women without children". Vacancy title,
description and required skills are normalised (lower case, accents stripped, whitespace collapsed)
and matched against word-bounded patterns. A flag carries the matched text so the coach sees what
was caught; the coach then records a justification or drops the requirement (services.py).

Choices (see tests/caseload/matching/test_screening.py for the curated lists):
- Inclusive markers "m/v", "m/v/x", "man/vrouw" are neutral; "man gezocht" / "vrouw gezocht" are not.
- "jonge"/"young" is flagged only about people or a team ("jonge collega", "young team"), not about a
  company or children ("jong bedrijf", "ervaring met jonge kinderen" in childcare are neutral).
- A maximum age ("max 35 jaar", "under 30 years") is flagged; durations of experience, contracts or
  hours ("max 2 jaar ervaring", "36 uur") are not. A minimum age of 18 is often a legal requirement
  (security, alcohol) and is not flagged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

CATEGORIES = {
    "age": _("Age"),
    "gender": _("Gender"),
    "family": _("Family or children"),
    "origin": _("Origin, nationality or language as mother tongue"),
    "religion": _("Religion"),
    "health": _("Health or disability"),
}

NOT_EXPERIENCE = (
    r"(?!\s+(?:of\s+)?(?:ervaring|werkervaring|experience|contract|in dienst|uur|hours))"
)
PEOPLE_NL = (
    r"(?:team|collega|medewerker|kracht|mensen|man|vrouw|dame|heer|talent|kandidaat|sollicitant"
    r"|meid|meiden|jongens|enthousiasteling|personeel)"
)
PEOPLE_EN = (
    r"(?:team|people|person|man|men|woman|women|lady|ladies|guy|guys|talent|colleague|candidate"
    r"|applicant|professional|blood|staff|worker)"
)

# (rule id, category, pattern). Patterns run on normalised text (see normalise()).
RULES: list[tuple[str, str, str]] = [
    # --- age ---
    (
        "nl_max_age",
        "age",
        r"\b(?:max(?:imaal|\.)?|tot|onder|jonger dan|niet ouder dan|hooguit)\s+\d{2}\s+jaar\b"
        + NOT_EXPERIENCE,
    ),
    (
        "nl_age_range",
        "age",
        r"\b(?:tussen\s+)?\d{2}\s*(?:-|tot|en)\s*\d{2}\s+jaar\b(?:\s+oud)?" + NOT_EXPERIENCE,
    ),
    ("nl_age_word", "age", r"\bleeftijd\s*:?\s*(?:tot|max(?:imaal)?|tussen|\d{2})"),
    ("nl_young", "age", r"\bjong(?:e|en)?\s+(?:en\s+\w+\s+)?" + PEOPLE_NL + r"\w*"),
    ("nl_decade", "age", r"\b(?:twintiger|dertiger)s?\b"),
    (
        "nl_no_older",
        "age",
        r"\bgeen\s+(?:ouderen|oudere\s+\w+|vijftigplussers|\d{2}\s*-?\s*plussers|\d{2}\s*\+)",
    ),
    (
        "en_max_age",
        "age",
        r"\b(?:max(?:imum)?|under|below|younger than|no older than|not older than|up to)\s+"
        r"(?:the\s+age\s+of\s+)?\d{2}\s*(?:years?|yrs)\b" + NOT_EXPERIENCE,
    ),
    (
        "en_older_than",
        "age",
        r"\b(?:no|not)\s+older\s+than\s+\d{2}\b" + NOT_EXPERIENCE,
    ),  # "years" left out
    ("en_age_limit", "age", r"\b(?:max(?:imum)?|upper)\s+age(?:\s+limit)?(?:\s+of)?\s*:?\s*\d{2}"),
    (
        "en_aged",
        "age",
        r"\b(?:aged?|between)\s*:?\s*\d{2}\s*(?:-|to|and)\s*\d{2}\b(?!\s+(?:years?|yrs)\s+(?:of\s+)?experience)"
        + NOT_EXPERIENCE,
    ),
    ("en_age_range", "age", r"\b\d{2}\s*(?:-|to)\s*\d{2}\s*(?:years?|yrs)\b" + NOT_EXPERIENCE),
    ("en_young", "age", r"\byoung\s+(?:and\s+\w+\s+)?" + PEOPLE_EN + r"s?\b"),
    ("en_digital_native", "age", r"\bdigital natives?\b"),
    (
        "en_no_older",
        "age",
        r"\bno\s+(?:older\s+(?:people|workers|candidates|applicants)|over\s*\d{2}s?|\d{2}\s*\+)",
    ),
    ("born_after", "age", r"\b(?:geboren|born)\s+(?:na|after|voor|before|in)\s+(?:19|20)\d{2}\b"),
    # --- gender ---
    # "man/vrouw gezocht" and "dames en heren gezocht" ask for either: not flagged.
    (
        "nl_wanted",
        "gender",
        r"(?<![/\w])(?<!en )(?<!of )(?:man|mannen|vrouw|vrouwen|dame|dames|heer|heren|meid|meiden"
        r"|meisje|meisjes|jongen|jongens)\s+gezocht\b",
    ),
    (
        "nl_only",
        "gender",
        r"\b(?:alleen|uitsluitend)\s+(?:mannen|vrouwen|mannelijke|vrouwelijke|dames|heren)\b",
    ),
    ("nl_gendered", "gender", r"\b(?:mannelijke|vrouwelijke)\s+(?!en\b|of\b)\w+"),
    (
        "en_only",
        "gender",
        r"\b(?:(?:male|female|men|women)\s+only|only\s+(?:male|female|men|women))\b",
    ),
    (
        "en_gendered",
        "gender",
        r"\b(?:male|female)\s+(?:candidate|applicant|worker|employee|staff|driver|colleague)s?\b",
    ),
    (
        "en_seeking",
        "gender",
        r"\b(?:looking for|seeking|wanted:?)\s+(?:a\s+)?(?:man|woman|girl|guy|gentleman|lady)\b",
    ),
    (
        "en_wanted",
        "gender",
        r"(?<![/\w])(?<!and )(?<!or )(?:man|men|woman|women|girls?|guys?|gentlem[ae]n|lady|ladies)"
        r"\s+wanted\b",
    ),
    # --- family ---
    (
        "nl_no_children",
        "family",
        r"\b(?:geen|zonder)\s+(?:(?:kleine|jonge|thuiswonende)\s+)?kinderen\b",
    ),
    (
        "nl_childless",
        "family",
        r"\bkinderloos\b|\bongehuwd\b|\bniet zwanger\b|\bkinderwens\b|\bzwangerschapswens\b",
    ),
    ("en_no_children", "family", r"\b(?:no|without)\s+(?:(?:young|small)\s+)?(?:children|kids)\b"),
    (
        "en_childless",
        "family",
        r"\bchildless\b|\bunmarried\b|\bnot pregnant\b|\bno family obligations\b",
    ),
    # --- origin ---
    (
        "nl_origin",
        "origin",
        r"\b(?:nederlandse|autochtone)\s+(?:afkomst|komaf|achtergrond|nationaliteit)\b"
        r"|\bautochto(?:on|ne)\b",
    ),
    (
        "nl_no_migrants",
        "origin",
        r"\bgeen\s+(?:buitenlanders|allochtonen|migranten|statushouders|vluchtelingen|polen)\b",
    ),
    (
        "nl_mother_tongue",
        "origin",
        r"\bmoedertaal\s+nederlands\b|\bnederlands(?:e)?\s+(?:als\s+)?moedertaal\b",
    ),
    ("en_native", "origin", r"\bnative\s+(?:dutch\s+|english\s+)?speakers?\b|\bnative\s+dutch\b"),
    (
        "en_origin",
        "origin",
        r"\b(?:dutch|british|european)\s+(?:nationality|origin|background|descent)\b",
    ),
    ("en_no_migrants", "origin", r"\bno\s+(?:foreigners|immigrants|migrants|refugees)\b"),
    # --- religion ---
    (
        "religion",
        "religion",
        r"\b(?:geen|zonder|no|without(?:\s+an?)?)\s+(?:hoofddoek|headscarf|hijab|moslims|muslims"
        r"|religieuze\s+\w+|religious\s+\w+)",
    ),
    # --- health ---
    (
        "health",
        "health",
        r"\b(?:geen|zonder)\s+(?:beperking|handicap|ziekteverleden|psychische\s+\w+)\w*"
        r"|\bno\s+(?:disabilit\w+|health problems|medical history|mental health)",
    ),
]
COMPILED = [(rule_id, category, re.compile(pattern)) for rule_id, category, pattern in RULES]


def normalise(text: str) -> str:
    """Lower case, accents stripped, dashes unified, whitespace collapsed (punctuation kept)."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("–", "-").replace("—", "-")
    return " ".join(text.split())


@dataclass(frozen=True)
class Flag:
    rule: str
    category: str
    field: str
    matched_text: str

    @property
    def category_label(self):
        return CATEGORIES[self.category]


def screen_text(text: str, field: str = "text") -> list[Flag]:
    normal = normalise(text)
    flags: list[Flag] = []
    seen: set[tuple[int, int]] = set()
    for rule_id, category, pattern in COMPILED:
        for match in pattern.finditer(normal):
            if any(start < match.end() and match.start() < end for start, end in seen):
                continue  # one flag per stretch of text
            seen.add(match.span())
            flags.append(
                Flag(
                    rule=rule_id,
                    category=category,
                    field=field,
                    matched_text=match.group(0).strip(),
                )
            )
    return flags


def screen_vacancy(vacancy) -> list[Flag]:
    """Flags in the vacancy's title, description and required skills."""
    skills = "; ".join(s for s in (vacancy.required_skills or ()) if isinstance(s, str))
    return [
        *screen_text(vacancy.title, "title"),
        *screen_text(vacancy.description or "", "description"),
        *screen_text(skills, "required_skills"),
    ]
