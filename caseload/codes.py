"""Translated labels of the registration system's free codes (service tracks, workshop themes,
contact topics).

The export sends these as codes without a fixed list. Known codes are shown by their label in the
active language; a code not (yet) known here is shown as it is, never hidden or guessed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SERVICE_TRACKS = {
    "WORK": _("Work"),
    "PART": _("Participation"),
    "CARE": _("Care and support"),
    "EDU": _("Education"),
}
WORKSHOP_THEMES = {
    "job_search": _("Applying for jobs"),
    "language": _("Language"),
    "certificate": _("Certificate"),
    "digital": _("Digital skills"),
    "care": _("Care"),
}

CONTACT_TOPICS = {
    "work": _("work"),
    "education": _("education"),
    "health": _("health"),
    "income": _("income"),
    "childcare": _("childcare"),
    "language": _("language"),
    "debt": _("debt"),
    "housing": _("housing"),
}


def label(codes: dict, code: str | None) -> str | None:
    """The label of `code`, the code itself when unknown, None when not registered."""
    if code is None or code == "":
        return None
    return str(codes.get(code, code))


def service_track(code: str | None) -> str | None:
    return label(SERVICE_TRACKS, code)


def workshop_theme(code: str | None) -> str | None:
    return label(WORKSHOP_THEMES, code)


def contact_topics(topics) -> list[str]:
    return [label(CONTACT_TOPICS, topic) for topic in topics or () if topic]
