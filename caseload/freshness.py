"""How fresh the figures are: when the last import that stored data finished (the data every page reads)
and when the figures were computed, and whether the data is older than the configured number of
days (`CASELOAD_IMPORT_STALE_DAYS`, default 2).

Every page shows it through one context processor and one include in templates/base.html; a page
whose figures were computed earlier (a stored weekly list, a recorded report) passes its own
`page_freshness` for the line, while the warning still looks at the last import (unless the page is
of a closed period). Every export carries it in its file name and an `X-Data-As-Of` header
(`stamp_export`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from . import thresholds
from .models import ImportRun

EXPORT_HEADER = "X-Data-As-Of"


def last_import_finished_at() -> datetime.datetime | None:
    """When the last import that stored data (succeeded or partial) finished (None: none has yet).
    One query."""
    return (
        ImportRun.objects.filter(status__in=ImportRun.STORED, finished_at__isnull=False)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )


@dataclass(frozen=True)
class Freshness:
    data_as_of: datetime.datetime | None  # the last storing import's finish
    computed_at: datetime.datetime = field(default_factory=timezone.now)
    # A page of a closed period (a past week's list) is as old as it is meant to be: no warning.
    closed: bool = False

    @property
    def stale_after_days(self) -> int:
        return thresholds.import_stale_days()

    @property
    def stale(self) -> bool:
        """No import has stored data yet, or the last one is older than the threshold (as of now)."""
        if self.data_as_of is None:
            return True
        return timezone.now() - self.data_as_of > datetime.timedelta(days=self.stale_after_days)


def current() -> Freshness:
    return Freshness(data_as_of=last_import_finished_at())


def export_filename(stem: str, extension: str, freshness: Freshness | None = None) -> str:
    """`<stem>_data-<YYYYMMDD-HHMM of the last import, local time>.<extension>`."""
    freshness = freshness or current()
    if freshness.data_as_of is None:
        return f"{stem}_data-never-imported.{extension}"
    stamp = timezone.localtime(freshness.data_as_of).strftime("%Y%m%d-%H%M")
    return f"{stem}_data-{stamp}.{extension}"


def stamp_export(response, stem: str, extension: str, freshness: Freshness | None = None):
    """Name the download after its data's freshness and say it in a header; returns `response`."""
    freshness = freshness or current()
    response["Content-Disposition"] = (
        f'attachment; filename="{export_filename(stem, extension, freshness)}"'
    )
    response[EXPORT_HEADER] = (
        freshness.data_as_of.isoformat() if freshness.data_as_of else "never-imported"
    )
    return response
