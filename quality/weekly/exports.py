"""Exports of the weekly list (CSV, XLSX): one row per finding, formula-safe (caseload.exports),
full or pseudonymised (no client number, no free text)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from caseload import exports
from caseload.exports import Column
from caseload.privacy import pseudonym

from .filters import STATE_CHOICES

STATES = dict(STATE_CHOICES)


def _rule(attribute: str):
    return lambda entry: str(getattr(entry.rule, attribute)) if entry.rule else entry.rule_id


def _state(entry):
    return str(STATES["explained" if entry.explained else "open"])


COMMON = [
    Column(_("Finding"), _rule("finding_label")),
    Column(_("Kind"), _rule("kind_label")),
    Column(_("Severity"), _rule("severity_label")),
    Column(_("What it blocks"), _rule("blocks")),
    Column(_("State"), _state),
]
COLUMNS = {
    exports.FULL: [
        Column(_("ISO week"), lambda entry: entry.iso_week),
        Column(_("Work coach"), lambda entry: str(entry.coach) if entry.coach else None),
        Column(_("Place on the coach's list"), lambda entry: entry.rank),
        Column(_("Client number"), lambda entry: entry.client.client_number),
        *COMMON,
        Column(
            _("Reason"),
            lambda entry: entry.explanation.reason if getattr(entry, "explanation", None) else None,
        ),
    ],
    exports.PSEUDONYMISED: [
        Column(_("ISO week"), lambda entry: entry.iso_week),
        Column(_("Work coach"), lambda entry: entry.coach.employee_id if entry.coach else None),
        Column(_("Pseudonym"), lambda entry: pseudonym(entry.client.client_number)),
        *COMMON,
    ],
}
