"""ISO weeks as the weekly list names them: "2026-W48"."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone

ISO_WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{2})$")


def iso_week_of(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def current_iso_week() -> str:
    return iso_week_of(timezone.localdate())


def monday_of(iso_week: str) -> datetime.date:
    """The Monday of an ISO week; ValueError for anything that is not a real "YYYY-Www"."""
    match = ISO_WEEK_PATTERN.match(iso_week or "")
    if not match:
        raise ValueError(f"{iso_week!r} is not an ISO week like 2026-W48")
    year, week = int(match.group(1)), int(match.group(2))
    monday = datetime.date.fromisocalendar(year, week, 1)  # ValueError for week 54 etc.
    return monday


def normalise(iso_week: str | None) -> str:
    """A valid ISO week string (the current week when None)."""
    if iso_week is None:
        return current_iso_week()
    monday_of(iso_week)
    return iso_week


def previous(iso_week: str) -> str:
    return iso_week_of(monday_of(iso_week) - datetime.timedelta(days=7))
