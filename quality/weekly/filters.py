"""The one FilterSet of the weekly list, used by its pages, its exports and the API: by coach, rule,
severity, kind and state (open / explained), over a week's entries already scoped with visible_to."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from caseload.filters import FilterSet
from caseload.keys import MAX_ID
from quality import rules

OPEN, EXPLAINED = "open", "explained"
STATE_CHOICES = [(OPEN, _("open")), (EXPLAINED, _("explained"))]
# How the clients of a list are ordered: a coach's list by its rank (the most blocking first, per
# coach), the whole list by the gravest gap, or by client number.
RANK, SEVERITY, CLIENT = "rank", "severity", "client"
SORT_CHOICES = [
    (RANK, _("per coach, most blocking first")),
    (SEVERITY, _("gravest gap first")),
    (CLIENT, _("client number")),
]


def _kinds():
    return list(rules.KIND_LABELS.items())


def _severities():
    return [(str(value), label) for value, label in rules.SEVERITY_LABELS.items()]


class WeeklyEntryFilterSet(FilterSet):
    # A coach's id, as on the client list: the page offers the coaches the reader may see; another
    # id selects nothing (the entries are scoped already).
    coach = django_filters.NumberFilter(
        label=_("Work coach"), field_name="coach_id", min_value=1, max_value=MAX_ID, step_size=1
    )
    rule = django_filters.ChoiceFilter(
        label=_("Finding"), choices=rules.choices, field_name="rule_id"
    )
    severity = django_filters.ChoiceFilter(
        label=_("Severity"), choices=_severities, field_name="severity"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=_kinds, method="filter_kind")
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=STATE_CHOICES, method="filter_state"
    )
    sort = django_filters.ChoiceFilter(
        label=_("Order"), choices=SORT_CHOICES, method="keep", empty_label=None
    )

    def __init__(self, *args, coach_choices=None, **kwargs):
        """`coach_choices` [(id, name)]: the team view offers the coach filter as a list of the
        coaches the reader may see (the API and the exports take the id as a number)."""
        super().__init__(*args, **kwargs)
        if coach_choices is not None:
            self.offer_as_list("coach", _("Any coach"), coach_choices)

    def filter_kind(self, queryset, name, value: str):
        return queryset.filter(rule_id__in=[rule.id for rule in rules.RULES if rule.kind == value])

    def filter_state(self, queryset, name, value: str):
        return queryset.filter(explained=value == EXPLAINED)

    def keep(self, queryset, name, value: str):
        """Ordering applies to the clients of the list, not to its rows: see selectors.client_rows."""
        return queryset

    def sort_order(self) -> str:
        return (self.form.cleaned_data.get("sort") if self.is_valid() else None) or RANK
