"""Running the visibility report: read the counts, compute, record the run (reused when identical)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from .models import VisibilityRun
from .visibility import Parameters, analyse, fingerprint, summary_of
from .visibility_data import atomic_cells
from .visibility_disclosure import suppress

DEFAULTS = {"K": 10, "CHARACTERISTICS": None, "PERIOD_DAYS": 365}


def configuration() -> dict:
    return {**DEFAULTS, **getattr(settings, "VISIBILITY_REPORT", {})}


def report_parameters(
    depth: int, measures, stratify_by: str | None, scope: str, today
) -> Parameters:
    config = configuration()
    extra = (
        {"characteristics": tuple(config["CHARACTERISTICS"])} if config["CHARACTERISTICS"] else {}
    )
    return Parameters(
        depth=depth,
        measures=tuple(measures),
        k=int(config["K"]),
        stratify_by=stratify_by or None,
        not_seen_days=int(settings.CASELOAD["NOT_SEEN_DAYS"]),
        period_days=int(config["PERIOD_DAYS"]),
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
    scope_team = team or (None if user.is_superuser else user.team)
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
