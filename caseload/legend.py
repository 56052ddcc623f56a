"""The legend: the one written definition of every field and figure.

Pages render it, the API schema uses it for field descriptions, and docs/legend.md is generated
from it (`python manage.py legend_markdown`). Each app registers its own sections and figures in
its `definitions.py` (imported from AppConfig.ready), so all of them end up in this one registry.

A definition says what is counted, over which clients, as of when, and how unknowns are treated.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    position: int  # sections are listed by position, whichever app defined them first


_SECTIONS: dict[str, Section] = {}


@dataclass(frozen=True)
class Definition:
    key: str
    label: str
    text: str
    section: str

    @property
    def anchor(self) -> str:
        return f"def-{self.key}"


_REGISTRY: dict[str, Definition] = {}


def define_section(key: str, title, position: int) -> Section:
    """Register a section of the legend. Keys are unique: a second one is a bug."""
    if key in _SECTIONS:
        raise ValueError(f"legend section {key!r} is defined twice")
    _SECTIONS[key] = section = Section(key=key, title=title, position=position)
    return section


def define(key: str, label, text, section: str) -> Definition:
    """Register a definition. Keys are unique across the app: a second one is a bug."""
    if section not in _SECTIONS:
        raise ValueError(f"unknown legend section {section!r}")
    if key in _REGISTRY:
        raise ValueError(f"legend key {key!r} is defined twice")
    definition = Definition(key=key, label=label, text=text, section=section)
    _REGISTRY[key] = definition
    return definition


def get(key: str) -> Definition:
    return _REGISTRY[key]


def all_definitions(section: str | None = None) -> list[Definition]:
    return [d for d in _REGISTRY.values() if section is None or d.section == section]


def grouped() -> list[tuple[str, list[Definition]]]:
    """Definitions by section, in section order, for the legend page."""
    sections = sorted(_SECTIONS.values(), key=lambda section: section.position)
    return [
        (str(section.title), all_definitions(section.key))
        for section in sections
        if all_definitions(section.key)
    ]


def text(key: str) -> str:
    """The definition text, for help_text and API schema descriptions."""
    return _REGISTRY[key].text
