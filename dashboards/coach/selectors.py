"""Reads for the work coach dashboard. Every client read goes through Client.objects.visible_to(user)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, F, IntegerField, Value, When
from django.db.models import Case as SQLCase
from django.http import Http404, QueryDict

from caseload import access, figures
from caseload.figures import Figure
from caseload.selectors import coaches_visible_to, teams_visible_to, visible_clients

from .contents import (
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


def narrowed(clients, base: QueryDict):
    """`clients` of the chosen coach or team (the page's base parameters)."""
    if base.get("coach"):
        clients = clients.filter(coach_id=base["coach"])
    if base.get("team"):
        clients = clients.filter(coach__team_id=base["team"])
    return clients


def service_tracks(user, base: QueryDict) -> list[str]:
    """The service track codes registered in the caseload (the values of a free-code field)."""
    clients = narrowed(visible_clients(user).active(), base)
    return list(
        clients.exclude(service_track__isnull=True)
        .exclude(service_track="")
        .order_by("service_track")
        .values_list("service_track", flat=True)
        .distinct()
    )


def todo_list(user, reasons: dict[str, Figure], base: QueryDict, limit: int = TODO_LIMIT):
    """The most urgent active clients with their reasons, in one query.

    Each reason is membership of the monitoring figure's own queryset, so a client on the to-do
    list for 'contact overdue' is always in the 'contact overdue' list too.
    """
    flags = {
        f"reason_{key}": ExpressionWrapper(
            figures.membership(visible_clients(user), reasons[key], base),
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
    clients = narrowed(visible_clients(user).active(), base)
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
            (reasons[key], reasons[key].query(base))
            for key, _weight in TODO_REASONS
            if getattr(row, f"reason_{key}")
        ]
    return rows


def one_of_or_404(queryset, pk: str, what: str):
    """The record `pk` of `queryset` (the reader's scope); not a number or not in it: 404."""
    try:
        return queryset.get(pk=int(pk))
    except (ValueError, TypeError, queryset.model.DoesNotExist) as exc:
        raise Http404(f"No such {what}") from exc


def dashboard_team(user, team_id: str | None):
    """The team a reader of several teams chose (None: all they may see); 404 outside scope."""
    if not team_id or not access.picks_team(user):
        return None
    return one_of_or_404(teams_visible_to(user), team_id, "team")


def dashboard_coach(user, coach_id: str | None):
    """The coach whose dashboard `user` asked for (None: the whole visible caseload).

    A coach outside the user's scope, or an id that is not a number, answers 404.
    """
    if not coach_id:
        return None
    return one_of_or_404(coaches_visible_to(user), coach_id, "coach")


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
    counts = figures.count(
        visible_clients(user),
        [*overview, *monitoring, *all_characteristic_figures([last_contact, *tables])],
        base,
    )

    def counted(shown):
        return Counted(
            shown.key, shown.label, shown.definition, counts[shown.key], shown.query(base)
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
