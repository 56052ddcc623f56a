"""The weekly list: idempotent, converging, ranked; explanations; digests scoped per recipient."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from quality import tasks
from quality.models import DigestSent, FindingExplanation, QualitySnapshot, WeeklyListEntry
from quality.weekly import services, weeks
from tests.quality.factories import CASES, seen_client

pytestmark = pytest.mark.django_db

WEEK = weeks.current_iso_week()


def stored_rows():
    return sorted(
        WeeklyListEntry.objects.values_list(
            "iso_week",
            "coach_id",
            "team_id",
            "client_id",
            "rule_id",
            "rank",
            "severity",
            "explained",
        )
    )


@pytest.fixture
def world(coach_a, coach_b, quality_officer, other_coach):
    return {
        "a_cv": CASES["cv_not_registered"][0](coach=coach_a, client_number="A-CV"),
        "a_gender": CASES["gender_not_registered"][0](coach=coach_a, client_number="A-GENDER"),
        "a_clean": seen_client(coach=coach_a, client_number="A-CLEAN"),
        "b_licence": CASES["driving_licence_not_registered"][0](
            coach=coach_b, client_number="B-LIC"
        ),
        "other": CASES["household_not_registered"][0](coach=other_coach, client_number="O-HH"),
    }


def test_running_twice_gives_identical_rows(world):
    services.build_weekly_list(WEEK)
    first = stored_rows()
    snapshots = sorted(
        QualitySnapshot.objects.values_list("iso_week", "coach_id", "key", "count", "total")
    )
    services.build_weekly_list(WEEK)
    assert stored_rows() == first
    assert (
        sorted(QualitySnapshot.objects.values_list("iso_week", "coach_id", "key", "count", "total"))
        == snapshots
    )
    assert len(first) == 4


def test_rerun_removes_findings_that_no_longer_hold_and_fixes_half_written_lists(world, coach_a):
    services.build_weekly_list(WEEK)
    world["a_cv"].cv_on_file = True
    world["a_cv"].save()
    # a half-written or outdated row, as a killed worker could leave it
    WeeklyListEntry.objects.filter(client=world["a_gender"]).update(rank=99)
    result = services.build_weekly_list(WEEK)
    assert result.removed == 1
    assert not WeeklyListEntry.objects.filter(client=world["a_cv"]).exists()
    assert WeeklyListEntry.objects.get(client=world["a_gender"]).rank == 1


def test_a_past_week_is_closed_its_list_does_not_change_and_its_rebuild_is_refused(world):
    last_week = weeks.previous(WEEK)
    services.write_week(last_week, reason="demo", current=False)  # as it was built back then
    built = sorted(
        WeeklyListEntry.objects.filter(iso_week=last_week).values_list("client_id", "rule_id")
    )
    assert len(built) == 4
    world["a_cv"].cv_on_file = True  # the data change ...
    world["a_cv"].save()
    with pytest.raises(services.ClosedWeek, match="closed"):
        services.build_weekly_list(last_week)
    services.build_weekly_list(WEEK)  # ... and go into this week's list
    assert (
        sorted(
            WeeklyListEntry.objects.filter(iso_week=last_week).values_list("client_id", "rule_id")
        )
        == built
    )
    assert WeeklyListEntry.objects.filter(iso_week=WEEK).count() == 3


def test_a_future_week_is_refused(world):
    next_week = weeks.iso_week_of(weeks.monday_of(WEEK) + datetime.timedelta(days=7))
    with pytest.raises(services.ClosedWeek, match="not started"):
        services.build_weekly_list(next_week)


def test_list_is_ranked_by_what_the_gap_blocks(world, coach_a):
    services.build_weekly_list(WEEK)
    ranked = list(
        WeeklyListEntry.objects.filter(coach=coach_a)
        .order_by("rank")
        .values_list("client__client_number", "rank")
    )
    # CV not registered blocks referrals (high); no gender only the visibility report (medium)
    assert ranked == [("A-CV", 1), ("A-GENDER", 2)]


def test_a_client_with_more_findings_ranks_higher_and_all_its_findings_share_its_rank(coach_a):
    one = CASES["cv_not_registered"][0](coach=coach_a, client_number="ONE")
    two = CASES["cv_not_registered"][0](coach=coach_a, client_number="TWO", gender=None)
    services.build_weekly_list(WEEK)
    ranks = set(WeeklyListEntry.objects.values_list("client_id", "rule_id", "rank"))
    assert ranks == {
        (two.pk, "cv_not_registered", 1),
        (two.pk, "gender_not_registered", 1),
        (one.pk, "cv_not_registered", 2),
    }


def test_explained_finding_leaves_the_coach_list_but_not_the_officers(world, coach_a):
    services.build_weekly_list(WEEK)
    services.explain_finding(
        user=coach_a, client=world["a_cv"], rule_id="cv_not_registered", reason="Refuses a CV"
    )
    services.build_weekly_list(WEEK)
    entry = WeeklyListEntry.objects.get(client=world["a_cv"])
    assert entry.explained is True
    from quality.weekly.selectors import coach_list

    assert [e.client.client_number for e in coach_list(coach_a, WEEK)] == ["A-GENDER"]


def test_explaining_needs_a_reason_and_a_known_rule(world, coach_a):
    from django.core.exceptions import ValidationError

    services.build_weekly_list(WEEK)
    with pytest.raises(ValidationError) as error:
        services.explain_finding(
            user=coach_a, client=world["a_cv"], rule_id="cv_not_registered", reason=" "
        )
    assert set(error.value.message_dict) == {"reason"}
    with pytest.raises(ValidationError) as error:
        services.explain_finding(user=coach_a, client=world["a_cv"], rule_id="nope", reason="x")
    assert set(error.value.message_dict) == {"findings"}
    with pytest.raises(ValidationError, match="Not on this week's list"):
        services.explain_finding(
            user=coach_a, client=world["a_clean"], rule_id="cv_not_registered", reason="x"
        )
    assert not FindingExplanation.objects.exists()


def test_digests_are_scoped_per_recipient_and_sent_once(
    world, coach_a, coach_b, quality_officer, other_coach
):
    services.build_weekly_list(WEEK)
    assert services.send_weekly_digests(WEEK) == 4
    by_recipient = {message.to[0]: message.body for message in mail.outbox}
    assert set(by_recipient) == {
        coach_a.email,
        coach_b.email,
        quality_officer.email,
        other_coach.email,
    }
    assert (
        "O-HH" in by_recipient[other_coach.email] and "A-CV" not in by_recipient[other_coach.email]
    )
    assert "A-CV" in by_recipient[coach_a.email] and "B-LIC" not in by_recipient[coach_a.email]
    assert "B-LIC" in by_recipient[coach_b.email] and "A-CV" not in by_recipient[coach_b.email]
    officer = by_recipient[quality_officer.email]
    assert "Coach A: 2 open on 2 clients" in officer and "Coach B: 1 open on 1 clients" in officer
    assert f"/quality/weekly/?coach={coach_a.pk}" in officer
    assert "Other coach" not in officer  # another team
    assert "http://127.0.0.1:8000/clients/A-CV/" in by_recipient[coach_a.email]
    assert "Cannot be referred" not in by_recipient[coach_a.email]  # texts from the registry ...
    assert (
        "nobody knows if a CV exists" in by_recipient[coach_a.email]
    )  # ... in the mail's language
    assert "A-CLEAN" not in "".join(by_recipient.values())
    assert services.send_weekly_digests(WEEK) == 0
    assert len(mail.outbox) == 4
    assert DigestSent.objects.count() == 4


def test_a_failing_mail_server_leaves_the_digest_to_be_sent_on_retry(world, settings, monkeypatch):
    services.build_weekly_list(WEEK)

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(services, "send_mail", broken)
    with pytest.raises(ConnectionRefusedError):
        services.send_weekly_digests(WEEK)
    assert not DigestSent.objects.exists()


def test_management_command_runs_the_same_code(world, capsys):
    call_command("build_weekly_list", "--week", WEEK)
    assert WeeklyListEntry.objects.filter(iso_week=WEEK).count() == 4
    assert f"{WEEK}: 4 findings" in capsys.readouterr().out


def test_management_command_refuses_a_past_week(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="closed"):
        call_command("build_weekly_list", "--week", weeks.previous(WEEK))


def test_management_command_rejects_a_bad_week():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ISO week"):
        call_command("build_weekly_list", "--week", "2026-48")


def test_task_runs_the_service_and_sends_digests(world):
    from quality.tasks import build_weekly_list_task

    result = build_weekly_list_task.delay(WEEK).get()
    assert result["entries"] == 4
    assert result["digests"] == 4


def test_beat_run_builds_every_team_and_sends_the_digests(world, other_coach):
    from quality.tasks import build_weekly_list_task

    result = build_weekly_list_task.apply().get()  # beat sends no arguments
    assert (result["iso_week"], result["digests"]) == (WEEK, 4)
    assert WeeklyListEntry.objects.filter(coach=other_coach).exists()
    assert len(mail.outbox) == 4


def test_queued_page_build_sends_no_digests_and_leaves_the_scheduled_ones(
    world, coach_a, other_coach
):
    tasks.queue_weekly_list(WEEK, team_id=coach_a.team_id)
    assert mail.outbox == [] and not DigestSent.objects.exists()
    assert not WeeklyListEntry.objects.filter(coach=other_coach).exists()
    assert services.send_weekly_digests(WEEK) == 3  # coach A, coach B, the officer: not used up


def test_team_build_touches_only_that_team(world, coach_a, other_coach):
    services.build_weekly_list(WEEK)
    everyone = stored_rows()
    other_snapshots = sorted(
        QualitySnapshot.objects.filter(coach=other_coach).values_list("key", "count", "total")
    )
    world["other"].household = "single"
    world["other"].save()
    result = services.build_weekly_list(WEEK, team_id=coach_a.team_id)
    assert (result.entries, result.removed) == (3, 0)
    assert stored_rows() == everyone  # the other team's fixed finding stays until its own run
    assert (
        sorted(
            QualitySnapshot.objects.filter(coach=other_coach).values_list("key", "count", "total")
        )
        == other_snapshots
    )
    world["a_cv"].cv_on_file = True
    world["a_cv"].save()
    assert services.build_weekly_list(WEEK, team_id=coach_a.team_id).removed == 1


def test_task_retries_a_database_error_with_backoff_then_succeeds(world, monkeypatch):
    from django.db import OperationalError

    from quality.tasks import build_weekly_list_task

    real_build = services.build_weekly_list
    calls = []

    def flaky(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_build(*args, **kwargs)

    countdowns = []
    real_retry = build_weekly_list_task.retry

    def spy_retry(*args, **kwargs):
        countdowns.append(kwargs.get("countdown"))
        return real_retry(*args, **kwargs)

    monkeypatch.setattr(services, "build_weekly_list", flaky)
    monkeypatch.setattr(build_weekly_list_task, "retry", spy_retry)
    # throw=False: with eager propagation the tracer would re-raise the Retry instead of running it.
    result = build_weekly_list_task.apply(args=[WEEK], throw=False)
    assert result.successful()
    assert result.get()["entries"] == 4
    assert len(calls) == 2
    assert countdowns == [5]  # backoff: 5 s, then 10, 20, ...
    assert len(mail.outbox) == 4  # and the digests once, after the successful run


def test_task_does_not_retry_other_errors(world, monkeypatch):
    from quality.tasks import build_weekly_list_task

    calls = []

    def broken(*args, **kwargs):
        calls.append(args)
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr(services, "build_weekly_list", broken)
    with pytest.raises(ValueError):
        build_weekly_list_task.apply(args=[WEEK], throw=True)
    assert len(calls) == 1
    assert not WeeklyListEntry.objects.exists()


def test_task_is_safe_for_redelivery():
    from quality.tasks import build_weekly_list_task

    assert build_weekly_list_task.acks_late is True
    assert build_weekly_list_task.reject_on_worker_lost is True
    assert build_weekly_list_task.max_retries == 5
    from django.db import OperationalError

    assert OperationalError in build_weekly_list_task.autoretry_for


def test_beat_schedule_defaults_to_monday_seven(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["weekly-incomplete-data-list"]
    assert entry["task"] == "quality.build_weekly_list"
    schedule = entry["schedule"]
    assert schedule.hour == {7} and schedule.minute == {0} and schedule.day_of_week == {1}


@pytest.mark.parametrize("value", ["2026-W00", "2026-W54", "2026-48", "", "W48-2026"])
def test_bad_iso_weeks_are_refused(value):
    with pytest.raises(ValueError):
        weeks.monday_of(value)


def test_a_rebuild_writes_only_what_changed(world, coach_a):
    services.build_weekly_list()
    before = dict(WeeklyListEntry.objects.values_list("pk", "rank"))
    seen_client(coach=coach_a, client_number="A-NEW", gender=None, cv_on_file=None)
    result = services.build_weekly_list()
    after = dict(WeeklyListEntry.objects.values_list("pk", "rank"))
    assert set(before) < set(after)  # the same rows, kept in place, and the new client's
    new = WeeklyListEntry.objects.filter(client__client_number="A-NEW")
    assert set(new.values_list("rank", flat=True)) == {1}  # two findings, one a high one
    assert (result.entries, result.removed) == (6, 0)
    assert after[WeeklyListEntry.objects.get(client=world["a_cv"]).pk] == 2
