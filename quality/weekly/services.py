"""Writes of the weekly list: building it (idempotent upsert), explanations, digests."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from caseload.importer import create_rows
from caseload.models import Client, Role, User
from quality.models import DigestSent, FindingExplanation, QualitySnapshot, WeeklyListEntry
from quality.rules import RULE_ORDER, RULES, RULES_BY_ID
from quality.selectors import active_by_coach

from . import weeks
from .selectors import explained_keys

logger = logging.getLogger(__name__)

ENTRY_KEY = ["iso_week", "client", "rule_id"]
ENTRY_UPDATED = ["coach", "team", "rank", "severity", "blocks", "explained"]


@dataclass
class BuildResult:
    iso_week: str
    entries: int
    removed: int
    coaches: int


def _ranked_entries(iso_week: str, findings: list[tuple], explained: set) -> list[dict]:
    """Rank per coach: clients whose gaps block most come first (worst severity, then number of
    findings), and within a client the gravest finding first."""
    per_client: dict[int, list] = defaultdict(list)
    for finding in findings:
        per_client[finding[0]].append(finding)
    by_coach: dict[int | None, list] = defaultdict(list)
    for client_findings in per_client.values():
        worst = max(RULES_BY_ID[f[4]].severity for f in client_findings)
        for client_id, coach_id, team_id, number, rule_id in client_findings:
            rule = RULES_BY_ID[rule_id]
            sort_key = (-worst, -len(client_findings), number, -rule.severity, RULE_ORDER[rule_id])
            by_coach[coach_id].append((sort_key, client_id, coach_id, team_id, rule))
    entries = []
    blocks = {rule.id: str(rule.blocks) for rule in RULES}
    for coach_rows in by_coach.values():
        for rank, (_key, client_id, coach_id, team_id, rule) in enumerate(
            sorted(coach_rows), start=1
        ):
            entries.append(
                {
                    "iso_week": iso_week,
                    "client_id": client_id,
                    "coach_id": coach_id,
                    "team_id": team_id,
                    "rule_id": rule.id,
                    "rank": rank,
                    "severity": rule.severity,
                    "blocks": blocks[rule.id],
                    "explained": (client_id, rule.id) in explained,
                }
            )
    return entries


def _write_batch(rows: list[dict], fresh: bool) -> None:
    """One coach's rows, in one transaction. A week not built before is written by COPY on
    PostgreSQL (no model instance per row: ~855k rows at 500k clients); should another build
    have written some of them meanwhile, the batch is upserted instead, as every rebuild is."""
    if fresh:
        try:
            with transaction.atomic():
                create_rows(WeeklyListEntry, rows)
            return
        except (IntegrityError, connection.Database.IntegrityError):  # COPY raises the driver's own
            pass
    with transaction.atomic():
        WeeklyListEntry.objects.bulk_create(
            [WeeklyListEntry(**row) for row in rows],
            update_conflicts=True,
            unique_fields=ENTRY_KEY,
            update_fields=ENTRY_UPDATED,
        )


def build_weekly_list(iso_week: str | None = None, team_id: int | None = None) -> BuildResult:
    """Build (or rebuild) the list of an ISO week. Idempotent: the same week gives the same rows.

    `team_id` limits the (re)build to one team's caseloads (the trigger on the page); None, the
    weekly job, covers every team.

    The stored texts ("what it blocks") are in the installation's language, whichever process or
    request language ran the job, so a run from a worker and one from the page store the same rows.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _build_weekly_list(iso_week, team_id)


def _build_weekly_list(iso_week: str | None, team_id: int | None) -> BuildResult:
    """See build_weekly_list.

    Rules are evaluated on the Monday of that week. Rows are upserted per coach (each coach's batch
    in its own transaction, so a long run holds no long lock), then findings that no longer hold are
    deleted: a run that was killed half-way converges when run again.
    """
    iso_week = weeks.normalise(iso_week)
    reference_day = weeks.monday_of(iso_week)
    # The job covers every team, or one (pages and digests narrow it per reader with visible_to).
    clients = (
        Client.objects.all() if team_id is None else Client.objects.filter(coach__team_id=team_id)
    )
    findings = []
    for rule in RULES:
        findings.extend(
            (client_id, coach_id, team_id, number, rule.id)
            for client_id, coach_id, team_id, number in rule.apply(clients, reference_day)
            .order_by()
            .values_list("pk", "coach_id", "coach__team_id", "client_number")
        )
    entries = _ranked_entries(iso_week, findings, explained_keys())

    per_coach: dict[int | None, list[dict]] = defaultdict(list)
    for entry in entries:
        per_coach[entry["coach_id"]].append(entry)
    fresh = team_id is None and not WeeklyListEntry.objects.filter(iso_week=iso_week).exists()
    for coach_id in sorted(per_coach, key=lambda c: c or 0):
        _write_batch(per_coach[coach_id], fresh)

    current = {(entry["client_id"], entry["rule_id"]) for entry in entries}
    built = WeeklyListEntry.objects.filter(iso_week=iso_week)
    if team_id is not None:
        # Only this team's rows: another team's list is not this run's to prune.
        built = built.filter(Q(team_id=team_id) | Q(client__in=clients.values("pk")))
    stale = [
        pk
        for pk, client_id, rule_id in built.values_list("pk", "client_id", "rule_id")
        if (client_id, rule_id) not in current
    ]
    WeeklyListEntry.objects.filter(pk__in=stale).delete()
    _store_snapshots(iso_week, findings, clients, team_id)
    return BuildResult(
        iso_week=iso_week, entries=len(entries), removed=len(stale), coaches=len(per_coach)
    )


