"""Celery tasks of the quality app: thin wrappers around quality.weekly.services and
quality.visibility.trend (idempotent), and queueing them from a page or after an import."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError, transaction
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .visibility import trend
from .weekly import services

logger = logging.getLogger(__name__)

# Only errors of the database or the broker are worth retrying; a bug or bad data fails at once.
RETRY_ON = (
    OperationalError,
    InterfaceError,
    KombuOperationalError,
    RedisConnectionError,
    RedisTimeoutError,
)


# How the quality jobs run (the weekly list, its refresh after an import, the visibility weeks):
# redelivered if the worker dies, retried on the errors above only.
WEEKLY_JOB = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": RETRY_ON,
    # 5, 10, 20, 40, 80 s. No jitter: a task or two a day has no herd to spread, and full jitter on a
    # 1 s factor made the first retry immediate half of the time.
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": False,
    "max_retries": 5,
    # The rows are the result: nothing to store, and queueing never waits on the result backend.
    "ignore_result": True,
}


@shared_task(name="quality.build_weekly_list", **WEEKLY_JOB)
def build_weekly_list_task(
    iso_week: str | None = None, team_id: int | None = None, send_digests: bool = True
) -> dict:
    """Build the incomplete-data list of an ISO week (default: this week), then send the digests.

    Beat runs it with no arguments: every team, with digests. The page's trigger passes its team and
    send_digests=False (services.queue_weekly_list).

    Both steps are idempotent (upsert + stale delete; a DigestSent row per recipient and week), so a
    redelivered or retried task converges on the same state and mails nobody twice.
    """
    result = services.build_weekly_list(
        iso_week, team_id=team_id, reason="scheduled" if send_digests else "page"
    )
    sent = services.send_weekly_digests(result.iso_week) if send_digests else 0
    return {
        "iso_week": result.iso_week,
        "entries": result.entries,
        "removed": result.removed,
        "digests": sent,
    }


@shared_task(name="quality.refresh_weekly_list_after_import", **WEEKLY_JOB)
def refresh_weekly_list_task(import_run_id: int | None = None) -> dict:
    """After a successful import: bring the current week's list up to date for every team (no
    digests: they go out with the Monday run). Idempotent, so a second delivery changes nothing."""
    result = services.build_weekly_list(None, reason="import")
    logger.info(
        "Weekly list %s brought up to date after import run %s: %s findings",
        result.iso_week,
        import_run_id,
        result.entries,
    )
    return {"iso_week": result.iso_week, "entries": result.entries, "removed": result.removed}


def queue_refresh_after_import(sender, run, **kwargs) -> None:
    """Receiver of caseload.signals.import_succeeded: queue the refresh once the import's data are
    committed. A broker that is down is logged, never fails the import (the Monday job and the
    next import bring the list up to date)."""

    def queue():
        try:
            refresh_weekly_list_task.apply_async(args=[run.pk], retry=False)
        except (KombuOperationalError, ConnectionError, OSError, TimeoutError) as exc:
            logger.warning("Weekly list refresh after import %s not queued: %s", run.pk, exc)

    transaction.on_commit(queue)


@shared_task(name="quality.record_visibility_weeks", **WEEKLY_JOB)
def record_visibility_weeks_task() -> int:
    """Store this week's visibility report figures per team (and for all teams), for the trend.
    Idempotent: a re-run in the same week replaces that week's rows."""
    return trend.record_visibility_weeks()


class QueueUnavailable(Exception):
    """The broker could not be reached: the job was not queued."""


def queue_weekly_list(iso_week: str | None = None, *, team_id: int | None):
    """Queue a build of the list now, for one team (None: every team), WITHOUT digests: mailing is
    the Monday job's, and a digest sent from here would use up that week's once-only digest.

    Fails fast (connection timeouts in settings, no publish retries) when the broker is down, so a
    page can say so instead of hanging."""
    try:
        return build_weekly_list_task.apply_async(
            args=[iso_week], kwargs={"team_id": team_id, "send_digests": False}, retry=False
        )
    except (KombuOperationalError, ConnectionError, OSError, TimeoutError) as exc:
        logger.warning("Weekly list not queued: broker unavailable (%s)", exc)
        raise QueueUnavailable(str(exc)) from exc
