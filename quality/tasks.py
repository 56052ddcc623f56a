"""Celery tasks of the quality app: thin wrappers around quality.services (idempotent)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from . import services

RETRY_ON = (OperationalError, InterfaceError, KombuOperationalError, RedisConnectionError, RedisTimeoutError)


@shared_task(
    name="quality.build_weekly_list",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=RETRY_ON,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
    # The rows are the result: nothing to store, and queueing never waits on the result backend.
    ignore_result=True,
)
def build_weekly_list_task(iso_week: str | None = None) -> dict:
    """Build the incomplete-data list of an ISO week (default: this week), then send the digests.

    Both steps are idempotent (upsert + stale delete; a DigestSent row per recipient and week), so a
    redelivered or retried task converges on the same state and mails nobody twice.
    """
    result = services.build_weekly_list(iso_week)
    sent = services.send_weekly_digests(result.iso_week)
    return {"iso_week": result.iso_week, "entries": result.entries, "removed": result.removed, "digests": sent}
