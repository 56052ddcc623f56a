"""Figures: counts of clients, each defined by the client list behind it.

A `Figure` is a set of client-list filter parameters (ClientFilterSet), a label and the key of its
definition in the legend. Its members are exactly the clients that `/clients/?<its parameters>`
lists; it is counted by applying that very FilterSet (`count`, or per coach with
`counts_by_coach`, many figures in one aggregate query) and it links to that list (`list_url`).
So a number and the list behind it cannot disagree. Every dashboard, the team figures, the data
quality figures and the visibility report's links are built here; no figure is defined elsewhere.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import QueryDict
from django.urls import reverse

from . import legend
from .filters import ClientFilterSet

Params = tuple[tuple[str, str], ...]


def as_params(mapping: Mapping[str, object]) -> Params:
    """{"name": value or [values]} as figure parameters (a list: the same name repeated, any of)."""
    pairs = []
    for name, value in mapping.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            pairs.append((name, str(item)))
    return tuple(pairs)


def as_query(base: QueryDict | Mapping | None) -> QueryDict:
    if isinstance(base, QueryDict):
        return base.copy()
    query = QueryDict(mutable=True)
    for name, value in as_params(base or {}):
        query.appendlist(name, value)
    return query


def client_list_url(query: QueryDict | Mapping | str = "") -> str:
    """The client list, filtered by `query` (ClientFilterSet parameters)."""
    if not isinstance(query, str):
        query = as_query(query).urlencode()
    return reverse("caseload:client_list") + (f"?{query}" if query else "")


@dataclass(frozen=True)
class Figure:
    key: str  # unique on its page
    params: Params  # ClientFilterSet parameters; a name may repeat (any of its values)
    label: str = ""
    definition: str = ""  # legend key

    def data(self, base: QueryDict | Mapping | None = None) -> QueryDict:
        """The base parameters (coach, thresholds) with this figure's own on top."""
        data = as_query(base)
        for name in dict.fromkeys(name for name, _value in self.params):
            data.setlist(name, [value for n, value in self.params if n == name])
        return data

    def query(self, base: QueryDict | Mapping | None = None) -> str:
        return self.data(base).urlencode()

    def list_url(self, base: QueryDict | Mapping | None = None) -> str:
        return client_list_url(self.query(base))


def figure(key: str, *params: tuple[str, str], definition: str | None = None, label=None) -> Figure:
    """A figure whose label and definition come from the legend (entry `definition`, else `key`)."""
    entry = legend.get(definition or key)
    return Figure(key=key, params=tuple(params), label=label or entry.label, definition=entry.key)


class InvalidFigure(ValueError):
    """Figure parameters the FilterSet rejects: a bug in a figure, or bad base parameters."""


@functools.lru_cache(maxsize=512)
def narrowed_filterset(names: frozenset[str]) -> type[ClientFilterSet]:
    """ClientFilterSet with only the named filters: the same filter objects and methods.

    A filter absent from the query string filters nothing, so leaving it out changes no result;
    it only saves building every filter and form field for each of the ~80 figures on a page. The
    listing annotations are left out too: a count selects rows, it shows no columns.
    """
    narrowed = type("NarrowedClientFilterSet", (ClientFilterSet,), {"annotate_for_listing": False})
    narrowed.base_filters = {
        name: filter_ for name, filter_ in ClientFilterSet.base_filters.items() if name in names
    }
    return narrowed


def members(clients, figure: Figure, base: QueryDict | Mapping | None = None):
    """The clients a figure counts among `clients` (a `Client.objects.visible_to(...)` queryset):
    exactly the queryset its client-list link shows."""
    data = figure.data(base)
    filterset = narrowed_filterset(frozenset(data))(data, queryset=clients)
    if not filterset.is_valid():
        raise InvalidFigure(f"{figure.key}: {filterset.errors.as_json()}")
    return filterset.qs


def membership(clients, figure: Figure, base: QueryDict | Mapping | None = None) -> Q:
    """A condition on a client: member of the figure (for conditional counts and flags)."""
    return Q(pk__in=members(clients, figure, base).values("pk"))


def _aggregates(clients, figures: Iterable[Figure], base) -> dict[str, Count]:
    return {
        f"figure_{index}": Count("pk", filter=membership(clients, figure, base))
        for index, figure in enumerate(figures)
    }


def count(
    clients, figures: list[Figure], base: QueryDict | Mapping | None = None
) -> dict[str, int]:
    """{figure key: count} for all figures in ONE aggregate query over `clients`."""
    if not figures:
        return {}
    counts = clients.aggregate(**_aggregates(clients, figures, base))
    return {figure.key: counts[f"figure_{index}"] for index, figure in enumerate(figures)}


def counts_by_coach(
    clients, figures: list[Figure], base: QueryDict | Mapping | None = None, **extra
) -> dict[int | None, dict[str, int]]:
    """{coach id: {figure key: count}} in ONE query grouped by coach (coaches with no client of
    `clients` are absent). `extra` adds aggregates of its own to each row."""
    rows = (
        clients.order_by()
        .values("coach_id")
        .annotate(**_aggregates(clients, figures, base), **extra)
    )
    return {
        row.pop("coach_id"): {
            **{figure.key: row.pop(f"figure_{index}") for index, figure in enumerate(figures)},
            **row,
        }
        for row in rows
    }
