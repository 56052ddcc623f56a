"""Running the visibility report: read the counts, compute, record the run (reused when identical)."""

from __future__ import annotations

from django.utils import timezone

from caseload import access

from . import thresholds
from .data import atomic_cells
from .disclosure import suppress
from .engine import Parameters, analyse, fingerprint, summary_of
from .models import VisibilityRun


def report_parameters(
    depth: int, measures, stratify_by: str | None, scope: str, today
) -> Parameters:
    """The run's parameters; thresholds (k, flags, periods) as configured in settings."""
    characteristics = thresholds.configured("CHARACTERISTICS")
    extra = {"characteristics": tuple(characteristics)} if characteristics else {}
    return Parameters(
        depth=depth,
        measures=tuple(measures),
        stratify_by=stratify_by or None,
        today=today.isoformat(),
        scope=scope,
        **extra,
    )


def run_visibility_report(
    user, *, depth: int, measures, stratify_by: str | None = None, team=None
) -> VisibilityRun:
    """The report for the active clients `user` may see (narrowed to `team` if given).

    A run with the same data fingerprint and parameters is returned instead of recomputed: the
    result would be identical (that is the point of recording both).
    """
    today = timezone.localdate()
    every_team = user is None or access.scope_of(user) is access.Scope.EVERYTHING  # None: a job
    scope_team = team or (None if every_team else user.team)
    params = report_parameters(
        depth, measures, stratify_by, scope_team.code if scope_team else "all", today
    )
    grouping = [*params.characteristics, *([params.stratify_by] if params.stratify_by else [])]
    cells = atomic_cells(
        user,
        list(dict.fromkeys(grouping)),
        today,
        params.not_seen_days,
        params.period_days,
        team=team,
    )
    data_fingerprint = fingerprint(cells)
    parameters = params.as_dict()
    # Compare parameters on the light columns. The run reused comes without its full result
    # (read on access, by the CSV and the API's groups=all); the page needs only the summary.
    recorded = VisibilityRun.objects.filter(data_fingerprint=data_fingerprint).order_by(
        "-created_at"
    )
    for previous in recorded.only("pk", "parameters")[:20]:
        if previous.parameters == parameters:
            return VisibilityRun.objects.defer("result").get(pk=previous.pk)
    result = suppress(analyse(cells, params), params.k)
    return VisibilityRun.objects.create(
        created_by=user,
        team=scope_team,
        parameters=parameters,
        data_fingerprint=data_fingerprint,
        result=result,
        summary=summary_of(result),
    )
