"""The weekly job on a real Redis broker and a real Celery worker (a subprocess), on PostgreSQL.

Runs only when REDIS_URL is set (CI's PostgreSQL + Redis pass): the worker process shares the
test database, which SQLite cannot do.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from quality.models import DigestSent, QualitySnapshot, WeeklyListEntry
from quality.weekly import services, weeks
from tests.factories import UserFactory
from tests.quality.factories import CASES

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]
WEEK = weeks.current_iso_week()
COACHES = 4
MISSING_RULES = (
    "cv_not_registered",
    "gender_not_registered",
    "household_not_registered",
    "education_level_not_registered",
)


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "a worker subprocess cannot share an SQLite test database: runs on PostgreSQL only"
        )


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def start_worker(tmp_path):
    """start_worker(queue, app="config", **env) -> a real `celery worker` process on the test
    database (app: the Celery app module to run)."""
    processes = []

    def _start(queue, app="config", **extra_env):
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": os.environ["REDIS_URL"],
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "DJANGO_CONN_MAX_AGE": "0",
            "DJANGO_LANGUAGE_CODE": settings.LANGUAGE_CODE,  # the tests' language, for comparable texts
            **{key: str(value) for key, value in extra_env.items()},
        }
        log = open(tmp_path / f"worker-{len(processes)}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                app,
                "worker",
                "--pool=solo",
                "-Q",
                queue,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
                "-n",
                f"{queue}-{len(processes)}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        processes.append((process, log))
        return process

    yield _start
    for process, log in processes:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def wait_for(condition, timeout=60, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {message}")


@pytest.fixture
def caseload():
    """Findings for several coaches, so the list is written in several batches."""
    coaches = [UserFactory(username=f"worker.coach{i}", role="work_coach") for i in range(COACHES)]
    for index, coach in enumerate(coaches):
        for rule_id in MISSING_RULES[: index + 1]:
            CASES[rule_id][0](coach=coach)
    return coaches


def state():
    entries = sorted(
        WeeklyListEntry.objects.values_list(
            "iso_week",
            "coach_id",
            "client_id",
            "rule_id",
            "rank",
            "severity",
            "explained",
        )
    )
    snapshots = sorted(
        QualitySnapshot.objects.values_list("iso_week", "coach_id", "key", "count", "total")
    )
    return entries, snapshots


def clean_run_state():
    """What a single uninterrupted run produces, for comparison."""
    WeeklyListEntry.objects.all().delete()
    QualitySnapshot.objects.all().delete()
    services.build_weekly_list(WEEK)
    return state()


def send(queue):
    from quality.tasks import build_weekly_list_task

    build_weekly_list_task.apply_async(args=[WEEK], queue=queue)


EXPECTED_ENTRIES = sum(range(1, COACHES + 1))


def test_real_worker_builds_the_list_and_a_second_run_changes_nothing(start_worker, caseload):
    queue = f"test-quality-{uuid.uuid4().hex[:8]}"
    start_worker(queue)
    send(queue)
    wait_for(lambda: DigestSent.objects.count() == COACHES, message="the list and digests")
    first = state()
    assert len(first[0]) == EXPECTED_ENTRIES
    send(queue)
    time.sleep(0.5)
    wait_for(lambda: not _queue_busy(queue), message="the second run")
    assert state() == first
    assert DigestSent.objects.count() == COACHES
    assert first == clean_run_state()


def _build_paused() -> bool:
    """The paused worker holds the build's lock and sleeps after writing the rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction' "
            "AND datname = current_database() AND query LIKE 'INSERT INTO%%weeklylistentry%%'"
        )
        return cursor.fetchone()[0] > 0


def _queue_busy(queue) -> bool:
    """A message for `queue` is still waiting or being worked on (unacknowledged)."""
    import json

    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    if client.llen(queue):
        return True
    return any(json.loads(raw)[2] == queue for raw in client.hvals("unacked"))


def test_worker_killed_mid_task_is_redelivered_and_converges(start_worker, caseload):
    queue = f"test-quality-{uuid.uuid4().hex[:8]}"
    visibility = 4
    first = start_worker(
        queue,
        app="tests.quality.weekly.paused_worker",
        PAUSE_SECONDS=120,
        CELERY_VISIBILITY_TIMEOUT=visibility,
    )
    send(queue)
    # The list's rows are written (not yet committed), then the worker sleeps: kill it there.
    wait_for(_build_paused, message="the build's rows written")
    killed_at = time.monotonic()
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    # One transaction: nothing of the killed build is left
    assert not WeeklyListEntry.objects.exists()
    assert not DigestSent.objects.exists()

    # A new worker (no pause) gets the unacknowledged task back once the visibility timeout is over.
    time.sleep(max(0.0, visibility + 1 - (time.monotonic() - killed_at)))
    start_worker(queue, CELERY_VISIBILITY_TIMEOUT=visibility)
    wait_for(
        lambda: DigestSent.objects.count() == COACHES,
        timeout=90,
        message="redelivery and completion",
    )
    final = state()
    assert len(final[0]) == EXPECTED_ENTRIES
    assert final == clean_run_state()
