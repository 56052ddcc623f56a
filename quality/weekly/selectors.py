"""Reads of the weekly list: stored weeks, explanations, progress and trends. Client reads are
scoped by the caller (a `Client.objects.visible_to(user)` queryset)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Sum

from caseload.models import Client
from quality.models import FindingExplanation, QualitySnapshot, WeeklyListEntry


def explained_keys(clients=None) -> set[tuple[int, str]]:
    explanations = FindingExplanation.objects.in_force()
    if clients is not None:
        explanations = explanations.filter(client__in=clients.values("pk"))
    return set(explanations.values_list("client_id", "rule_id"))


def explanations_by_key(clients) -> dict[tuple[int, str], FindingExplanation]:
    """Explanations in force for `clients`, by (client id, rule id)."""
    explanations = FindingExplanation.objects.in_force().filter(client__in=clients.values("pk"))
    return {(e.client_id, e.rule_id): e for e in explanations.select_related("explained_by")}


def weekly_entries(clients, iso_week: str):
    """The stored list of an ISO week, for the clients in `clients` (a visible_to queryset)."""
    return (
        WeeklyListEntry.objects.filter(iso_week=iso_week, client__in=clients.values("pk"))
        .select_related("client", "coach")
        .order_by("coach__full_name", "coach_id", "rank")
    )


def coach_list(coach, iso_week: str):
    """What the coach is asked to fix this week: their entries, without the ones they explained."""
    return weekly_entries(Client.objects.visible_to(coach), iso_week).filter(
        coach=coach, explained=False
    )


def weeks_built(clients) -> list[str]:
    return list(
        WeeklyListEntry.objects.filter(client__in=clients.values("pk"))
        .order_by("-iso_week")
        .values_list("iso_week", flat=True)
        .distinct()
    )


def week_totals_by_coach(clients, iso_weeks: list[str]) -> dict[str, dict[int | None, int]]:
    """{week: {coach id: findings on the coach's list}} for progress week on week (one query)."""
    rows = (
        WeeklyListEntry.objects.filter(
            iso_week__in=iso_weeks, client__in=clients.values("pk"), explained=False
        )
        .order_by()
        .values("iso_week", "coach_id")
        .annotate(n=Count("pk"))
    )
    totals: dict[str, dict[int | None, int]] = defaultdict(dict)
    for row in rows:
        totals[row["iso_week"]][row["coach_id"]] = row["n"]
    return totals


def snapshot_trend(coach_ids, limit_weeks: int = 12) -> dict[str, dict[str, int]]:
    """{rule id: {week: count}} summed over `coach_ids`, for the last `limit_weeks` weeks (one query)."""
    rows = (
        QualitySnapshot.objects.filter(coach_id__in=coach_ids)
        .order_by()
        .values("iso_week", "key")
        .annotate(count=Sum("count"))
    )
    weeks = sorted({row["iso_week"] for row in rows})[-limit_weeks:]
    trend: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        if row["iso_week"] in weeks:
            trend[row["key"]][row["iso_week"]] = row["count"]
    return trend
