"""Reads for the data-quality pages, the API and the weekly job. All client reads are scoped by the
caller (a `Client.objects.visible_to(user)` queryset), except the weekly job, which covers everyone."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Sum

from caseload.models import Client

from . import rules as quality_rules
from .models import FindingExplanation, QualitySnapshot, WeeklyListEntry
from .rules import MISSING, RULES, Rule


@dataclass
class Finding:
    rule: Rule
    explanation: FindingExplanation | None = None

    @property
    def explained(self) -> bool:
        return self.explanation is not None


def counts_by_rule_and_coach(clients, today: datetime.date) -> dict[str, dict[int | None, int]]:
    """{rule id: {coach id: number of clients breaking it}} (coaches with none left out): ONE query
    grouped by coach, each rule a conditional count over its own queryset, so the query count does
    not grow with the rules (it was one round trip per rule)."""
    rows = (
        clients.order_by()
        .values("coach_id")
        .annotate(
            **{
                f"rule_{index}": Count(
                    "pk", filter=Q(pk__in=rule.apply(clients, today).values("pk"))
                )
                for index, rule in enumerate(RULES)
            }
        )
    )
    counts: dict[str, dict[int | None, int]] = {rule.id: {} for rule in RULES}
    for row in rows:
        for index, rule in enumerate(RULES):
            if row[f"rule_{index}"]:
                counts[rule.id][row["coach_id"]] = row[f"rule_{index}"]
    return counts


def active_by_coach(clients) -> dict[int | None, int]:
    rows = clients.active().order_by().values("coach_id").annotate(n=Count("pk"))
    return {row["coach_id"]: row["n"] for row in rows}


def completeness(clients) -> list[dict]:
    """Per registered field a *missing* rule watches: registered vs active clients, in one query."""
    fields = [rule for rule in RULES if rule.kind == MISSING]
    totals = clients.active().aggregate(
        total=Count("pk"),
        **{rule.id: Count("pk", filter=Q(**{f"{rule.field}__isnull": False})) for rule in fields},
    )
    total = totals["total"]
    result = [
        {
            "rule": rule,
            "registered": totals[rule.id],
            "missing": total - totals[rule.id],
            "total": total,
            "share": (totals[rule.id] / total) if total else None,
        }
        for rule in fields
    ]
    return sorted(
        result,
        key=lambda row: (
            row["share"] if row["share"] is not None else 1,
            quality_rules.RULE_ORDER[row["rule"].id],
        ),
    )


def findings_for_client(client: Client, today: datetime.date) -> list[Finding]:
    """The findings of one client, with the explanation in force if any: one query for all rules."""
    flags = (
        Client.objects.filter(pk=client.pk)
        .annotate(
            **{
                f"breaks_{rule.id}": Exists(
                    rule.apply(Client.objects.all(), today).filter(pk=OuterRef("pk"))
                )
                for rule in RULES
            }
        )
        .values(*[f"breaks_{rule.id}" for rule in RULES])
        .first()
        or {}
    )
    explanations = {
        explanation.rule_id: explanation
        for explanation in FindingExplanation.objects.in_force()
        .filter(client=client)
        .select_related("explained_by")
    }
    return [
        Finding(rule=rule, explanation=explanations.get(rule.id))
        for rule in RULES
        if flags.get(f"breaks_{rule.id}")
    ]


def finding_rows(clients, today: datetime.date, rule_ids: list[str] | None = None) -> list[dict]:
    """Every (client, rule) finding in `clients`, for the API: one query per rule plus one."""
    rows = []
    for rule in RULES:
        if rule_ids and rule.id not in rule_ids:
            continue
        for client_id, number, coach_id in (
            rule.apply(clients, today)
            .order_by("client_number")
            .values_list("pk", "client_number", "coach_id")
        ):
            rows.append(
                {"client_id": client_id, "client_number": number, "coach": coach_id, "rule": rule}
            )
    explained = set(
        FindingExplanation.objects.in_force()
        .filter(client__in=clients.values("pk"))
        .values_list("client_id", "rule_id")
    )
    for row in rows:
        row["explained"] = (row["client_id"], row["rule"].id) in explained
    return rows


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
