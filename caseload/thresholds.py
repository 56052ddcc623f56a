"""The thresholds of the caseload figures, read where they are declared: `settings.CASELOAD`
(from the environment). Code, labels, the legend and templates all read them from here, so a
threshold changed in the environment changes every place it is named."""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import lazy

# The range of a threshold in days that a user may choose on a page or in a client filter.
DAYS_MIN = 1
DAYS_MAX = 3650  # ten years: longer than any caseload history


def not_seen_days() -> int:
    """A client not contacted for more days than this is 'not seen recently'."""
    return int(settings.CASELOAD["NOT_SEEN_DAYS"])


def quiet_days() -> int:
    """A client who has not initiated any contact for more days than this is 'quiet'."""
    return int(settings.CASELOAD["QUIET_DAYS"])


def import_stale_days() -> int:
    """Pages warn that their data may be out of date when the last import is older than this."""
    return int(settings.CASELOAD["IMPORT_STALE_DAYS"])


# For texts declared at import time (legend, labels): the value is read when the text is shown.
not_seen_days_lazy = lazy(not_seen_days, int)
quiet_days_lazy = lazy(quiet_days, int)
import_stale_days_lazy = lazy(import_stale_days, int)


def days_from(value, default: int) -> int:
    """A threshold in days chosen on a page: `value` when it is a whole number in range, else
    `default` (a page never fails on a mistyped threshold; the client filter says what is wrong)."""
    try:
        days = int(value)
    except (TypeError, ValueError):
        return default
    return days if DAYS_MIN <= days <= DAYS_MAX else default


def admin_minutes_per_client() -> int:
    """Default of Team.admin_minutes_per_client: administration per active client per week
    (settings.TEAM_CAPACITY, where the comment says where the number comes from)."""
    return int(settings.TEAM_CAPACITY["ADMIN_MINUTES_PER_CLIENT"])
