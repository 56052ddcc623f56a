"""Weekly team snapshots: idempotent per ISO week; the trend chart reads them."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.urls import reverse

from caseload.models import Role
from dashboards.models import TeamWeeklySnapshot
from dashboards.tasks import take_team_snapshots_task
from dashboards.team.charts import team_trend_figure
from dashboards.team.selectors import team_trend
from dashboards.team.services import snapshot_week, take_team_snapshots
from quality.weekly import weeks
from tests.factories import ClientFactory, UserFactory

from .factories import known_caseload

pytestmark = pytest.mark.django_db


def rows_of(week):
    return sorted(
        TeamWeeklySnapshot.objects.filter(iso_week=week).values_list(
            "coach__username", "active_caseload"
        )
    )


def test_snapshot_is_idempotent_per_week(team, coach_a, coach_b, other_coach):
    known_caseload(coach_a, "A")
    ClientFactory(coach=other_coach)
    week = weeks.current_iso_week()
    assert take_team_snapshots() == 3
    assert take_team_snapshots(week) == 3
    assert TeamWeeklySnapshot.objects.count() == 3
    row = TeamWeeklySnapshot.objects.get(coach=coach_a)
    assert (
        row.iso_week,
        row.active_caseload,
        row.contact_overdue,
        row.missing_key_fields,
        row.exited_to_work,
    ) == (week, 7, 2, 1, 1)
    # re-taking in the same week overwrites with the figures as they are now
    ClientFactory(coach=coach_a)
    take_team_snapshots(week)
    assert TeamWeeklySnapshot.objects.count() == 3
    assert TeamWeeklySnapshot.objects.get(coach=coach_a).active_caseload == 8


def test_rerun_drops_coaches_who_left_or_were_deactivated(team, other_team, coach_a, coach_b):
    leaver = UserFactory(username="coach.leaver", role=Role.WORK_COACH, team=team)
    retired = UserFactory(username="coach.retired", role=Role.WORK_COACH, team=team)
    gone = UserFactory(username="coach.gone", role=Role.WORK_COACH, team=team)
    clients = [ClientFactory(coach=leaver) for _ in range(2)]
    week = weeks.current_iso_week()
    take_team_snapshots()
    assert rows_of(week) == [
        ("coach.a", 0),
        ("coach.b", 0),
        ("coach.gone", 0),
        ("coach.leaver", 2),
        ("coach.retired", 0),
    ]
    # the leaver's clients go to coach A, the leaver moves team; one coach is deactivated, one deleted
    for client in clients:
        client.coach = coach_a
        client.save()
    leaver.team = other_team
    leaver.save()
    retired.is_active = False
    retired.save()
    gone.delete()  # its row keeps coach NULL (SET_NULL) until the re-run removes it
    assert take_team_snapshots() == 3
    assert rows_of(week) == [("coach.a", 2), ("coach.b", 0), ("coach.leaver", 0)]
    assert TeamWeeklySnapshot.objects.get(coach=leaver).team == other_team
    # the trend counts each client once
    assert [(row["iso_week"], row["active_caseload"]) for row in team_trend(team)] == [(week, 2)]


def test_unpadded_week_is_the_same_week(coach_a, monkeypatch):
    monkeypatch.setattr(weeks, "current_iso_week", lambda: "2026-W07")
    assert (
        snapshot_week("2026-W7") == snapshot_week(" 2026-W07") == snapshot_week(None) == "2026-W07"
    )
    take_team_snapshots("2026-W7")
    take_team_snapshots("2026-W07")
    assert list(TeamWeeklySnapshot.objects.values_list("iso_week", flat=True)) == ["2026-W07"]


@pytest.mark.parametrize("week", ["2026-W54", "last week", "2026-07", ""])
def test_invalid_week_is_refused(week, monkeypatch):
    monkeypatch.setattr(weeks, "current_iso_week", lambda: "2026-W07")
    with pytest.raises(ValueError):
        snapshot_week(week)


def test_other_weeks_than_the_current_are_refused(coach_a, monkeypatch):
    monkeypatch.setattr(weeks, "current_iso_week", lambda: "2026-W07")
    take_team_snapshots()
    for week in ("2026-W06", "2026-W08"):
        with pytest.raises(ValueError, match="not the current week"):
            take_team_snapshots(week)
    assert list(TeamWeeklySnapshot.objects.values_list("iso_week", flat=True)) == ["2026-W07"]


def test_exits_count_only_in_their_week(coach_a):
    monday = weeks.monday_of(weeks.current_iso_week())
    ClientFactory(
        coach=coach_a,
        status="exited",
        exit_reason="work",
        exit_date=monday + datetime.timedelta(days=6),
    )
    ClientFactory(
        coach=coach_a,
        status="exited",
        exit_reason="work",
        exit_date=monday + datetime.timedelta(days=7),
    )
    ClientFactory(
        coach=coach_a,
        status="exited",
        exit_reason="work",
        exit_date=monday - datetime.timedelta(days=1),
    )
    take_team_snapshots()
    assert TeamWeeklySnapshot.objects.get(coach=coach_a).exited_to_work == 1


def test_command_and_task(coach_a, capsys, monkeypatch):
    monkeypatch.setattr(weeks, "current_iso_week", lambda: "2026-W07")
    call_command("take_team_snapshots", "--week", "2026-W7")
    assert "for 2026-W07" in capsys.readouterr().out
    take_team_snapshots_task.delay("2026-W07")
    assert TeamWeeklySnapshot.objects.filter(iso_week="2026-W07").count() == 1
    with pytest.raises(CommandError, match="--week"):
        call_command("take_team_snapshots", "--week", "last week")
    with pytest.raises(CommandError, match="not the current week"):
        call_command("take_team_snapshots", "--week", "2026-W06")


def test_task_retries_only_transient_errors():
    retried = take_team_snapshots_task.autoretry_for
    assert OperationalError in retried
    assert ValueError not in retried and Exception not in retried


def test_trend_on_page_and_chart(login, team, team_manager, coach_a, coach_b):
    week = weeks.current_iso_week()
    # last week's rows as the job stored them then (it can only take the current week)
    TeamWeeklySnapshot.objects.create(
        iso_week=weeks.previous(week),
        team=team,
        coach=coach_a,
        active_caseload=1,
        contact_overdue=0,
        missing_key_fields=0,
        exited_to_work=0,
    )
    ClientFactory(coach=coach_a)
    ClientFactory(coach=coach_b)
    take_team_snapshots()
    trend = team_trend(team)
    assert [(row["iso_week"], row["active_caseload"]) for row in trend] == [
        (weeks.previous(week), 1),
        (week, 2),
    ]
    figure = team_trend_figure(trend)
    assert figure["data"][0]["x"] == [weeks.previous(week), week] and figure["data"][0]["y"] == [
        1,
        2,
    ]
    response = login(team_manager).get(reverse("team_dashboard"))
    assert b'data-plotly-figure="team-trend-figure"' in response.content
    assert week.encode() in response.content


def test_beat_schedule_names_the_task():
    from django.conf import settings

    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["team-weekly-snapshots"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_task_on_real_worker(coach_a):
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    week = weeks.current_iso_week()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        take_team_snapshots_task.delay(week).get(timeout=30)
        take_team_snapshots_task.delay(week).get(timeout=30)
    assert TeamWeeklySnapshot.objects.filter(iso_week=week, coach=coach_a).count() == 1