def _store_snapshots(iso_week: str, findings: list[tuple], clients, team_id: int | None) -> None:
    """Per coach and rule: how many clients broke it that week, over how many active clients."""
    coaches = User.objects.filter(role=Role.WORK_COACH)
    if team_id is not None:
        coaches = coaches.filter(team_id=team_id)
    coaches = list(coaches.values_list("pk", "team_id"))
    totals = active_by_coach(clients)
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for _client_id, coach_id, _team_id, _number, rule_id in findings:
        counts[(coach_id, rule_id)] += 1
    snapshots = [
        QualitySnapshot(
            iso_week=iso_week,
            coach_id=coach_id,
            team_id=team_id,
            key=rule.id,
            count=counts[(coach_id, rule.id)],
            total=totals.get(coach_id, 0),
        )
        for coach_id, team_id in coaches
        for rule in RULES
    ]
    with transaction.atomic():
        QualitySnapshot.objects.bulk_create(
            snapshots,
            update_conflicts=True,
            unique_fields=["iso_week", "coach", "key"],
            update_fields=["team", "count", "total"],
        )
        QualitySnapshot.objects.filter(iso_week=iso_week).exclude(key__in=RULES_BY_ID).delete()


# --- explanations ---------------------------------------------------------------------------------
def explain_finding(*, user, client: Client, rule_id: str, reason: str) -> FindingExplanation:
    """Record why a finding stands. The caller has already scoped `client` with visible_to."""
    reason = (reason or "").strip()
    errors = {}
    if rule_id not in RULES_BY_ID:
        errors["rule_id"] = _("Unknown rule.")
    if not reason:
        errors["reason"] = _("Give a reason: the quality officer reads it.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        FindingExplanation.objects.in_force().filter(client=client, rule_id=rule_id).update(
            withdrawn_at=timezone.now()
        )
        return FindingExplanation.objects.create(
            client=client, rule_id=rule_id, reason=reason, explained_by=user
        )


def withdraw_explanation(explanation: FindingExplanation) -> None:
    explanation.withdrawn_at = timezone.now()
    explanation.save(update_fields=["withdrawn_at"])


# --- digests ------------------------------------------------------------------------------------
def digest_recipients(iso_week: str) -> list[tuple[User, list[WeeklyListEntry]]]:
    """Each coach with their own open findings; each quality officer with their team's list."""
    entries = list(
        WeeklyListEntry.objects.filter(iso_week=iso_week)
        .select_related("client", "coach")
        .order_by("coach_id", "rank")
    )
    by_coach: dict[int, list] = defaultdict(list)
    by_team: dict[int, list] = defaultdict(list)
    for entry in entries:
        if entry.coach_id and not entry.explained:
            by_coach[entry.coach_id].append(entry)
        if entry.team_id:
            by_team[entry.team_id].append(entry)
    recipients = []
    for coach in User.objects.filter(pk__in=by_coach, is_active=True, role=Role.WORK_COACH):
        recipients.append((coach, by_coach[coach.pk]))
    for officer in User.objects.filter(
        role=Role.QUALITY_OFFICER, is_active=True, team_id__in=by_team
    ):
        recipients.append((officer, by_team[officer.team_id]))
    return recipients


def send_weekly_digests(iso_week: str) -> int:
    """Mail each recipient their digest once per week (a DigestSent row guards against re-runs)."""
    iso_week = weeks.normalise(iso_week)
    sent = 0
    for recipient, entries in digest_recipients(iso_week):
        if not recipient.email:
            logger.warning(
                "No email address for %s: weekly digest %s not sent", recipient.pk, iso_week
            )
            continue
        with transaction.atomic():
            _record, created = DigestSent.objects.get_or_create(
                iso_week=iso_week, recipient=recipient, defaults={"findings": len(entries)}
            )
            if not created:
                continue
            context = {
                "recipient": recipient,
                "entries": entries,
                "iso_week": iso_week,
                "team_view": recipient.role == Role.QUALITY_OFFICER,
            }
            # A failing mail server rolls the DigestSent row back, so the retry sends it.
            send_mail(
                subject=_("Incomplete data, week %(week)s") % {"week": iso_week},
                message=render_to_string("quality/email/digest.txt", context),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[recipient.email],
            )
            sent += 1
    return sent
