"""The quality officer's dashboard: every data-quality rule counted per coach, completeness per
field, and the findings trend from the weekly snapshots. Every count links to its client list."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from caseload import access, figures
from caseload.selectors import coaches_visible_to, visible_clients
from quality import selectors
from quality.rules import RULE_ORDER, RULES
from quality.selectors import finding_figure
from quality.weekly import selectors as weekly_selectors
from quality.weekly import weeks

from . import charts


@require_GET
@access.require_page("quality_dashboard")
def quality_dashboard(request):
    user = request.user
    clients = visible_clients(user)
    coaches = list(coaches_visible_to(user))
    rule_figures = {rule.id: finding_figure(rule) for rule in RULES}
    counts = figures.counts_by_coach(clients, list(rule_figures.values()))
    active_total = clients.active().count()

    rule_rows = []
    for rule in RULES:
        rule_figure = rule_figures[rule.id]
        rule_rows.append(
            {
                "rule": rule,
                "total": sum(row[rule_figure.key] for row in counts.values()),
                "url": rule_figure.list_url(),
                "coaches": [
                    {
                        "coach": coach,
                        "count": counts.get(coach.pk, {}).get(rule_figure.key, 0),
                        "url": rule_figure.list_url({"coach": coach.pk}),
                    }
                    for coach in coaches
                ],
            }
        )
    # Worst gaps first: most clients, then the most blocking.
    rule_rows.sort(key=lambda row: (-row["total"], -row["rule"].severity))

    field_rows = selectors.completeness(clients)
    for row in field_rows:
        row["url"] = rule_figures[row["rule"].id].list_url()
    # The trend for the team, or for one coach of it (?coach=<id>; outside the team: 404).
    trend_coach = None
    if request.GET.get("coach"):
        trend_coach = next(
            (coach for coach in coaches if str(coach.pk) == request.GET["coach"]), None
        )
        if trend_coach is None:
            raise Http404("No such coach")
    snapshots = weekly_selectors.snapshot_rows(
        [coach.pk for coach in ([trend_coach] if trend_coach else coaches)]
    )
    trend = weekly_selectors.snapshot_trend(snapshots)
    completeness_trend = weekly_selectors.completeness_trend(snapshots)
    trend_title = (
        _("Findings per week (%(coach)s)") % {"coach": trend_coach}
        if trend_coach
        else _("Findings per week (team)")
    )
    labels = {rule.id: rule.label for rule in RULES}
    trend_weeks = sorted({week for counts in trend.values() for week in counts})
    context = {
        "rule_rows": rule_rows,
        "coaches": coaches,
        "active_total": active_total,
        "field_rows": field_rows,
        "trend_weeks": trend_weeks,
        "trend_rows": [
            (labels[key], [counts.get(week) for week in trend_weeks])
            for key, counts in trend.items()
            if key in labels
        ],
        "trend_coach": trend_coach,
        "completeness_rows": [
            (labels[key], [shares.get(week) for week in trend_weeks])
            for key, shares in sorted(
                completeness_trend.items(), key=lambda item: RULE_ORDER[item[0]]
            )
        ],
        "trend_title": trend_title,
        "trend_figure": charts.trend_figure(trend, labels, trend_title) if trend else None,
        "completeness_figure": charts.completeness_figure(
            [(row["rule"].label, row["share"]) for row in field_rows if row["share"] is not None],
            _("Completeness per field"),
        )
        if active_total
        else None,
        "can_trigger": access.may_open(user, "build_weekly_list"),
        "can_explain": access.may_open(user, "explain_findings"),
        "current_week": weeks.current_iso_week(),
    }
    return render(request, "quality/dashboard.html", context)
