"""The client list's filter bar: which filters show first, the active filters as removable chips,
and clean URLs (no empty parameters). The filtering itself is ClientFilterSet's, unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import QueryDict
from django.utils import formats
from django.utils.translation import gettext as _

from . import codes
from .figures import client_list_url

# Shown at the top of the list; every other filter sits behind "More filters".
PRIMARY_FILTERS = (
    "team",
    "coach",
    "last_contact",
    "not_seen",
    "not_seen_days",
    "contact_overdue",
    "no_active_plan",
    "cv_on_file",
    "driving_licence",
    "participation_step",
)
# Parameters that shape the list but select no clients: never a chip.
NOT_FILTERS = frozenset({"page", "page_size", "ordering"})
# A threshold belongs to its flag: one chip says both, and removing it removes both.
THRESHOLDS = {"not_seen": "not_seen_days", "quiet": "quiet_days"}
THRESHOLD_LABELS = {
    "not_seen": lambda days: _("Not seen for more than %(days)s days") % {"days": days},
    "quiet": lambda days: _("Quiet for more than %(days)s days") % {"days": days},
}


def clean_query(query: QueryDict) -> QueryDict:
    """The query without empty values (a form submits every field, filled in or not)."""
    cleaned = QueryDict(mutable=True)
    for name, values in query.lists():
        kept = [value for value in values if value.strip()]
        if kept:
            cleaned.setlist(name, kept)
    return cleaned


def has_empty_values(query: QueryDict) -> bool:
    return any(not value.strip() for _name, values in query.lists() for value in values)


@dataclass(frozen=True)
class Chip:
    name: str
    label: str
    remove_url: str


def without(query: QueryDict, *names: str) -> str:
    rest = query.copy()
    for name in (*names, "page"):
        rest.pop(name, None)
    return client_list_url(rest)


def value_label(field: forms.BoundField, value: str) -> str:
    if field.name == "service_track":
        return codes.service_track(value)
    choices = getattr(field.field, "choices", None)
    if choices is None:
        choices = getattr(field.field.widget, "choices", None)
    if choices is not None:
        return str({str(key): label for key, label in list(choices)}.get(value, value))
    if isinstance(field.field, forms.DateField):
        cleaned = field.field.to_python(value)
        return formats.date_format(cleaned) if cleaned else value
    return value


def chips(filterset, query: QueryDict) -> list[Chip]:
    """One chip per active filter, in the form's order, each with the URL of the list without it."""
    query = clean_query(query)
    form = filterset.form
    result = []
    for name in form.fields:
        if name in NOT_FILTERS or name in THRESHOLDS.values() or name not in query:
            continue
        field = form[name]
        if name in THRESHOLDS:
            days = filterset.days(THRESHOLDS[name])
            label = THRESHOLD_LABELS[name](days)
            result.append(Chip(name, label, without(query, name, THRESHOLDS[name])))
            continue
        if isinstance(field.field.widget, forms.CheckboxInput):
            label = str(field.label)
        else:
            values = ", ".join(value_label(field, value) for value in query.getlist(name))
            label = f"{field.label}: {values}"
        result.append(Chip(name, label, without(query, name)))
    return result
