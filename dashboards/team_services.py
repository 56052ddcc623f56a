"""Writes of the team manager dashboard: logged, reversible reassignments and weekly snapshots."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from caseload.models import Client, Role, Team, User

from .models import Reassignment, TeamWeeklySnapshot
from .team_selectors import Figure, figure_counts_by_coach, team_coaches


def validate_reassignment(manager, team: Team, from_coach: User, to_coach: User, client_ids) -> list[int]:
    """The ids of the clients to move, or a ValidationError naming the field that is wrong."""
    if from_coach.team_id != team.pk:
        raise ValidationError({"from_coach": _("This coach is not in your team.")})
    if to_coach.team_id != team.pk or to_coach.role != Role.WORK_COACH or not to_coach.is_active:
        raise ValidationError({"to_coach": _("Choose an active work coach of your team.")})
    if to_coach.pk == from_coach.pk:
        raise ValidationError({"to_coach": _("Choose a different coach than the one the clients are with.")})
    client_ids = sorted({int(pk) for pk in client_ids})
    if not client_ids:
        raise ValidationError({"clients": _("Select at least one client.")})
    found = Client.objects.visible_to(manager).filter(pk__in=client_ids, coach=from_coach).count()
    if found != len(client_ids):
        raise ValidationError({"clients": _("Some selected clients are no longer with this coach.")})
    return client_ids


@transaction.atomic
def reassign_clients(manager, team: Team, from_coach: User, to_coach: User, client_ids) -> Reassignment:
    """Move the clients to `to_coach` and log it, all or nothing."""
    client_ids = validate_reassignment(manager, team, from_coach, to_coach, client_ids)
    moved = (
        Client.objects.visible_to(manager)
        .select_for_update()
        .filter(pk__in=client_ids, coach=from_coach)
        .update(coach=to_coach)
    )
    if moved != len(client_ids):  # changed between validation and update
        raise ValidationError({"clients": _("Some selected clients are no longer with this coach.")})
    return Reassignment.objects.create(
        team=team, from_coach=from_coach, to_coach=to_coach, client_ids=client_ids, performed_by=manager
    )


@transaction.atomic
def undo_reassignment(manager, reassignment: Reassignment) -> Reassignment:
    """Move the clients back, logged as a new reassignment that points at the one it reverses.

    Only when every client still sits with the coach they were moved to; otherwise nothing changes.
    """
    reassignment = Reassignment.objects.select_for_update().get(pk=reassignment.pk)
    if hasattr(reassignment, "undone_by"):
        raise ValidationError(_("This reassignment has already been undone."))
    if reassignment.reverses_id:
        raise ValidationError(_("An undo cannot itself be undone; make a new reassignment instead."))
    if reassignment.from_coach is None or reassignment.to_coach is None:
        raise ValidationError(_("A coach of this reassignment no longer exists."))
    still_there = (
        Client.objects.visible_to(manager)
        .filter(pk__in=reassignment.client_ids, coach=reassignment.to_coach)
        .count()
    )
    if still_there != len(reassignment.client_ids):
        raise ValidationError(
            _("Cannot undo: %(moved)d of these %(total)d clients have since moved to another coach or "
              "left the team.") % {"moved": len(reassignment.client_ids) - still_there,
                                   "total": len(reassignment.client_ids)}
        )
    Client.objects.filter(pk__in=reassignment.client_ids).update(coach=reassignment.from_coach)
    return Reassignment.objects.create(
        team=reassignment.team, from_coach=reassignment.to_coach, to_coach=reassignment.from_coach,
        client_ids=reassignment.client_ids, performed_by=manager, reverses=reassignment,
    )


# --- weekly snapshots ----------------------------------------------------------------------------
SNAPSHOT_FIELDS = ("active_caseload", "contact_overdue", "missing_key_fields", "exited_to_work")


def iso_week_label(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_iso_week(label: str) -> datetime.date:
    """The Monday of an ISO week given as 2026-W07 (ValueError on anything else)."""
    year, _sep, week = label.partition("-W")
    return datetime.date.fromisocalendar(int(year), int(week), 1)


SNAPSHOT_FIGURES = [
    Figure("active_caseload", {"status": "active"}),
    Figure("contact_overdue", {"contact_overdue": "true"}),
    Figure("missing_key_fields", {"missing_key_fields": "true"}),
]


def take_team_snapshots(iso_week: str | None = None) -> int:
    """Upsert one snapshot row per coach of every team for the ISO week (default: this week).

    Idempotent: taking it again in the same week overwrites that week's rows. Figures are as they
    stand now; exits to work are those dated in the week. The scheduled job is not a person: it
    reads all clients. Returns the number of rows written.
    """
    iso_week = iso_week or iso_week_label(timezone.localdate())
    monday = parse_iso_week(iso_week)
    exits_in_week = Count("pk", filter=Q(
        status="exited", exit_reason="work",
        exit_date__gte=monday, exit_date__lt=monday + datetime.timedelta(days=7),
    ))
    snapshots = []
    for team in Team.objects.all():
        counts = figure_counts_by_coach(Client.objects.all(), team, SNAPSHOT_FIGURES, exited_to_work=exits_in_week)
        for coach in team_coaches(team):
            row = counts.get(coach.pk, {})
            snapshots.append(TeamWeeklySnapshot(
                iso_week=iso_week, team=team, coach=coach, **{key: row.get(key, 0) for key in SNAPSHOT_FIELDS}
            ))
    TeamWeeklySnapshot.objects.bulk_create(
        snapshots, update_conflicts=True, unique_fields=["iso_week", "team", "coach"],
        update_fields=[*SNAPSHOT_FIELDS, "taken_at"],
    )
    return len(snapshots)
