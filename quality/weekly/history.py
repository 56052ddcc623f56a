"""The demo's history of weekly lists: `seed_demo` imports one export, so without this every trend
on a fresh demo would be a single point. Past weeks are written by the same build as the current
one, each evaluated on its own Monday over the demo data (the demo keeps no history of its fields,
so a field gap is counted as it is today; stale and contact findings move with the week).

Only the demo writes past weeks: anywhere else a past week is closed (services.check_buildable).
"""

from __future__ import annotations

import datetime

from . import services, weeks


def write_demo_history(sender=None, *, today: datetime.date, weeks_back: int, **kwargs) -> None:
    """Receiver of caseload.signals.demo_seeded: `weeks_back` past weeks, then the current week."""
    for back in range(weeks_back, 0, -1):
        iso_week = weeks.iso_week_of(today - datetime.timedelta(weeks=back))
        services.write_week(iso_week, reason="demo", current=False)
    services.build_weekly_list(None, reason="demo")
