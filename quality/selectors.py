"""Reads of data-quality findings, for the pages, the API and the weekly job. Client reads are
scoped by the caller (a `Client.objects.visible_to(user)` queryset); the weekly job covers everyone."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from caseload.figures import Figure
from caseload.models import Client

from . import rules as quality_rules
from .models import FindingExplanation
from .rules import MISSING, RULES, Rule, rule_key


def finding_figure(rule: Rule) -> Figure:
    """The clients breaking `rule`, as a figure: counted and listed through the client list's
    `finding` filter (registered by this app, see quality.apps)."""
    return Figure(
        key=rule.id, params=(("finding", rule.id),), label=rule.label, definition=rule_key(rule.id)
    )


@dataclass
class Finding:
    rule: Rule
    explanation: FindingExplanation | None = None

    @property
    def explained(self) -> bool:
        return self.explanation is not None


def active_by_coach(clients) -> dict[int | None, int]:
    rows = clients.active().order_by().values("coach_id").annotate(n=Count("pk"))
    return {row["coach_id"]: row["n"] for row in rows}


def completeness(clients) -> list[dict]:
    """Per registered field a *missing* rule watches: registered vs active clients, in one query."""
    fields = [rule for rule in RULES if rule.kind == MISSING and rule.field]
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
