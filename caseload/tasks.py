"""Celery tasks of the caseload app: thin wrappers around services."""

from celery import shared_task

from .gdpr import apply_retention


@shared_task
def apply_retention_task() -> int:
    """Nightly (CELERY_BEAT_SCHEDULE["apply-retention"]); idempotent: erased clients are gone."""
    return apply_retention()
