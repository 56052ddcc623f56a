"""What the visibility report's disclosure control withholds, on the database DATABASE_URL names.

    DATABASE_URL=postgres://.../caseload_bench_30000 python -m bench.visibility_loss bench.manager bench.admin
    python -m bench.visibility_loss team.manager admin      # the demo (seed_demo), SQLite

For each user: the report with its default options (depth 3, every measure) for the clients the
user may see, suppressed as the page suppresses it, and the groups of k or more clients withheld
(number, clients in them; `disclosure.withheld_cells`), over every group and over distinct groups
(leaving out those with the same clients as a group one characteristic shorter, which the page
shows once), with the flagged groups withheld and the CPU time of the suppression. Reads only.
"""

from __future__ import annotations

import copy
import os
import sys
import time


def measure(username: str) -> dict:
    from django.utils import timezone

    from caseload import access
    from caseload.models import User
    from quality.visibility.data import atomic_cells
    from quality.visibility.disclosure import suppress, withheld_cells
    from quality.visibility.engine import MEASURES, analyse
    from quality.visibility.services import report_parameters

    user = User.objects.get(username=username)
    today = timezone.localdate()
    every_team = access.scope_of(user) is access.Scope.EVERYTHING
    scope = "all" if every_team else user.team.code
    params = report_parameters(3, list(MEASURES), None, scope, today)
    cells = atomic_cells(
        user, list(params.characteristics), today, params.not_seen_days, params.period_days
    )
    report = analyse(cells, params)
    started = time.process_time()
    shown = suppress(copy.deepcopy(report), params.k, keep_small=True)
    seconds = time.process_time() - started
    distinct = [g.get("same_as") is None for g in report["groups"]]

    def only(result, keep):
        return {**result, "groups": [g for g, k in zip(result["groups"], keep, strict=True) if k]}

    flagged = [
        g for g, k in zip(shown["groups"], distinct, strict=True) if k and g["flagged_measures"]
    ]
    return {
        "user": username,
        "clients": report["total"]["n"],
        "groups": len(report["groups"]),
        "withheld (all groups)": withheld_cells(report, shown, params.k),
        "withheld (distinct groups)": withheld_cells(
            only(report, distinct), only(shown, distinct), params.k
        ),
        "flagged withheld": f"{sum(g['suppressed'] for g in flagged)} of {len(flagged)}",
        "suppression CPU s": round(seconds, 1),
    }


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    for username in argv or ["team.manager", "admin"]:
        print(measure(username), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
