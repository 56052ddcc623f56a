"""Weekly team snapshots: idempotent per ISO week; the trend chart reads them."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from dashboards.models import TeamWeeklySnapshot
from dashboards.tasks import take_team_snapshots_task
from dashboards.team_charts import team_trend_figure
from dashboards.team_selectors import team_trend
from dashboards.team_services import iso_week_label, parse_iso_week, take_team_snapshots
from tests.factories import ClientFactory

from .team_factories import known_caseload

pytestmark = pytest.mark.django_db


def test_snapshot_is_idempotent_per_week(team, coach_a, coach_b, other_coach):
    known_caseload(coach_a, "A")
    ClientFactory(coach=other_coach)
    week = iso_week_label(timezone.localdate())
    assert take_team_snapshots() == 3
    assert take_team_snapshots(week) == 3
    assert TeamWeeklySnapshot.objects.count() == 3
    row = TeamWeeklySnapshot.objects.get(coach=coach_a)
    assert (row.iso_week, row.active_caseload, row.contact_overdue, row.missing_key_fields, row.exited_to_work) == (
        week, 7, 2, 1, 1
    )
    # re-taking in the same week overwrites with the figures as they are now
    ClientFactory(coach=coach_a)
    take_team_snapshots(week)
    assert TeamWeeklySnapshot.objects.count() == 3
    assert TeamWeeklySnapshot.objects.get(coach=coach_a).active_caseload == 8


def test_exits_count_only_in_their_week(coach_a):
    monday = parse_iso_week("2026-W10")
    ClientFactory(coach=coach_a, status="exited", exit_reason="work", exit_date=monday + datetime.timedelta(days=6))
    ClientFactory(coach=coach_a, status="exited", exit_reason="work", exit_date=monday + datetime.timedelta(days=7))
    take_team_snapshots("2026-W10")
    assert TeamWeeklySnapshot.objects.get(coach=coach_a).exited_to_work == 1


def test_command_and_task(coach_a, capsys):
    call_command("take_team_snapshots", "--week", "2026-W07")
    assert "2026-W07" in capsys.readouterr().out
    take_team_snapshots_task.delay("2026-W07")
    assert TeamWeeklySnapshot.objects.filter(iso_week="2026-W07").count() == 1
    with pytest.raises(CommandError, match="--week"):
        call_command("take_team_snapshots", "--week", "last week")


def test_trend_on_page_and_chart(login, team, team_manager, coach_a, coach_b):
    ClientFactory(coach=coach_a)
    take_team_snapshots("2026-W01")
    ClientFactory(coach=coach_b)
    take_team_snapshots("2026-W02")
    trend = team_trend(team)
    assert [(row["iso_week"], row["active_caseload"]) for row in trend] == [("2026-W01", 1), ("2026-W02", 2)]
    figure = team_trend_figure(trend)
    assert figure["data"][0]["x"] == ["2026-W01", "2026-W02"] and figure["data"][0]["y"] == [1, 2]
    response = login(team_manager).get(reverse("team_dashboard"))
    assert b'data-plotly-figure="team-trend-figure"' in response.content
    assert b"2026-W02" in response.content


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

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        take_team_snapshots_task.delay("2026-W03").get(timeout=30)
        take_team_snapshots_task.delay("2026-W03").get(timeout=30)
    assert TeamWeeklySnapshot.objects.filter(iso_week="2026-W03", coach=coach_a).count() == 1
