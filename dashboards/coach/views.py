"""The work coach dashboard: the caseload at a glance, every figure linked to its list."""

from django.http import QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from caseload import access, legend, thresholds
from caseload.access_log import AccessAction, log_access
from caseload.selectors import coaches_visible_to, teams_visible_to
from dashboards.charts import horizontal_bars

from . import selectors
from .contents import chosen_thresholds


def characteristic_chart(table):
    rows = [*table.values, table.unknown]
    return horizontal_bars(
        table.label,
        [row.label for row in rows],
        [row.count for row in rows],
        unknown_label=table.unknown.label,
    )


@require_GET
@access.require_page("coach_dashboard")
def coach_dashboard(request):
    user = request.user
    team = selectors.dashboard_team(user, request.GET.get("team"))
    coach = selectors.dashboard_coach(user, request.GET.get("coach"))
    if coach is not None and team is not None and coach.team_id != team.pk:
        coach = None  # a team was picked: its coaches only
    base = QueryDict(mutable=True)
    if team is not None:
        base["team"] = str(team.pk)
    if coach is not None:
        base["coach"] = str(coach.pk)
    coaches = (
        None if access.scope_of(user) is access.Scope.OWN_CASELOAD else coaches_visible_to(user)
    )
    if coaches is not None and team is not None:
        coaches = coaches.filter(team=team)
    data = selectors.coach_dashboard(user, base, request.GET)
    # The to-do list names clients: like any list of clients, it is logged (one insert).
    log_access(request, AccessAction.LIST, (row.client_number for row in data["todo"]))
    charted = [
        table
        for table in data["characteristics"]
        if table.name in ("age_band", "participation_step")
    ]
    charts = [
        {
            "id": "chart-monitoring",
            "table": "monitoring-heading",
            "title": _("Monitoring"),
            "figure": horizontal_bars(
                _("Monitoring"),
                [m.label for m in data["monitoring"]],
                [m.count for m in data["monitoring"]],
            ),
        },
        *(
            {
                "id": f"chart-{table.name}",
                "table": f"characteristic-{table.name}",
                "title": table.label,
                "figure": characteristic_chart(table),
            }
            for table in charted
        ),
    ]
    for chart in charts:
        chart["data_id"] = f"{chart['id']}-data"
    return render(
        request,
        "dashboards/coach_dashboard.html",
        {
            **data,
            "charts": charts,
            "coach": coach,
            "team": team,
            "teams": teams_visible_to(user) if access.picks_team(user) else None,
            "coaches": coaches,
            "thresholds": chosen_thresholds(request.GET),
            "threshold_days_range": (thresholds.DAYS_MIN, thresholds.DAYS_MAX),
            "base_query": base.urlencode(),
            "legend_entries": legend_entries(data),
        },
    )


def legend_entries(data) -> list:
    """The definitions of everything on the page, once each, in page order."""
    keys = [item.definition for item in (*data["overview"], *data["monitoring"])]
    for table in (data["last_contact"], *data["characteristics"]):
        keys += [
            table.definition,
            *(item.definition for item in table.values),
            table.unknown.definition,
        ]
    keys.append("todo")
    return [legend.get(key) for key in dict.fromkeys(keys)]
