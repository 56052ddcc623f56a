"""Reads for the dashboards. Every client read goes through Client.objects.visible_to(user)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.db.models import BooleanField, Count, ExpressionWrapper, F, IntegerField, Q, Value, When
from django.db.models import Case as SQLCase
from django.http import Http404, QueryDict

from caseload.filters import ClientFilterSet
from caseload.selectors import coaches_visible_to, visible_clients

from .figures import (
    Figure,
    all_characteristic_figures,
    characteristics,
    last_contact_table,
    monitoring_figures,
    overview_figures,
)

TODO_LIMIT = 15
# (figure key, urgency weight): the legend entry "todo" states the same weights.
TODO_REASONS = [
    ("not_seen", 5),
    ("contact_overdue", 4),
    ("plan_review_overdue", 3),
    ("no_active_plan", 2),
    ("quiet", 1),
    ("no_cv", 1),
]


class InvalidFigure(ValueError):
    """A figure whose parameters the FilterSet rejects: a bug in the spec or bad base parameters."""


@functools.lru_cache(maxsize=512)
def narrowed_filterset(names: frozenset[str]) -> type[ClientFilterSet]:
    """ClientFilterSet with only the named filters: the same filter objects and methods.

    A filter absent from the query string filters nothing, so leaving it out changes no result;
    it only saves building ~25 filters and form fields for each of the ~80 figures on a page. The
    listing annotations are left out too: a count selects rows, it shows no columns.
    """
    narrowed = type("NarrowedClientFilterSet", (ClientFilterSet,), {"annotate_for_listing": False})
    narrowed.base_filters = {
        name: filter_ for name, filter_ in ClientFilterSet.base_filters.items() if name in names
    }
    return narrowed


def figure_members(user, figure: Figure, base: QueryDict):
    """The clients a figure counts: exactly the queryset its client-list link shows."""
    data = figure.data(base)
    filterset = narrowed_filterset(frozenset(data))(data, queryset=visible_clients(user))
    if not filterset.is_valid():
        raise InvalidFigure(f"{figure.key}: {filterset.errors.as_json()}")
    return filterset.qs


def count_figures(user, figures: list[Figure], base: QueryDict) -> dict[str, int]:
    """All figures in ONE aggregate query, each a conditional count over its FilterSet's queryset."""
    if not figures:
        return {}
    aggregates = {
        f"figure_{index}": Count(
            "pk", filter=Q(pk__in=figure_members(user, figure, base).values("pk"))
        )
        for index, figure in enumerate(figures)
    }
    counts = visible_clients(user).aggregate(**aggregates)
    return {figure.key: counts[f"figure_{index}"] for index, figure in enumerate(figures)}


def service_tracks(user, base: QueryDict) -> list[str]:
    """The service track codes registered in the caseload (the values of a free-code field)."""
    clients = visible_clients(user).active()
    if base.get("coach"):
        clients = clients.filter(coach_id=base["coach"])
    return list(
        clients.exclude(service_track__isnull=True)
        .exclude(service_track="")
        .order_by("service_track")
        .values_list("service_track", flat=True)
        .distinct()
    )


def todo_list(user, figures: dict[str, Figure], base: QueryDict, limit: int = TODO_LIMIT):
    """The most urgent active clients with their reasons, in one query.

    Each reason is membership of the monitoring figure's own queryset, so a client on the to-do
    list for 'contact overdue' is always in the 'contact overdue' list too.
    """
    flags = {
        f"reason_{key}": ExpressionWrapper(
            Q(pk__in=figure_members(user, figures[key], base).values("pk")),
            output_field=BooleanField(),
        )
        for key, _weight in TODO_REASONS
    }
    urgency = sum(
        (
            SQLCase(
                When(**{f"reason_{key}": True}, then=Value(weight)),
                default=Value(0),
                output_field=IntegerField(),
            )
            for key, weight in TODO_REASONS
        ),
        start=Value(0),
    )
    clients = visible_clients(user).active()
    if base.get("coach"):
        clients = clients.filter(coach_id=base["coach"])
    rows = (
        clients.with_last_contact()
        .with_contact_due()
        .annotate(**flags)
        .annotate(urgency=urgency)
        .filter(urgency__gt=0)
        .select_related("coach")
        .order_by("-urgency", F("contact_due_date").asc(nulls_last=True), "client_number")[:limit]
    )
    rows = list(rows)
    for row in rows:
        row.reasons = [
            (figures[key], figures[key].query(base))
            for key, _weight in TODO_REASONS
            if getattr(row, f"reason_{key}")
        ]
    return rows


def dashboard_coach(user, coach_id: str | None):
    """The coach whose dashboard `user` asked for (None: the whole visible caseload).

    A coach outside the user's scope, or an id that is not a number, answers 404.
    """
    if not coach_id:
        return None
    try:
        return coaches_visible_to(user).get(pk=int(coach_id))
    except (ValueError, TypeError) as exc:
        raise Http404("No such coach") from exc
    except coaches_visible_to(user).model.DoesNotExist as exc:
        raise Http404("No such coach") from exc


@dataclass(frozen=True)
class Counted:
    """A figure as shown: its count and the client-list query string behind it."""

    key: str
    label: str
    definition: str
    count: int
    query: str


@dataclass(frozen=True)
class CountedCharacteristic:
    name: str
    label: str
    definition: str
    values: list[Counted]
    unknown: Counted


def coach_dashboard(user, base: QueryDict, thresholds_from: QueryDict) -> dict:
    """Everything the work coach dashboard shows, in a fixed number of queries.

    `base` holds the parameters every figure shares (the chosen coach); `thresholds_from` the
    page's own query, which may set not_seen_days and quiet_days.
    """
    overview = overview_figures()
    monitoring = monitoring_figures(thresholds_from)
    last_contact = last_contact_table()
    tables = characteristics(service_tracks(user, base))
    counts = count_figures(
        user, [*overview, *monitoring, *all_characteristic_figures([last_contact, *tables])], base
    )

    def counted(figure):
        return Counted(
            figure.key, figure.label, figure.definition, counts[figure.key], figure.query(base)
        )

    def counted_table(table):
        return CountedCharacteristic(
            table.name,
            table.label,
            table.definition,
            [counted(f) for f in table.values],
            counted(table.unknown),
        )

    return {
        "overview": [counted(f) for f in overview],
        "monitoring": [counted(f) for f in monitoring],
        "last_contact": counted_table(last_contact),
        "characteristics": [counted_table(table) for table in tables],
        "todo": todo_list(user, {f.key: f for f in monitoring}, base),
    }
