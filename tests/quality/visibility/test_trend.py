"""The visibility report week by week: stored per scope as shown (disclosure-controlled), read back
as a series, recorded by a Monday job of its own, and drawn on the page."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from quality.models import VisibilityWeek
from quality.tasks import record_visibility_weeks_task
from quality.visibility import trend
from tests.factories import ClientFactory

from .fixtures import registered_people

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PAGE = reverse("visibility_report")


@pytest.fixture
def fathers(cast):
    """Team 1: 20 single mothers of young children seen last week, 20 women living alone (half of
    them last seen 200 days ago), 27 men living alone (12 last seen 200 days ago), 12 single fathers of young
    children last seen 200 days ago (flagged), 3 clients of gender X (a count under k); team 2:
    its own clients."""
    young_child = TODAY - datetime.timedelta(days=900)
    people = (
        [("F", "single_parent", young_child, 5)] * 20
        + [("F", "single", None, 5)] * 10
        + [("F", "single", None, 200)] * 10
        + [("M", "single", None, 5)] * 15
        + [("M", "single", None, 200)] * 12
        + [("M", "single_parent", young_child, 200)] * 12
    )
    registered_people([cast["coach_b"], cast["coach_a"]], people, TODAY)
    old = TODAY - datetime.timedelta(days=400)
    ClientFactory.create_batch(3, coach=cast["coach_a"], gender="X", intake_date=old)
    ClientFactory.create_batch(15, coach=cast["other_coach"], gender="M", intake_date=old)
    return {**cast, "team": cast["team_manager"].team}


def test_the_job_records_this_week_for_every_team_someone_reads_and_for_all_teams(fathers):
    assert record_visibility_weeks_task() == 3  # team 1, team 2 (managers), all teams
    weeks = VisibilityWeek.objects.all()
    assert {week.iso_week for week in weeks} == {trend.iso_week_of(TODAY)}
    assert sorted(week.team.code if week.team else "all" for week in weeks) == ["T1", "T2", "all"]
    # Idempotent: a second run in the same week replaces the rows.
    record_visibility_weeks_task()
    assert VisibilityWeek.objects.count() == 3


def test_a_week_stores_only_what_the_report_showed(fathers):
    week = trend.record_week(fathers["team"])
    stored = week.figures["groups"]
    fathers_key = trend.trend_key([["gender", "M"], ["household", "single_parent_young_child"]])
    assert stored[fathers_key]["measures"]["seen_recently"][2] is True  # flagged
    # Exactly the figures of the run's summary, withheld ones as None.
    summary = {trend.trend_key(g["characteristics"]): g for g in week.run.summary["groups"]}
    assert set(stored) == set(summary)
    for key, group in stored.items():
        for measure, (rate, ratio, _flagged) in group["measures"].items():
            shown = summary[key]["measures"][measure]
            assert (rate, ratio) == (shown["rate"], shown["ratio"])
            assert rate is not None or shown["suppressed"]
    # The 3 clients of gender X: their count is withheld, and so is every figure of theirs.
    x = stored[trend.trend_key([["gender", "X"]])]
    assert x["n"] == "< 10" and all(rate is None for rate, _r, _f in x["measures"].values())
    for group in stored.values():
        assert not group["n"].isdigit() or int(group["n"]) >= 10


def test_the_series_is_the_last_weeks_of_the_scope_oldest_first(fathers, settings):
    settings.VISIBILITY_REPORT = {**settings.VISIBILITY_REPORT, "TREND_WEEKS": 3}
    team = fathers["team"]
    for back in range(5):
        VisibilityWeek.objects.create(
            iso_week=trend.iso_week_of(TODAY - datetime.timedelta(weeks=back)),
            team=team,
            figures={
                "k": 10,
                "groups": {"gender=F": {"n": "40", "measures": {"x": [back, 1, False]}}},
            },
        )
    VisibilityWeek.objects.create(iso_week="2020-W01", team=None, figures={"k": 10, "groups": {}})
    weeks, figures = trend.series(team.pk)
    assert weeks == [trend.iso_week_of(TODAY - datetime.timedelta(weeks=b)) for b in (2, 1, 0)]
    assert trend.group_series(figures, [["gender", "F"]], "x") == [2, 1, 0]
    assert trend.group_series(figures, [["gender", "M"]], "x") == [None, None, None]


def test_demo_history_fills_the_trend_weeks_marked_as_made_up(fathers):
    recorded = trend.demo_history(TODAY, [fathers["team"]])
    weeks = settings.VISIBILITY_REPORT["TREND_WEEKS"]
    assert recorded == weeks
    rows = VisibilityWeek.objects.filter(team=fathers["team"]).order_by("iso_week")
    assert rows.count() == weeks
    assert [row.synthetic for row in rows] == [True] * (weeks - 1) + [False]
    # Withheld figures stay withheld in made-up weeks too.
    x_key = trend.trend_key([["gender", "X"]])
    assert all(
        rate is None
        for row in rows
        for rate, _r, _f in row.figures["groups"][x_key]["measures"].values()
    )


def test_the_page_draws_the_trend_of_a_flagged_group(fathers, login):
    trend.demo_history(TODAY, [fathers["team"]])
    html = (
        login(fathers["team_manager"])
        .get(PAGE, {"depth": 2, "measure": "seen_recently"}, HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert 'class="sparkline"' in html and "Weekly, 12 weeks, oldest first:" in html
    assert 'data-plotly-figure="visibility-trend"' in html
    assert "Demo data: 11 earlier weeks are made up" in html


def test_the_beat_runs_the_week_job_on_mondays():
    entry = settings.CELERY_BEAT_SCHEDULE["visibility-report-week"]
    assert entry["task"] == record_visibility_weeks_task.name
    assert entry["schedule"].day_of_week == {1}
