"""The legend: the one written definition of every field and figure.

Pages render it, the API schema uses it for field descriptions, and docs/legend.md is generated
from it (`python manage.py legend_markdown`). Each app registers its own figures in its
`definitions.py` (imported from AppConfig.ready), so all of them end up in this one registry.

A definition says what is counted, over which clients, as of when, and how unknowns are treated.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

SECTIONS = {
    "field": _("Registered fields"),
    "overview": _("Overview figures"),
    "characteristic": _("Characteristics"),
    "monitoring": _("Monitoring"),
    "quality": _("Data quality"),
    "team": _("Team figures"),
    "matching": _("Vacancy matching"),
    "visibility": _("Visibility report"),
}


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


def define(key: str, label, text, section: str) -> Definition:
    """Register a definition. Keys are unique across the app: a second one is a bug."""
    if section not in SECTIONS:
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
    return [
        (str(title), all_definitions(key))
        for key, title in SECTIONS.items()
        if all_definitions(key)
    ]


def text(key: str) -> str:
    """The definition text, for help_text and API schema descriptions."""
    return _REGISTRY[key].text
