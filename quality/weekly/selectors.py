"""Reads of the weekly list: stored weeks and builds, the list grouped per client, counts per coach,
explanations and actions, trends. Client reads are scoped by the caller (a
`Client.objects.visible_to(user)` queryset)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Max, Min, Q, Sum

from quality.models import (
    FindingAction,
    FindingExplanation,
    QualitySnapshot,
    WeeklyListBuild,
    WeeklyListEntry,
)
from quality.rules import RULE_ORDER, RULES

from . import weeks
from .filters import CLIENT, RANK, SEVERITY


def explanations_by_key(clients) -> dict[tuple[int, str], FindingExplanation]:
    """Explanations in force for `clients`, by (client id, rule id)."""
    explanations = FindingExplanation.objects.in_force().filter(client__in=clients.values("pk"))
    return {(e.client_id, e.rule_id): e for e in explanations.select_related("explained_by")}


def weekly_entries(clients, iso_week: str):
    """The stored list of an ISO week, for the clients in `clients` (a visible_to queryset)."""
    return (
        WeeklyListEntry.objects.filter(iso_week=iso_week, client__in=clients.values("pk"))
        .select_related("client", "coach")
        .order_by("coach__full_name", "coach_id", "rank", "-severity", "rule_id")
    )


def coach_list(coach, iso_week: str):
    """What the coach is asked to fix this week: their open (not explained) entries."""
    from caseload.models import Client

    return weekly_entries(Client.objects.visible_to(coach), iso_week).filter(
        coach=coach, explained=False
    )


# --- the list, one row per client -----------------------------------------------------------------
ORDERINGS = {
    RANK: ("coach__full_name", "coach_id", "rank", "client__client_number"),
    SEVERITY: ("-worst", "-findings", "client__client_number"),
    CLIENT: ("client__client_number",),
}


def client_rows(entries, sort: str = RANK):
    """The clients of a (filtered) list, one row each, with the place on their coach's list, the
    gravest severity and the number of findings; a queryset to page over (one query per page)."""
    return (
        entries.order_by()
        .values("client_id", "client__client_number", "coach_id", "coach__full_name")
        .annotate(rank=Min("rank"), worst=Max("severity"), findings=Count("pk"))
        .order_by(*ORDERINGS[sort])
    )


def findings_of(entries, client_ids: list[int]) -> dict[int, list[WeeklyListEntry]]:
    """The (filtered) entries of the clients on a page, gravest first per client (one query)."""
    by_client: dict[int, list] = defaultdict(list)
    for entry in entries.filter(client_id__in=client_ids).select_related("client", "coach"):
        by_client[entry.client_id].append(entry)
    for items in by_client.values():
        items.sort(key=lambda e: (-e.severity, RULE_ORDER.get(e.rule_id, len(RULES))))
    return by_client


def latest_actions(client_ids: list[int]) -> dict[tuple[int, str], FindingAction]:
    """The last action on each finding of these clients (who returned it, with which note ...)."""
    latest: dict[tuple[int, str], FindingAction] = {}
    actions = FindingAction.objects.filter(client_id__in=client_ids).select_related("by")
    for action in actions.order_by("-at", "-pk"):
        latest.setdefault((action.client_id, action.rule_id), action)
    return latest


def counts_by_coach(entries) -> dict[int | None, dict]:
    """Per coach: clients on the (filtered) list, open and explained findings (one query)."""
    rows = (
        entries.order_by()
        .values("coach_id")
        .annotate(
            clients=Count("client_id", distinct=True),
            open=Count("pk", filter=Q(explained=False)),
            explained=Count("pk", filter=Q(explained=True)),
        )
    )
    return {row["coach_id"]: row for row in rows}


def open_by_coach(clients, iso_week: str) -> dict[int | None, int]:
    """Open findings per coach in a week (for the comparison with the week before)."""
    rows = (
        WeeklyListEntry.objects.filter(
            iso_week=iso_week, client__in=clients.values("pk"), explained=False
        )
        .order_by()
        .values("coach_id")
        .annotate(n=Count("pk"))
    )
    return {row["coach_id"]: row["n"] for row in rows}


# --- weeks and builds -----------------------------------------------------------------------------
def weeks_built(limit: int = 26) -> list[str]:
    """The weeks that have a list, latest first (from the builds: a small table)."""
    return list(
        WeeklyListBuild.objects.order_by("-iso_week")
        .values_list("iso_week", flat=True)
        .distinct()[:limit]
    )


def latest_week(built: list[str] | None = None) -> str:
    """The current week, or the latest week built before it when this week has no list yet
    (`built`: weeks_built(), when the caller has read it already)."""
    current = weeks.current_iso_week()
    built = [week for week in (weeks_built() if built is None else built) if week <= current]
    return current if not built or built[0] == current else built[0]


def last_build(iso_week: str, team_id: int | None) -> WeeklyListBuild | None:
    """The last build that covered `team_id`'s list of that week (one for every team counts)."""
    builds = WeeklyListBuild.objects.filter(iso_week=iso_week)
    if team_id is not None:
        builds = builds.filter(Q(team_id=team_id) | Q(team__isnull=True))
    return builds.order_by("-finished_at").first()


def snapshot_rows(coach_ids, limit_weeks: int = 12) -> list[dict]:
    """Per week and rule, summed over `coach_ids`: clients breaking it and active clients, for the
    last `limit_weeks` weeks with snapshots (one query)."""
    rows = list(
        QualitySnapshot.objects.filter(coach_id__in=coach_ids)
        .order_by()
        .values("iso_week", "key")
        .annotate(count=Sum("count"), total=Sum("total"))
    )
    weeks_shown = set(sorted({row["iso_week"] for row in rows})[-limit_weeks:])
    return [row for row in rows if row["iso_week"] in weeks_shown]


def snapshot_trend(rows: list[dict]) -> dict[str, dict[str, int]]:
    """{rule id: {week: count}} from snapshot_rows."""
    trend: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        trend[row["key"]][row["iso_week"]] = row["count"]
    return trend


def completeness_trend(rows: list[dict]) -> dict[str, dict[str, float | None]]:
    """{rule id: {week: share of active clients with the field registered}} for the rules about
    a registered field, from snapshot_rows (None: no active clients that week)."""
    fields = {rule.id for rule in RULES if rule.field}
    trend: dict[str, dict[str, float | None]] = defaultdict(dict)
    for row in rows:
        if row["key"] in fields:
            total = row["total"]
            trend[row["key"]][row["iso_week"]] = (1 - row["count"] / total) if total else None
    return trend
