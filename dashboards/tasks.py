"""Celery tasks of the dashboards. Thin: they call a service and are safe to run twice."""

from celery import shared_task

from quality.tasks import RETRY_ON

from .team.services import take_team_snapshots


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    # only transient DB/broker errors (as the weekly list); anything else is a bug, not retried
    autoretry_for=RETRY_ON,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def take_team_snapshots_task(iso_week: str | None = None) -> int:
    """Weekly team snapshots (beat: after the quality list). Idempotent per ISO week; only the
    current week can be taken (a delivery that arrives after the week ended fails, not retried)."""
    return take_team_snapshots(iso_week)
