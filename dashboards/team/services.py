"""Writes of the team manager dashboard: logged, reversible reassignments and weekly snapshots."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from caseload import figures
from caseload.figures import Figure, figure
from caseload.models import Client, Contact, ExitReason, Role, Team, User
from caseload.querysets import KEY_FIELDS, AddDays
from dashboards.models import Reassignment, TeamWeeklySnapshot
from quality.weekly import weeks

from .selectors import team_coaches


def validate_reassignment(
    manager, team: Team, from_coach: User, to_coach: User, client_ids
) -> list[int]:
    """The ids of the clients to move, or a ValidationError naming the field that is wrong."""
    if from_coach.team_id != team.pk:
        raise ValidationError({"from_coach": _("This coach is not in your team.")})
    if to_coach.team_id != team.pk or to_coach.role != Role.WORK_COACH or not to_coach.is_active:
        raise ValidationError({"to_coach": _("Choose an active work coach of your team.")})
    if to_coach.pk == from_coach.pk:
        raise ValidationError(
            {"to_coach": _("Choose a different coach than the one the clients are with.")}
        )
    client_ids = sorted({int(pk) for pk in client_ids})
    if not client_ids:
        raise ValidationError({"clients": _("Select at least one client.")})
    found = Client.objects.visible_to(manager).filter(pk__in=client_ids, coach=from_coach).count()
    if found != len(client_ids):
        raise ValidationError(
            {"clients": _("Some selected clients are no longer with this coach.")}
        )
    return client_ids


def move_clients(manager, reassignment: Reassignment, change_reason: str) -> None:
    """Give the logged clients to `reassignment.to_coach`, with a history row per client (a plain
    .update() would bypass simple_history). Raises when a client left `from_coach` meanwhile."""
    clients = list(
        Client.objects.visible_to(manager)
        .select_for_update()
        .filter(pk__in=reassignment.client_ids, coach=reassignment.from_coach)
    )
    if len(clients) != len(reassignment.client_ids):  # changed between validation and update
        raise ValidationError(
            {"clients": _("Some selected clients are no longer with this coach.")}
        )
    for client in clients:
        client.coach = reassignment.to_coach
    bulk_update_with_history(
        clients,
        Client,
        ["coach"],
        default_user=manager,
        default_change_reason=change_reason,
    )


@transaction.atomic
def reassign_clients(
    manager, team: Team, from_coach: User, to_coach: User, client_ids, warnings=()
) -> Reassignment:
    """Move the clients to `to_coach` and log it (with the `warnings` the manager confirmed),
    all or nothing."""
    client_ids = validate_reassignment(manager, team, from_coach, to_coach, client_ids)
    reassignment = Reassignment.objects.create(
        team=team,
        from_coach=from_coach,
        to_coach=to_coach,
        client_ids=client_ids,
        performed_by=manager,
        warnings=[str(warning) for warning in warnings],
    )
    move_clients(manager, reassignment, _("reassignment %(id)s") % {"id": reassignment.pk})
    return reassignment


@transaction.atomic
def undo_reassignment(manager, reassignment: Reassignment) -> Reassignment:
    """Move the clients back, logged as a new reassignment that points at the one it reverses.

    Checked like a new reassignment in the other direction (validate_reassignment with the coaches
    swapped): every client must still be with the coach they were moved to, and the original coach
    must still be an active work coach of the team. Otherwise nothing changes.
    """
    reassignment = Reassignment.objects.select_for_update().get(pk=reassignment.pk)
    if hasattr(reassignment, "undone_by"):
        raise ValidationError(_("This reassignment has already been undone."))
    if reassignment.reverses_id:
        raise ValidationError(
            _("An undo cannot itself be undone; make a new reassignment instead.")
        )
    back_from, back_to = reassignment.to_coach, reassignment.from_coach
    if back_from is None or back_to is None:
        raise ValidationError(_("A coach of this reassignment no longer exists."))
    try:
        validate_reassignment(
            manager, reassignment.team, back_from, back_to, reassignment.client_ids
        )
    except ValidationError as exc:
        raise ValidationError(undo_refusal(manager, reassignment, exc)) from exc
    undo = Reassignment.objects.create(
        team=reassignment.team,
        from_coach=back_from,
        to_coach=back_to,
        client_ids=reassignment.client_ids,
        performed_by=manager,
        reverses=reassignment,
    )
    move_clients(
        manager,
        undo,
        _("reassignment %(id)s, undoing reassignment %(undone)s")
        % {"id": undo.pk, "undone": reassignment.pk},
    )
    return undo


def undo_refusal(manager, reassignment: Reassignment, error: ValidationError) -> str:
    """Why an undo is refused, in the undo's own terms rather than the form field's."""
    fields = error.message_dict
    if "to_coach" in fields:
        return _(
            "Cannot undo: %(coach)s is no longer an active work coach of this team, so the clients "
            "cannot go back to them. Make a new reassignment instead."
        ) % {"coach": reassignment.from_coach}
    if "from_coach" in fields:
        return _("Cannot undo: %(coach)s is no longer in this team.") % {
            "coach": reassignment.to_coach
        }
    still_there = (
        Client.objects.visible_to(manager)
        .filter(pk__in=reassignment.client_ids, coach=reassignment.to_coach)
        .count()
    )
    return _(
        "Cannot undo: %(moved)d of these %(total)d clients have since moved to another coach or "
        "left the team."
    ) % {"moved": len(reassignment.client_ids) - still_there, "total": len(reassignment.client_ids)}


def scrub_erased_client(client_pk: int, client_number: str, alias: str) -> None:
    """Erasure (caseload.gdpr): a reassignment logs client primary keys, and a dangling key of an
    erased client would still link the log to whatever else kept it, so it goes (the log keeps
    who moved the others, and when)."""
    # Candidates in SQL: the id as a whole number inside the JSON list text ("[3, 12]" or "[3,12]").
    runs = list(
        Reassignment.objects.annotate(ids_text=Cast("client_ids", TextField()))
        .filter(ids_text__regex=rf"(^|[^0-9]){client_pk}([^0-9]|$)")
        .only("pk", "client_ids")
    )
    for run in runs:
        run.client_ids = [client_id for client_id in run.client_ids if client_id != client_pk]
    Reassignment.objects.bulk_update(runs, ["client_ids"])


# --- weekly snapshots ----------------------------------------------------------------------------
SNAPSHOT_FIELDS = ("active_caseload", "contact_overdue", "missing_key_fields", "exited_to_work")
UNPADDED_WEEK = re.compile(r"^(\d{4})-W(\d)$")


def snapshot_week(iso_week: str | None) -> str:
    """The ISO week to snapshot, written as quality.weeks writes it ("2026-W7" -> "2026-W07").

    Only the current week: the figures are as they stand now, so storing them under a past (or
    future) week would rewrite that week's trend with today's numbers. ValueError otherwise.
    """
    if iso_week is not None:
        iso_week = UNPADDED_WEEK.sub(r"\1-W0\2", iso_week.strip())
    iso_week = weeks.normalise(iso_week)
    current = weeks.current_iso_week()
    if iso_week != current:
        raise ValueError(
            f"{iso_week} is not the current week ({current}): a snapshot holds today's figures"
        )
    return iso_week


def snapshot_figures(monday: datetime.date) -> list[Figure]:
    """The figures a weekly snapshot stores, keyed by its fields."""
    sunday = monday + datetime.timedelta(days=6)
    return [
        figure("active_caseload", ("status", "active"), definition="team_active_caseload"),
        figure("contact_overdue", ("contact_overdue", "true")),
        figure("missing_key_fields", ("missing_key_fields", "true")),
        figure(
            "exited_to_work",
            ("exited_to_work_since", monday.isoformat()),
            ("exited_to_work_until", sunday.isoformat()),
            definition="team_trend",
        ),
    ]


@transaction.atomic
def take_team_snapshots(iso_week: str | None = None) -> int:
    """Upsert one snapshot row per coach of every team for the current ISO week, and delete the
    week's rows of coaches no longer counted (left the team, deactivated without clients), so a
    re-run converges on the same rows. `iso_week` may only name the current week (see snapshot_week).

    Figures are as they stand now; exits to work are those dated in the week. The scheduled job is
    not a person: it reads all clients. Returns the number of rows written.
    """
    iso_week = snapshot_week(iso_week)
    shown = snapshot_figures(weeks.monday_of(iso_week))
    snapshots = []
    for team in Team.objects.all():
        counts = figures.counts_by_coach(Client.objects.filter(coach__team=team), shown)
        coaches = list(team_coaches(team))
        for coach in coaches:
            row = counts.get(coach.pk, {})
            snapshots.append(
                TeamWeeklySnapshot(
                    iso_week=iso_week,
                    team=team,
                    coach=coach,
                    **{key: row.get(key, 0) for key in SNAPSHOT_FIELDS},
                )
            )
        # exclude() on the nullable coach also deletes rows whose user was deleted (coach NULL)
        TeamWeeklySnapshot.objects.filter(iso_week=iso_week, team=team).exclude(
            coach__in=coaches
        ).delete()
    _upsert(snapshots)
    return len(snapshots)


# --- the demo's history ---------------------------------------------------------------------------
def write_demo_snapshots(sender=None, *, today: datetime.date, weeks_back: int, **kwargs) -> int:
    """Receiver of caseload.signals.demo_seeded: the snapshots of `weeks_back` past weeks, worked
    out from the demo data as they stood on each week's Monday (clients on the caseload then,
    contacts registered by then, exits to work in that week; key fields as today, the demo keeps
    no history of them), then this week's as the weekly job takes it. Only the demo writes past
    weeks: elsewhere a snapshot holds the figures of the week it is taken in."""
    written = 0
    with transaction.atomic():
        for back in range(weeks_back, 0, -1):
            monday = weeks.monday_of(weeks.iso_week_of(today - datetime.timedelta(weeks=back)))
            written += _write_past_snapshots(monday)
    return written + take_team_snapshots()


def _write_past_snapshots(monday: datetime.date) -> int:
    iso_week = weeks.iso_week_of(monday)
    sunday = monday + datetime.timedelta(days=6)
    on_caseload = (Q(intake_date__lte=monday) | Q(intake_date__isnull=True)) & (
        Q(exit_date__isnull=True) | Q(exit_date__gt=monday)
    )
    last_contact_then = Subquery(
        Contact.objects.filter(client=OuterRef("pk"), date__lte=monday)
        .order_by("-date")
        .values("date")[:1]
    )
    missing = Q()
    for name in KEY_FIELDS:
        missing |= Q(**{f"{name}__isnull": True})
    then = (
        Client.objects.filter(on_caseload)
        .annotate(last_contact_then=last_contact_then)
        .alias(
            due=AddDays(
                Coalesce(F("last_contact_then"), F("intake_date")),
                F("contact_frequency_weeks") * Value(7),
            )
        )
        .order_by()
        .values("coach_id")
        .annotate(
            active_caseload=Count("pk"),
            contact_overdue=Count("pk", filter=Q(due__lt=monday)),
            missing_key_fields=Count("pk", filter=missing),
        )
    )
    counts = {row.pop("coach_id"): row for row in then}
    exits = dict(
        Client.objects.filter(exit_reason=ExitReason.WORK, exit_date__range=(monday, sunday))
        .order_by()
        .values("coach_id")
        .annotate(n=Count("pk"))
        .values_list("coach_id", "n")
    )
    snapshots = [
        TeamWeeklySnapshot(
            iso_week=iso_week,
            team_id=coach.team_id,
            coach=coach,
            exited_to_work=exits.get(coach.pk, 0),
            **{
                key: counts.get(coach.pk, {}).get(key, 0)
                for key in ("active_caseload", "contact_overdue", "missing_key_fields")
            },
        )
        for team in Team.objects.all()
        for coach in team_coaches(team)
    ]
    _upsert(snapshots)
    return len(snapshots)


def _upsert(snapshots: list[TeamWeeklySnapshot]) -> None:
    TeamWeeklySnapshot.objects.bulk_create(
        snapshots,
        update_conflicts=True,
        unique_fields=["iso_week", "team", "coach"],
        update_fields=[*SNAPSHOT_FIELDS, "taken_at"],
    )
