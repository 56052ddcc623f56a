"""The skill/occupation concept table: synonyms in Dutch and English mapped to one concept id.

A small shipped table (concepts_v1.json) stands in for ESCO. Everything else only sees
`ConceptTable.concepts_for(term)` / `.concepts_in(text)` and `.version`, so an ESCO-backed table
with the same two methods can replace it; each shortlist records the version that ranked it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DEFAULT_TABLE = Path(__file__).with_name("concepts_v1.json")
RAW_PREFIX = "term:"


def normalise(text: str) -> str:
    """Lower case, accents stripped, punctuation to spaces, whitespace collapsed."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^\w+]+", " ", text).split())


@dataclass(frozen=True)
class Concept:
    id: str
    labels: dict
    synonyms: tuple
    occupations: tuple

    def label(self, language: str = "en") -> str:
        return self.labels.get(language) or self.labels.get("en") or self.id


@dataclass
class ConceptTable:
    version: str
    concepts: dict[str, Concept]
    _skill_terms: dict[str, set] = field(default_factory=dict, repr=False)
    _occupation_terms: dict[str, set] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        for concept in self.concepts.values():
            for term in (*concept.labels.values(), *concept.synonyms):
                self._skill_terms.setdefault(normalise(term), set()).add(concept.id)
            for term in concept.occupations:
                self._occupation_terms.setdefault(normalise(term), set()).add(concept.id)

    @classmethod
    def load(cls, path: Path = DEFAULT_TABLE) -> ConceptTable:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        concepts = {
            row["id"]: Concept(
                id=row["id"],
                labels=row["labels"],
                synonyms=tuple(row.get("synonyms", ())),
                occupations=tuple(row.get("occupations", ())),
            )
            for row in data["concepts"]
        }
        return cls(version=data["version"], concepts=concepts)

    def concepts_for(self, term: str) -> frozenset[str]:
        """Concepts of a skill label. An unknown label is its own concept, so exact text still matches."""
        key = normalise(term)
        if not key:
            return frozenset()
        return frozenset(self._skill_terms.get(key) or {RAW_PREFIX + key})

    def occupation_concepts(self, occupation: str) -> frozenset[str]:
        """Concepts an occupation (work experience, vacancy title) relates to."""
        key = normalise(occupation)
        return frozenset(self._occupation_terms.get(key, set()) | self._skill_terms.get(key, set()))

    def concepts_in(self, text: str) -> frozenset[str]:
        """Concepts whose label or synonym occurs as whole words in a free text (workshop titles)."""
        padded = f" {normalise(text)} "
        found: set[str] = set()
        for term, ids in self._skill_terms.items():
            if f" {term} " in padded:
                found |= ids
        return frozenset(found)

    def label(self, concept_id: str, language: str = "en") -> str:
        if concept_id.startswith(RAW_PREFIX):
            return concept_id[len(RAW_PREFIX) :]
        return self.concepts[concept_id].label(language)


@lru_cache(maxsize=1)
def default_table() -> ConceptTable:
    return ConceptTable.load()
